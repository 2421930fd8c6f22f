package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Alice is signed in on her laptop and her phone. On the laptop she sees
// both in Settings and changes her password: the phone's open page goes
// to the login page at once, and the old password no longer works there.
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
}
