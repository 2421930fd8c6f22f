package static

import (
	"bytes"
	"crypto/sha512"
	"encoding/base64"
	"os"
	"regexp"
	"strings"
	"testing"
)

// The note in vendor/README.md must name every vendored file with the
// sha384 it really has, and each must come with its licence.
func TestVendorNoteMatchesFiles(t *testing.T) {
	note, err := os.ReadFile("vendor/README.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile(`(?m)^\| (\S+\.js) \| (\S+) \| (\S+) \| .* \| (sha384-\S+) \|$`)
	rows := row.FindAllStringSubmatch(string(note), -1)
	if len(rows) != 2 {
		t.Fatalf("note lists %d files, want htmx and its ws extension", len(rows))
	}
	for _, r := range rows {
		f, ok := Lookup("vendor/" + r[1])
		if !ok {
			t.Errorf("%s is in the note but not embedded", r[1])
			continue
		}
		sum := sha512.Sum384(f.Data)
		if got := "sha384-" + base64.StdEncoding.EncodeToString(sum[:]); got != r[4] {
			t.Errorf("%s: sha384 is %s, note says %s", r[1], got, r[4])
		}
		if !strings.Contains(r[1], r[3]) {
			t.Errorf("%s: file name does not carry version %s", r[1], r[3])
		}
	}
	for _, lic := range []string{"vendor/htmx-LICENSE", "vendor/htmx-ext-ws-LICENSE"} {
		if _, err := os.Stat(lic); err != nil {
			t.Error(err)
		}
	}
}

func TestURLsChangeWithContent(t *testing.T) {
	f, ok := Lookup("app.js")
	if !ok {
		t.Fatal("app.js not embedded")
	}
	if URL("app.js") != Prefix+f.Hash+"/app.js" {
		t.Errorf("URL = %s", URL("app.js"))
	}
	if len(f.Hash) != 12 {
		t.Errorf("hash %q is not 12 hex digits", f.Hash)
	}
}

// notify.wav is what NotifySound makes: the sound is ours, and can be
// made again.
func TestNotifySoundIsMadeHere(t *testing.T) {
	f, ok := Lookup("notify.wav")
	if !ok {
		t.Fatal("notify.wav not embedded")
	}
	if !bytes.Equal(f.Data, NotifySound()) {
		t.Error("notify.wav differs from what NotifySound makes: write NotifySound() to it again")
	}
	if f.Type != "audio/wav" || !bytes.HasPrefix(f.Data, []byte("RIFF")) || len(f.Data) > 16<<10 {
		t.Errorf("notify.wav: %s, %d bytes", f.Type, len(f.Data))
	}
}
