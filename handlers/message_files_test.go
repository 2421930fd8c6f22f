package handlers

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chat/db"
)

// sentFile is a file part of an upload: the name as sent (paths and all),
// the type the browser declares, and the bytes.
type sentFile struct {
	name, declared string
	data           []byte
}

// uploadForm builds an upload's body: the fields, then the files.
func uploadForm(t testing.TB, fields map[string]string, sent ...sentFile) (string, []byte) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	for _, f := range sent {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename="%s"`, strings.ReplaceAll(f.name, `"`, `\"`)))
		if f.declared != "" {
			h.Set("Content-Type", f.declared)
		}
		part, err := w.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		part.Write(f.data)
	}
	w.Close()
	return w.FormDataContentType(), body.Bytes()
}

// upload posts a file to the conversation with peer as attach.js does,
// and returns the status and the answer's text.
func (b *browser) upload(peer string, fields map[string]string, sent ...sentFile) (int, string) {
	b.t.Helper()
	contentType, body := uploadForm(b.t, fields, sent...)
	req, _ := http.NewRequest(http.MethodPost, b.site.URL+"/chats/"+peer+"/messages", bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Origin", b.site.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(text)
}

// fetch gets a file as the browser would, with extra headers.
func (b *browser) fetch(path string, header ...string) (*http.Response, []byte) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.site.URL+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp, data
}

// filesOnDisk lists the files kept, and says which temporary files are left.
func filesOnDisk(t testing.TB, site *testSite) (kept, temporary []string) {
	t.Helper()
	root := filepath.Join(site.dir, "files")
	kept, _ = filepath.Glob(filepath.Join(root, "[0-9a-f][0-9a-f]", "*"))
	temporary, _ = filepath.Glob(filepath.Join(root, "tmp", "*"))
	return kept, temporary
}

// photo is a JPEG carrying an EXIF segment with a place in it.
func photo(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 900, 600))
	for y := 0; y < 600; y++ {
		for x := 0; x < 900; x++ {
			img.Set(x, y, color.RGBA{uint8(x / 4), uint8(y / 3), 120, 255})
		}
	}
	var plain bytes.Buffer
	if err := jpeg.Encode(&plain, img, nil); err != nil {
		t.Fatal(err)
	}
	seg := []byte("Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x00GPS 31.2304N 121.4737E")
	out := []byte{0xFF, 0xD8, 0xFF, 0xE1, byte((len(seg) + 2) >> 8), byte(len(seg) + 2)}
	return append(append(out, seg...), plain.Bytes()[2:]...)
}

