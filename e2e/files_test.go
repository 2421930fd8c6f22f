package e2e

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// testFiles writes a photo (1200 × 800, a sky over a meadow) and a small
// PDF to a temporary folder, as a person's files to send.
func testFiles(t *testing.T) (photo, pdf string, pdfBytes []byte) {
	t.Helper()
	dir := t.TempDir()
	img := image.NewRGBA(image.Rect(0, 0, 1200, 800))
	for y := 0; y < 800; y++ {
		for x := 0; x < 1200; x++ {
			c := color.RGBA{90, 150, 230, 255} // sky
			switch {
			case y > 520:
				c = color.RGBA{60, uint8(140 + x%40), 70, 255} // meadow
			case (x-900)*(x-900)+(y-200)*(y-200) < 80*80:
				c = color.RGBA{250, 210, 60, 255} // sun
			}
			img.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	photo = filepath.Join(dir, "hotel view.jpg")
	pdf = filepath.Join(dir, "itinerary.pdf")
	pdfBytes = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	if err := os.WriteFile(photo, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pdf, pdfBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	return photo, pdf, pdfBytes
}

// attach chooses a file with Attach, as the file picker would.
func (tb *tab) attach(path string) {
	tb.t.Helper()
	tb.run("attach "+filepath.Base(path), chromedp.SetUploadFiles(chromedp.CSS("#attach"), []string{path}))
	tb.waitFor("the file above the composer", `!document.getElementById('attachment-chosen').hidden &&
		document.getElementById('attachment-name').textContent.startsWith(`+jsString(filepath.Base(path))+`)`)
}

// throttleUploads limits what the tab sends to bytesPerSecond (-1: no
// limit), as a slow connection would.
func (tb *tab) throttleUploads(bytesPerSecond float64) {
	tb.t.Helper()
	tb.run("throttle uploads", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			MatchedNetworkConditions: []*network.Conditions{{DownloadThroughput: -1, UploadThroughput: bytesPerSecond}},
		})
		return err
	}))
}

// imageShown is a JavaScript test for a thumbnail in the history, loaded.
const imageShown = `(() => { const i = document.querySelector('#messages .attachment-image img');
	return !!i && i.complete && i.naturalWidth === 480 && i.naturalHeight === 320 })()`

