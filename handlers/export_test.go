package handlers

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"image/color"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// fetchPost posts an empty form as a button does, and returns the
// answer's bytes.
func (b *browser) fetchPost(path string) (*http.Response, []byte) {
	b.t.Helper()
	req, _ := newFormRequest(b.site.URL+path, nil)
	req.Header.Set("Origin", b.site.URL)
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp, data
}

// Export my data gives a zip that opens, with my profile, my friends,
// every message I can see (and none I deleted for myself), readable as a
// page with the text escaped, and the files I sent.
func TestExportHoldsWhatICanSeeAndTheFilesISent(t *testing.T) {
	site := newTestSite(t)
	alice, bob := chatPair(t, site)
	storeMessages(t, site, "alice", "bob", 2)
	storeMessages(t, site, "bob", "alice", 1)
	msgs := site.history(t, "alice", "bob")
	if code, _ := alice.hxStatus(actionURL("bob", msgs[0].ID, "hide"), nil); code != http.StatusOK {
		t.Fatal("delete for me failed")
	}
	alice.hxStatus(actionURL("bob", msgs[2].ID, "react"), url.Values{"emoji": {"❤️"}})
	if status, _ := alice.upload("bob", map[string]string{"client_id": "export-file-1", "message": "<b>not bold</b> 你好"},
		sentFile{"notes.txt", "text/plain", []byte("alice's notes")}); status != http.StatusOK {
		t.Fatal("alice's upload failed")
	}
	if status, _ := bob.upload("alice", map[string]string{"client_id": "export-file-2"}, sentFile{"bobs.txt", "text/plain", []byte("bob's file")}); status != http.StatusOK {
		t.Fatal("bob's upload failed")
	}

	alice.postAvatar("me.png", pngOf(t, 64, 64, color.RGBA{10, 200, 10, 255}))
	resp, data := alice.fetchPost("/settings/export")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/zip" ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment; filename=chat-alice-") {
		t.Fatalf("export: %d %v", resp.StatusCode, resp.Header)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("the export is not a zip: %v", err)
	}
	read := func(name string) string {
		for _, f := range zr.File {
			if f.Name == name {
				rc, _ := f.Open()
				b, _ := io.ReadAll(rc)
				rc.Close()
				return string(b)
			}
		}
		t.Errorf("no %s in the export", name)
		return ""
	}
	var profile struct {
		Username    string
		DisplayName string `json:"display_name"`
	}
	json.Unmarshal([]byte(read("profile.json")), &profile)
	if profile.Username != "alice" || profile.DisplayName != "Alice" {
		t.Errorf("profile %+v", profile)
	}
	if pic := read("profile-picture.jpg"); len(pic) == 0 {
		t.Error("the profile picture is not in the export")
	}
	if friends := read("friends.json"); !strings.Contains(friends, `"username": "bob"`) {
		t.Errorf("friends.json: %s", friends)
	}
	var conv struct {
		Messages []struct {
			ID        int64
			From      string
			Text      string
			File      *struct{ Name, Path string }
			Reactions []struct{ From, Emoji string }
		}
	}
	if err := json.Unmarshal([]byte(read("conversations/bob.json")), &conv); err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, m := range conv.Messages {
		texts = append(texts, m.From+":"+m.Text)
	}
	if got := strings.Join(texts, "|"); got != "alice:message 1|bob:message 2|alice:<b>not bold</b> 你好|bob:" {
		t.Errorf("messages %s", got)
	}
	if r := conv.Messages[1].Reactions; len(r) != 1 || r[0].From != "alice" || r[0].Emoji != "❤️" {
		t.Errorf("reactions %+v", r)
	}
	mine, theirs := conv.Messages[2].File, conv.Messages[3].File
	if mine == nil || mine.Name != "notes.txt" || mine.Path == "" || theirs == nil || theirs.Path != "" {
		t.Fatalf("files %+v %+v", mine, theirs)
	}
	if got := read(mine.Path); got != "alice's notes" {
		t.Errorf("alice's file in the export: %q", got)
	}
	for _, f := range zr.File {
		if strings.Contains(f.Name, "bobs.txt") {
			t.Error("bob's file is in alice's export")
		}
	}
	page := read("conversations/bob.html")
	if !strings.Contains(page, "&lt;b&gt;not bold&lt;/b&gt; 你好") || strings.Contains(page, "<b>not bold") || strings.Contains(page, "message 0<") {
		t.Errorf("the page: %s", page)
	}
}