// pngBomb is a PNG whose header claims w × h pixels.
func pngBomb(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := make([]byte, 4+13)
	copy(chunk, "IHDR")
	binary.BigEndian.PutUint32(chunk[4:], w)
	binary.BigEndian.PutUint32(chunk[8:], h)
	chunk[12], chunk[13] = 8, 2
	binary.Write(&b, binary.BigEndian, uint32(13))
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

// lastMessage is the newest message between a and b.
func lastMessage(t *testing.T, site *testSite, a, b string) db.Message {
	t.Helper()
	h := site.history(t, a, b)
	if len(h) == 0 {
		t.Fatalf("no messages between %s and %s", a, b)
	}
	return h[len(h)-1]
}

func TestAFileGoesToThePairAndOnlyThePairCanOpenIt(t *testing.T) {
	site := newTestSite(t)
	alice, bob := chatPair(t, site)
	carol := site.newBrowser(t)
	carol.mustSignup("carol", "Carol")
	befriend(t, alice, carol, "carol")
	bobsTab := bob.dial("page=chat&peer=alice&after=0")
	bobsTab.waitContains(`id="chat-list"`)

	pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
	status, answer := alice.upload("bob", map[string]string{"client_id": "upload-0001", "message": " the report ", "to": "bob"},
		sentFile{"Q3 report «final».pdf", "application/pdf", pdf})
	if status != http.StatusOK || !strings.Contains(answer, `id="send-error"`) {
		t.Fatalf("upload: %d %s", status, answer)
	}
	m := lastMessage(t, site, "alice", "bob")
	if m.Body != "the report" || m.File == nil || m.File.Name != "Q3 report «final».pdf" || m.File.Type != "application/pdf" ||
		m.File.Size != int64(len(pdf)) || m.File.IsImage() || m.ClientID != "upload-0001" {
		t.Fatalf("stored %+v with %+v", m, m.File)
	}
	// Live, like any message, with its file as a link to it.
	fileURL := fmt.Sprintf("/chats/alice/messages/%d/file", m.ID)
	frame := bobsTab.waitContains("Q3 report «final».pdf")
	if !strings.Contains(frame, `href="`+fileURL+`"`) || !strings.Contains(frame, "the report") {
		t.Errorf("bob's frame: %s", frame)
	}

	for _, who := range []struct {
		b    *browser
		path string
	}{{alice, fmt.Sprintf("/chats/bob/messages/%d/file", m.ID)}, {bob, fileURL}} {
		resp, data := who.b.fetch(who.path)
		h := resp.Header
		if resp.StatusCode != http.StatusOK || !bytes.Equal(data, pdf) {
			t.Fatalf("%s: %d, %d bytes", who.path, resp.StatusCode, len(data))
		}
		if h.Get("Content-Type") != "application/pdf" || h.Get("X-Content-Type-Options") != "nosniff" ||
			h.Get("Content-Disposition") != `attachment; filename*=utf-8''Q3%20report%20%C2%ABfinal%C2%BB.pdf` ||
			!strings.Contains(h.Get("Content-Security-Policy"), "sandbox") || !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Errorf("%s served with %v", who.path, h)
		}
		// Asked again with what it has: not sent again.
		again, _ := who.b.fetch(who.path, "If-None-Match", h.Get("ETag"))
		if again.StatusCode != http.StatusNotModified {
			t.Errorf("revalidating: %d", again.StatusCode)
		}
	}

	// Anyone else is refused alike: a friend of alice's, someone signed
	// out, a message that does not exist, a thumbnail a PDF has not.
	stranger := site.newBrowser(t)
	for _, c := range []struct {
		b    *browser
		path string
		want int
	}{
		{carol, fileURL, http.StatusForbidden},
		{carol, fmt.Sprintf("/chats/bob/messages/%d/file", m.ID), http.StatusForbidden},
		{carol, fmt.Sprintf("/chats/alice/messages/%d/file", m.ID+1000), http.StatusForbidden},
		{bob, fmt.Sprintf("/chats/alice/messages/%d/thumb", m.ID), http.StatusForbidden},
		{bob, fmt.Sprintf("/chats/nobody/messages/%d/file", m.ID), http.StatusForbidden},
	} {
		if resp, data := c.b.fetch(c.path); resp.StatusCode != c.want || bytes.Contains(data, pdf) {
			t.Errorf("%s: %d", c.path, resp.StatusCode)
		}
	}
	if resp, data := stranger.fetch(fileURL); resp.Request.URL.Path != "/login" || bytes.Contains(data, pdf) {
		t.Errorf("signed out: %d at %s", resp.StatusCode, resp.Request.URL.Path)
	}

	// Bob deletes the chat: his copy holds the message no more, nor can he
	// open its file; alice still can.
	bob.post("/chats/alice/delete", nil)
	if resp, _ := bob.fetch(fileURL); resp.StatusCode != http.StatusForbidden {
		t.Errorf("bob after deleting the chat: %d", resp.StatusCode)
	}
	if resp, _ := alice.fetch(fmt.Sprintf("/chats/bob/messages/%d/file", m.ID)); resp.StatusCode != http.StatusOK {
		t.Errorf("alice after bob deleted his chat: %d", resp.StatusCode)
	}
}

