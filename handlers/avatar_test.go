package handlers

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

// postAvatar sends a picture with the Settings form.
func (b *browser) postAvatar(name string, data []byte) (*http.Response, string) {
	b.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, _ := w.CreateFormFile("avatar", name)
	part.Write(data)
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, b.site.URL+"/settings/avatar", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Origin", b.site.URL)
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	html, _ := io.ReadAll(resp.Body)
	return resp, string(html)
}

func pngOf(t *testing.T, w, h int, c color.Color) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

// A profile picture is cut square, shown to friends live and in their
// lists, and replaced or removed with its files.
func TestAProfilePictureIsSquareLiveAndRemovedWithItsFiles(t *testing.T) {
	site := newTestSite(t)
	alice, bob := chatPair(t, site)
	storeMessages(t, site, "alice", "bob", 1)
	bobsChat := bob.dial("page=chat&peer=alice&after=0")
	bobsChat.waitContains(`id="chat-list"`)

	if _, doc := alice.get("/settings"); doc.Find(".avatar-form span.avatar-large").Text() != "A" || doc.Find(".avatar-form img").Length() != 0 {
		t.Errorf("without a picture, settings show %q", doc.Find(".avatar-form .avatar-large").Text())
	}
	resp, html := alice.postAvatar("me.png", pngOf(t, 300, 200, color.RGBA{200, 30, 30, 255}))
	if resp.Request.URL.RawQuery != "saved=picture" || !strings.Contains(html, `class="avatar-large"`) {
		t.Fatalf("saving a picture: %s", resp.Request.URL)
	}
	f := bobsChat.waitContains(`<span id="peer-avatar" class="peer-avatar" hx-swap-oob="true"><img`)
	start := strings.Index(f, `src="/avatars/`)
	if start < 0 {
		t.Fatalf("bob's heading: %s", f)
	}
	small := f[start+len(`src="`) : start+len(`src="`)+len("/avatars/")+64]
	got, data := bob.fetch(small)
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	if got.StatusCode != http.StatusOK || got.Header.Get("Content-Type") != "image/jpeg" || err != nil || cfg.Width != 96 || cfg.Height != 96 {
		t.Errorf("the small picture: %d %v %dx%d", got.StatusCode, err, cfg.Width, cfg.Height)
	}
	for _, page := range []string{"/", "/friends", "/chats/alice"} {
		if _, doc := bob.get(page); doc.Find(`img.avatar[src="`+small+`"]`).Length() == 0 {
			t.Errorf("bob's %s does not show alice's picture", page)
		}
	}
	kept, _ := filesOnDisk(t, site)
	if len(kept) != 2 {
		t.Fatalf("files for a picture: %v", kept)
	}

	// Replaced: the old picture's files go.
	alice.postAvatar("again.png", pngOf(t, 100, 100, color.RGBA{30, 30, 200, 255}))
	if resp, _ := bob.fetch(small); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the old picture is still served: %d", resp.StatusCode)
	}
	if kept, _ := filesOnDisk(t, site); len(kept) != 2 {
		t.Errorf("files after replacing: %v", kept)
	}
	// Not a picture: refused, the picture stays.
	if resp, html := alice.postAvatar("notes.png", []byte("not a picture")); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html, "Choose a JPEG, PNG, GIF or WebP picture") {
		t.Errorf("a text as a picture: %d", resp.StatusCode)
	}
	// Removed: initials again, no files.
	alice.post("/settings/avatar/remove", nil)
	if _, doc := bob.get("/friends"); doc.Find("#friend-list img.avatar").Length() != 0 || doc.Find("#friend-list span.avatar").Length() != 1 {
		t.Error("bob still sees a picture")
	}
	if kept, _ := filesOnDisk(t, site); len(kept) != 0 {
		t.Errorf("files after removing: %v", kept)
	}
}
