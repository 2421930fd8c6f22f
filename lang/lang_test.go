package lang

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/language"
)

// ids reads the message ids of a catalogue.
func ids(t *testing.T, name string) []string {
	t.Helper()
	data, err := catalogues.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var out []string
	for id := range m {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// usedIDs finds the message ids the module's code asks for: the first
// argument of T, N, t and tn calls.
func usedIDs(t *testing.T) map[string]string {
	t.Helper()
	call := regexp.MustCompile(`\b(?:T|N|M|t|tn)\((?:ctx, |r, )?"([a-z0-9_]+\.[a-z0-9_.]+)"`)
	used := map[string]string{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "data" || strings.HasPrefix(d.Name(), ".")) && path != ".." {
			return filepath.SkipDir
		}
		if d.IsDir() || !(strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".templ")) || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range call.FindAllStringSubmatch(string(src), -1) {
			used[m[1]] = path
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return used
}

func TestEveryCatalogueHoldsEveryMessage(t *testing.T) {
	entries, err := catalogues.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	english := ids(t, "en.json")
	for _, e := range entries {
		if got := ids(t, e.Name()); !slices.Equal(got, english) {
			for _, id := range english {
				if !slices.Contains(got, id) {
					t.Errorf("%s lacks %s", e.Name(), id)
				}
			}
			for _, id := range got {
				if !slices.Contains(english, id) {
					t.Errorf("%s has %s, which en.json lacks", e.Name(), id)
				}
			}
		}
	}
	used := usedIDs(t)
	if len(used) == 0 {
		t.Fatal("no message ids found in the code")
	}
	for id, where := range used {
		if !slices.Contains(english, id) {
			t.Errorf("%s asks for %s, which no catalogue holds", where, id)
		}
	}
}

func TestTheLanguageIsTheSettingElseTheBrowsersElseEnglish(t *testing.T) {
	for _, c := range []struct{ setting, accept, want string }{
		{"", "", "en"},
		{"", "en-GB,en;q=0.9", "en"},
		{"", "xx-YY", "en"},
		{"en", "de", "en"},
		{"not a tag", "", "en"},
		{"", "zh-CN,zh;q=0.9,en;q=0.8", "zh-Hans"},
		{"", "de-DE,zh;q=0.5", "zh-Hans"},
		{"zh", "en-US", "zh-Hans"},
		{"en", "zh-CN", "en"},
	} {
		if got := Choose(c.setting, c.accept).Code(); got != c.want {
			t.Errorf("Choose(%q, %q) = %s, want %s", c.setting, c.accept, got, c.want)
		}
	}
	if got := For(language.English).T("nav.chats"); got != "Chats" {
		t.Errorf("nav.chats says %q", got)
	}
	if got := For(language.Chinese).N("divider.unread", 3); got != "3 条未读消息" {
		t.Errorf("a plural in Chinese says %q", got)
	}
	if got := English.N("divider.unread", 1); got != "1 unread message" {
		t.Errorf("one in English says %q", got)
	}
	if got := English.T("no.such_message"); got != "no.such_message" {
		t.Errorf("a missing message says %q", got)
	}
}