func TestImagesAreWrittenAgainStoredOnceAndRemovedWithTheirMessages(t *testing.T) {
	site := newTestSite(t)
	alice, bob := chatPair(t, site)
	original := photo(t)
	send := func(id string) db.Message {
		t.Helper()
		status, answer := alice.upload("bob", map[string]string{"client_id": id}, sentFile{"IMG_0042.jpeg", "image/jpeg", original})
		if status != http.StatusOK {
			t.Fatalf("upload: %d %s", status, answer)
		}
		return lastMessage(t, site, "alice", "bob")
	}
	first := send("upload-photo-1")
	f := first.File
	if !f.IsImage() || f.Type != "image/jpeg" || f.Width != 900 || f.Height != 600 || f.Name != "IMG_0042.jpeg" || first.Body != "" {
		t.Fatalf("stored %+v", f)
	}
	resp, full := bob.fetch(fmt.Sprintf("/chats/alice/messages/%d/file", first.ID))
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/jpeg" ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "inline") {
		t.Fatalf("the image: %d %v", resp.StatusCode, resp.Header)
	}
	if bytes.Contains(full, []byte("GPS")) || bytes.Contains(full, []byte("Exif")) || bytes.Equal(full, original) {
		t.Error("the image kept its metadata")
	}
	if resp, _ := bob.fetch(fmt.Sprintf("/chats/alice/messages/%d/file?download=1", first.ID)); !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("download: %v", resp.Header.Get("Content-Disposition"))
	}
	resp, thumb := bob.fetch(fmt.Sprintf("/chats/alice/messages/%d/thumb", first.ID))
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(thumb))
	if resp.StatusCode != http.StatusOK || err != nil || cfg.Width != 480 || cfg.Height != 320 {
		t.Errorf("thumbnail: %d %v %dx%d", resp.StatusCode, err, cfg.Width, cfg.Height)
	}
	// The page shows the thumbnail at half its size, linked to the image.
	_, doc := bob.get("/chats/alice")
	img := doc.Find(fmt.Sprintf("#m-%d .attachment-image img", first.ID))
	if img.AttrOr("src", "") != fmt.Sprintf("/chats/alice/messages/%d/thumb", first.ID) || img.AttrOr("width", "") != "240" ||
		img.AttrOr("height", "") != "160" || img.AttrOr("alt", "") != "Image IMG_0042.jpeg" {
		t.Errorf("the page shows %s", must(img.Parent().Html()))
	}
	if preview := doc.Find(".chat-row .chat-preview").First().Text(); !strings.Contains(preview, "📷 Photo") {
		t.Errorf("chat list preview %q", preview)
	}

	// Sent again: the same two files on disk, named by both messages.
	second := send("upload-photo-2")
	if second.File.SHA256 != f.SHA256 || second.File.Thumb != f.Thumb {
		t.Errorf("the same photo was stored as another file: %+v", second.File)
	}
	if kept, tmp := filesOnDisk(t, site); len(kept) != 2 || len(tmp) != 0 {
		t.Fatalf("on disk: %v, temporary: %v", kept, tmp)
	}
	// Gone from disk once neither message names them.
	for _, m := range []db.Message{first, second} {
		if code, html := alice.hxStatus(actionURL("bob", m.ID, "delete"), nil); code != http.StatusOK {
			t.Fatalf("delete for everyone: %d %s", code, html)
		}
	}
	if kept, _ := filesOnDisk(t, site); len(kept) != 0 {
		t.Errorf("after both messages were deleted for everyone: %v", kept)
	}
	if resp, _ := bob.fetch(fmt.Sprintf("/chats/alice/messages/%d/file", first.ID)); resp.StatusCode != http.StatusForbidden {
		t.Errorf("the file of a deleted message: %d", resp.StatusCode)
	}
}

func must(s string, _ error) string { return s }

