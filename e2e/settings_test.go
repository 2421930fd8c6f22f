package e2e

import (
	"archive/zip"
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
)

// download presses the button and returns the path of the file the
// browser saved.
func (tb *tab) download(button string) string {
	tb.t.Helper()
	dir := tb.t.TempDir()
	tb.run("allow downloads", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		c := chromedp.FromContext(ctx)
		_, err := cdp.Call(ctx, c.Browser, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir, BrowserContextID: c.BrowserContextID,
		})
		return err
	}))
	tb.run("press "+button, chromedp.Click(chromedp.CSS(button)))
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		// The browser may show the file under its name before it has
		// written the end of it: done once it opens as a zip.
		got, _ := filepath.Glob(filepath.Join(dir, "*.zip"))
		if len(got) == 1 {
			if zr, err := zip.OpenReader(got[0]); err == nil {
				zr.Close()
				return got[0]
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	tb.t.Fatalf("%s: nothing downloaded", tb.name)
	return ""
}

// Alice is signed in on her laptop and her phone. On the laptop she sees
// both in Settings and changes her password: the phone's open page goes
// to the login page at once, and the old password no longer works there.
// Export my data then downloads a zip that opens.
func TestChangingThePasswordSignsTheOtherBrowserOut(t *testing.T) {
	browser := newBrowser(t)
	s := startSite(t)
	laptop := newPerson(t, browser, "alice's laptop")
	laptop.signup(s, "alice", "Alice")
	phone := newPerson(t, browser, "alice's phone")
	phone.login(s, "alice")
	phone.live()

	laptop.open(s, "/settings")
	if n := eval[int](laptop, `document.querySelectorAll('.device').length`); n != 2 {
		t.Fatalf("settings lists %d devices", n)
	}
	if got := laptop.text(".device:has(.device-when) .device-name"); !strings.Contains(got, "Chrome") {
		t.Errorf("the device is named %q", got)
	}
	laptop.checkAccessibility("settings")
	laptop.screenshot("settings")
	laptop.run("change the password",
		chromedp.SendKeys(chromedp.CSS("#current_password"), "password123"),
		chromedp.SendKeys(chromedp.CSS("#new_password"), "correct horse battery"),
		chromedp.Click(chromedp.CSS(`form[action="/settings/password"] button`)),
	)
	laptop.waitFor("the change said", `document.getElementById('settings-notice').textContent.includes('signed out everywhere else')`)
	phone.waitFor("the phone signed out", `location.pathname === '/login'`)
	if n := eval[int](laptop, `document.querySelectorAll('.device').length`); n != 1 {
		t.Errorf("after the change settings lists %d devices", n)
	}

	phone.allow("status of 401") // the old password, refused
	phone.run("log in with the old password",
		chromedp.SendKeys(chromedp.CSS("#username"), "alice"),
		chromedp.SendKeys(chromedp.CSS("#password"), "password123"),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
	)
	phone.waitFor("the refusal", `document.body.textContent.includes('Wrong username or password')`)

	// Export my data downloads a zip that opens.
	path := laptop.download(`form[action="/settings/export"] button`)
	if !strings.HasPrefix(filepath.Base(path), "chat-alice-") {
		t.Errorf("downloaded %s", path)
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("the export does not open: %v", err)
	}
	defer zr.Close()
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	if got := strings.Join(names, " "); !strings.Contains(got, "profile.json") || !strings.Contains(got, "friends.json") || !strings.Contains(got, "README.txt") {
		t.Errorf("the export holds %s", got)
	}
}

// Alice deletes her account. Bob's open conversation says the account
// was deleted and shows her messages from "Deleted account"; a newcomer
// cannot sign up as alice.
func TestADeletedAccountsPeerSeesDeletedAccount(t *testing.T) {
	s, a, b := aliceAndBob(t)
	befriend(s, a, "bob", b)
	a.open(s, "/chats/bob")
	a.say("Goodbye, Bob")
	b.open(s, "/chats/alice")
	b.waitFor("the message", shown("Goodbye, Bob"))

	a.open(s, "/settings")
	a.run("delete the account",
		chromedp.SendKeys(chromedp.CSS("#password"), "password123"),
		chromedp.Click(chromedp.CSS(`form[action="/settings/delete-account"] button`)),
	)
	a.waitFor("the account deleted", `document.body.textContent.includes('becomes free for others in 30 days')`)

	b.waitFor("the chat says so", `document.getElementById('composer-status').textContent.includes('This account was deleted')`)
	b.open(s, "/chats/alice")
	if got := b.text("h1"); got != "Deleted account" {
		t.Errorf("bob's chat is headed %q", got)
	}
	if !eval[bool](b, shown("Goodbye, Bob")) {
		t.Error("bob lost the message")
	}
	b.checkAccessibility("a chat with a deleted account")

	newcomer := newPerson(t, newBrowser(t), "newcomer")
	newcomer.allow("status of 422")
	newcomer.run("sign up as alice",
		chromedp.Navigate(s.URL+"/signup"),
		chromedp.SendKeys(chromedp.CSS("#username"), "alice"),
		chromedp.SendKeys(chromedp.CSS("#display_name"), "Not Alice"),
		chromedp.SendKeys(chromedp.CSS("#password"), "password123"),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
	)
	newcomer.waitFor("the refusal", `document.getElementById('username-error')?.textContent.includes('taken')`)
}

// Alice changes her name and picture in Settings: Bob's open chat with
// her shows both at once. When her last page closes, Bob's says when she
// was last seen.
func TestANewNameAndPictureShowLiveAndLastSeenAfter(t *testing.T) {
	s, a, b := aliceAndBob(t)
	befriend(s, a, "bob", b)
	a.open(s, "/chats/bob")
	a.say("New picture coming")
	b.open(s, "/chats/alice")
	b.waitFor("the message", shown("New picture coming"))
	a.open(s, "/settings")
	picture := filepath.Join(t.TempDir(), "me.png")
	if err := os.WriteFile(picture, redSquare(t), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := a.text(".file-pick-name"); got != "No picture chosen" {
		t.Errorf("before choosing, the picture field says %q", got)
	}
	a.run("choose a picture", chromedp.SetUploadFiles(chromedp.CSS("#avatar"), []string{picture}))
	a.waitFor("the name of the picture chosen", `document.querySelector('.file-pick-name').textContent === 'me.png'`)
	a.run("save it", chromedp.Click(chromedp.CSS(`form[action="/settings/avatar"] button`)))
	a.waitFor("the picture saved", `document.querySelector('img.avatar-large')?.complete === true`)
	b.waitFor("the picture shown", `(() => { const i = document.querySelector('#peer-avatar img'); return !!i && i.complete && i.naturalWidth === 96 })()`)

	eval[bool](a, `(document.getElementById('display_name').value = '', true)`)
	a.run("rename", chromedp.SendKeys(chromedp.CSS("#display_name"), "爱丽丝"),
		chromedp.Click(chromedp.CSS(`form[action="/settings/profile"] button`)))
	a.waitFor("the name saved", `document.getElementById('settings-notice').textContent.includes('Your name is changed')`)
	if got := a.text("#me"); got != "爱丽丝" {
		t.Errorf("alice's top bar says %q", got)
	}
	b.waitFor("the new name", `document.getElementById('peer-name').textContent === '爱丽丝'`)
	b.waitFor("the chat list", contains("#chat-list", "爱丽丝"))
	b.checkAccessibility("a chat with a picture")

	a.close()
	b.waitFor("last seen", `document.getElementById('peer-presence').textContent.includes('last seen today at')`)
}

// redSquare is a small PNG picture.
func redSquare(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 200, 200))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+3] = 220, 255
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