// Alice sends Bob a photo with a caption, Bob opens it whole and sends a
// PDF back, which Alice opens; each sees the other's file in the history.
// Paste and drop attach too; a slow upload shows its progress; a file too
// large is refused at once.
func TestAnImageAndAPDFGoBothWaysAndOpen(t *testing.T) {
	s, a, b := aliceAndBob(t)
	befriend(s, a, "bob", b)
	photo, pdf, pdfBytes := testFiles(t)
	a.open(s, "/chats/bob")
	b.open(s, "/chats/alice")

	a.attach(photo)
	a.waitFor("its preview", `document.getElementById('attachment-preview').naturalWidth > 0`)
	a.say("The view from the hotel 🌄")
	for _, tb := range []*tab{a, b} {
		tb.waitFor("the photo", imageShown)
		tb.waitFor("its caption", shown("The view from the hotel 🌄"))
	}
	if !eval[bool](a, `document.getElementById('attachment-chosen').hidden && document.getElementById('message').value === ''`) {
		t.Error("the composer still holds the file or the text after sending")
	}
	if got := b.text("#chat-list .chat-row .chat-preview"); !strings.Contains(got, "📷 The view from the hotel") {
		t.Errorf("bob's chat list previews %q", got)
	}

	// Bob opens it whole, and closes it with Escape.
	b.run("open the photo", chromedp.Click(chromedp.CSS("#messages .attachment-image img")))
	b.waitFor("the whole photo", `document.getElementById('image-viewer').open &&
		document.getElementById('image-viewer-img').complete && document.getElementById('image-viewer-img').naturalWidth === 1200`)
	if got := b.text("#image-viewer-name"); got != "hotel view.jpg" {
		t.Errorf("the viewer names %q", got)
	}
	b.screenshot("image-viewer")
	b.checkAccessibility("the image viewer")
	b.run("close it", chromedp.KeyEvent(kb.Escape))
	b.waitFor("the viewer closed", `!document.getElementById('image-viewer').open`)

	// Bob sends the PDF back, with Send and no text.
	b.attach(pdf)
	b.run("send", chromedp.Click(chromedp.CSS("#composer button[type=submit]")))
	for _, tb := range []*tab{a, b} {
		tb.waitFor("the PDF", `document.querySelector('#messages .attachment-file .file-name')?.textContent === 'itinerary.pdf'`)
	}
	if got := a.text("#messages .attachment-file .file-size"); got != fmt.Sprintf("%d bytes", len(pdfBytes)) {
		t.Errorf("the PDF's size reads %q", got)
	}
	// Alice opens it: her browser fetches it as the link does.
	got := get(a, "open the PDF", chromedp.Evaluate[string](`(async () => {
		const r = await fetch(document.querySelector('#messages .attachment-file').href);
		return [r.status, r.headers.get('content-type'), r.headers.get('content-disposition'), await r.text()].join('|') })()`, chromedp.EvalAwaitPromise))
	if want := "200|application/pdf|attachment; filename=itinerary.pdf|" + string(pdfBytes); got != want {
		t.Errorf("alice opened the PDF as %q", got)
	}
	// Bob opens his own PDF too, and Alice her photo, whole.
	if got := get(b, "open the PDF", chromedp.Evaluate[int](`fetch(document.querySelector('#messages .attachment-file').href).then(r => r.status)`, chromedp.EvalAwaitPromise)); got != 200 {
		t.Errorf("bob opened his PDF: %d", got)
	}
	a.run("open the photo", chromedp.Click(chromedp.CSS("#messages .attachment-image img")))
	a.waitFor("the whole photo", `document.getElementById('image-viewer').open && document.getElementById('image-viewer-img').naturalWidth === 1200`)
	a.run("close it", chromedp.Click(chromedp.CSS(`#image-viewer button[command=close]`)))
	a.waitFor("the viewer closed", `!document.getElementById('image-viewer').open`)
	a.screenshot("files")
	a.checkAccessibility("a conversation with files")
	// On a phone in dark mode, too.
	b.setView(views[3])
	b.open(s, "/chats/alice")
	b.waitFor("the photo", imageShown)
	if small := b.smallTargets(); len(small) > 0 {
		t.Errorf("tap targets under 44 px on a phone: %v", small)
	}
	b.checkAccessibility("a conversation with files, phone, dark")
	b.screenshot("phone-files")

	// Pasting an image and dropping a file attach them too.
	eval[bool](a, `(() => {
		const dt = new DataTransfer();
		dt.items.add(new File([new Uint8Array([137, 80, 78, 71])], 'image.png', {type: 'image/png'}));
		document.getElementById('message').dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true}));
		return true })()`)
	a.waitFor("the pasted image", `document.getElementById('attachment-name').textContent.startsWith('image.png')`)
	eval[bool](a, `(() => {
		const dt = new DataTransfer();
		dt.items.add(new File(['meeting at nine'], 'notes.txt', {type: 'text/plain'}));
		document.getElementById('history').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
		return true })()`)
	a.waitFor("the dropped file", `document.getElementById('attachment-name').textContent.startsWith('notes.txt')`)
	a.run("remove it", chromedp.Click(chromedp.CSS("#attachment-remove")))
	a.waitFor("nothing attached", `document.getElementById('attachment-chosen').hidden`)

	// A slow upload shows how far it has got, then becomes the message.
	big := filepath.Join(t.TempDir(), "recording.bin")
	if err := os.WriteFile(big, bytes.Repeat([]byte("sound "), 500_000), 0o600); err != nil {
		t.Fatal(err)
	}
	a.throttleUploads(1_000_000)
	a.attach(big)
	a.run("send", chromedp.Click(chromedp.CSS("#composer button[type=submit]")))
	a.waitFor("the progress", `(() => { const p = document.querySelector('#uploads progress'); return !!p && p.value > 0 && p.value < 100 })()`)
	a.waitFor("the file sent", `document.querySelector('#uploads .msg') === null &&
		[...document.querySelectorAll('#messages .file-name')].some(n => n.textContent === 'recording.bin')`)
	a.throttleUploads(-1)

	// Too large: said at once, nothing sent.
	huge := filepath.Join(t.TempDir(), "film.mov")
	if err := os.WriteFile(huge, make([]byte, 21<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	a.run("attach a film", chromedp.SetUploadFiles(chromedp.CSS("#attach"), []string{huge}))
	a.waitFor("the refusal", `document.getElementById('send-error').textContent.includes('larger than 20 MB')`)
	if !eval[bool](a, `document.getElementById('attachment-chosen').hidden`) {
		t.Error("a file too large was attached")
	}

	// A fake picture is refused by the server, and stays attached to be
	// removed or changed.
	fake := filepath.Join(t.TempDir(), "beach.jpg")
	if err := os.WriteFile(fake, []byte("not a picture at all"), 0o600); err != nil {
		t.Fatal(err)
	}
	a.allow("status of 422")
	a.attach(fake)
	a.say("look")
	a.waitFor("the refusal", `document.getElementById('send-error').textContent.includes('is not a picture')`)
	if !eval[bool](a, `!document.getElementById('attachment-chosen').hidden && document.getElementById('message').value === 'look'`) {
		t.Error("the refused file and its text are not back in the composer")
	}
}