func TestBadFilesAreRefusedClearlyAndLeaveNothing(t *testing.T) {
	site := newTestSite(t)
	alice, _ := chatPair(t, site)
	carol := site.newBrowser(t)
	carol.mustSignup("carol", "Carol")
	ok := map[string]string{"client_id": "upload-bad-1"}
	text := []byte("this is plain text, not a picture")
	for _, c := range []struct {
		name   string
		to     string
		fields map[string]string
		files  []sentFile
		status int
		say    string
	}{
		{"a text file named as a photo", "bob", ok, []sentFile{{"holiday.jpg", "image/jpeg", text}}, 422, "is not a picture"},
		{"declared an image", "bob", ok, []sentFile{{"scan", "image/png", text}}, 422, "is not a picture"},
		{"a damaged photo", "bob", ok, []sentFile{{"cut.jpg", "image/jpeg", photo(t)[:400]}}, 422, "could not be read as a picture"},
		{"a decompression bomb", "bob", ok, []sentFile{{"huge.png", "image/png", pngBomb(100_000, 100_000)}}, 422, "100000 × 100000 pixels"},
		{"zero bytes", "bob", ok, []sentFile{{"empty.txt", "text/plain", nil}}, 400, "is empty"},
		{"a path in the name", "bob", ok, []sentFile{{"../../etc/passwd", "", text}}, 400, "folder path"},
		{"a Windows path in the name", "bob", ok, []sentFile{{`C:\Users\alice\notes.txt`, "", text}}, 400, "folder path"},
		{"a name that reverses its own text", "bob", ok, []sentFile{{"evil\u202egnp.exe", "", text}}, 400, "cannot be shown"},
		{"two files", "bob", ok, []sentFile{{"a.txt", "", text}, {"b.txt", "", text}}, 400, "one file"},
		{"no file", "bob", ok, nil, 400, "Choose a file"},
		{"no client id", "bob", map[string]string{}, []sentFile{{"a.txt", "", text}}, 400, "Reload the page"},
		{"a caption with control characters", "bob", map[string]string{"client_id": "upload-bad-2", "message": "hi\x00"}, []sentFile{{"a.txt", "", text}}, 422, "control characters"},
		{"a reply to nothing", "bob", map[string]string{"client_id": "upload-bad-3", "reply_to": "999999"}, []sentFile{{"a.txt", "", text}}, 422, "not in this chat"},
		{"to someone not a friend", "carol", ok, []sentFile{{"a.txt", "", text}}, 403, "not friends"},
		{"to nobody", "nobody", ok, []sentFile{{"a.txt", "", text}}, 404, "no one"},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, answer := alice.upload(c.to, c.fields, c.files...)
			if status != c.status || !strings.Contains(answer, c.say) || !strings.Contains(answer, `id="send-error"`) {
				t.Errorf("%d %s", status, answer)
			}
		})
	}
	// Too large: said from the declared length, before reading it...
	big := bytes.Repeat([]byte("x"), 20<<20+1)
	if status, answer := alice.upload("bob", ok, sentFile{"big.bin", "", big}); status != http.StatusRequestEntityTooLarge || !strings.Contains(answer, "larger than 20 MB") {
		t.Errorf("too large: %d %s", status, answer)
	}
	// ... or, with no length declared, once 20 MB have come.
	contentType, body := uploadForm(t, ok, sentFile{"big.bin", "", big})
	req, _ := http.NewRequest(http.MethodPost, site.URL+"/chats/bob/messages", io.MultiReader(bytes.NewReader(body)))
	req.ContentLength = -1
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Origin", site.URL)
	resp, err := alice.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(answer), "larger than 20 MB") {
		t.Errorf("too large, streamed: %d %s", resp.StatusCode, answer)
	}

	if h := site.history(t, "alice", "bob"); len(h) != 0 {
		t.Errorf("stored: %+v", h)
	}
	if kept, tmp := filesOnDisk(t, site); len(kept) != 0 || len(tmp) != 0 {
		t.Errorf("left on disk: %v, temporary: %v", kept, tmp)
	}
	if logs := site.logs.String(); strings.Contains(logs, "passwd") || strings.Contains(logs, "holiday") {
		t.Error("the log holds file names")
	}
}

func TestAnInterruptedUploadLeavesNothing(t *testing.T) {
	site := newTestSite(t)
	alice, _ := chatPair(t, site)
	contentType, body := uploadForm(t, map[string]string{"client_id": "upload-cut-1"}, sentFile{"film.bin", "", bytes.Repeat([]byte("y"), 4<<20)})
	conn, err := net.Dial("tcp", strings.TrimPrefix(site.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	u, _ := http.NewRequest(http.MethodPost, site.URL, nil)
	var cookies []string
	for _, c := range alice.client.Jar.Cookies(u.URL) {
		cookies = append(cookies, c.Name+"="+c.Value)
	}
	w := bufio.NewWriter(conn)
	fmt.Fprintf(w, "POST /chats/bob/messages HTTP/1.1\r\nHost: %s\r\nOrigin: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nCookie: %s\r\n\r\n",
		strings.TrimPrefix(site.URL, "http://"), site.URL, contentType, len(body), strings.Join(cookies, "; "))
	w.Write(body[:len(body)/2])
	w.Flush()
	// The file is arriving: half of it is on disk.
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, tmp := filesOnDisk(t, site)
		if len(tmp) == 1 {
			if st, err := os.Stat(tmp[0]); err == nil && st.Size() > 1<<20 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("the upload never reached the disk")
		}
		time.Sleep(10 * time.Millisecond)
	}
	conn.Close()
	for {
		kept, tmp := filesOnDisk(t, site)
		if len(kept) == 0 && len(tmp) == 0 && strings.Contains(site.logs.String(), "reason=interrupted") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the connection was cut: kept %v, temporary %v", kept, tmp)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if h := site.history(t, "alice", "bob"); len(h) != 0 {
		t.Errorf("stored: %+v", h)
	}
}
