package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestSignUpLogOutLogInAgain(t *testing.T) {
	browser := newBrowser(t)
	s := startSite(t)

	first := newPerson(t, browser, "first visit")
	first.run("open the site", chromedp.Navigate(s.URL+"/"))
	if p := first.path(); p != "/login" {
		t.Fatalf("signed-out visit landed on %s, want /login", p)
	}
	first.signup(s, "zhang", "张三")
	if got := first.text(".topbar .me"); got != "张三" {
		t.Errorf("header after sign-up shows %q", got)
	}
	first.screenshot("chats-empty")
	first.run("open friends", chromedp.Navigate(s.URL+"/friends"), chromedp.WaitVisible(chromedp.CSS("#friend-list")))
	first.logout()
	if p := first.path(); p != "/login" {
		t.Errorf("after logout on %s", p)
	}
	first.run("open signup", chromedp.Navigate(s.URL+"/signup"), chromedp.WaitVisible(chromedp.CSS("#display_name")))

	// A fresh browser context: no cookies from the first visit.
	second := newPerson(t, browser, "second visit")
	second.run("open the site", chromedp.Navigate(s.URL+"/"))
	if p := second.path(); p != "/login" {
		t.Fatalf("new browser context landed on %s, want /login", p)
	}
	second.login(s, "zhang")
	if got := second.text(".topbar .me"); got != "张三" {
		t.Errorf("header after login shows %q", got)
	}
	if p := second.path(); p != "/" {
		t.Errorf("after login on %s, want /", p)
	}
}

func TestSignUpErrorsShowNextToFields(t *testing.T) {
	browser := newBrowser(t)
	s := startSite(t)
	tb := newPerson(t, browser, "visitor")
	tb.run("send a bad sign-up",
		chromedp.Navigate(s.URL+"/signup"),
		chromedp.SendKeys(chromedp.CSS("#username"), "no spaces allowed"),
		chromedp.SendKeys(chromedp.CSS("#display_name"), "Someone"),
		chromedp.SendKeys(chromedp.CSS("#password"), "short"),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#username-error`)),
	)
	if tb.text("#password-error") == "" {
		t.Error("no error next to the password")
	}
	kept := eval[string](tb, `document.querySelector('#display_name').value`)
	if kept != "Someone" {
		t.Errorf("display name not kept: %q", kept)
	}
	// Said out loud, and the cursor is in the first field to fix, whose
	// error is its description.
	if got := tb.text("#form-error"); got != "2 fields need another look." || eval[string](tb, `document.getElementById('form-error').getAttribute('role')`) != "alert" {
		t.Errorf("summary %q", got)
	}
	if got := eval[string](tb, `document.activeElement.id`); got != "username" {
		t.Errorf("the cursor is in %q, want the username", got)
	}
	if got := eval[string](tb, `document.activeElement.getAttribute('aria-describedby')`); !strings.Contains(got, "username-error") {
		t.Errorf("the username field is described by %q", got)
	}
}

// A chat's address opened while signed out leads, once logged in, to
// that chat.
func TestALinkOpenedSignedOutLeadsThereAfterLogin(t *testing.T) {
	s, a, b := aliceAndBob(t)
	befriend(s, a, "bob", b)
	a.logout()
	a.run("open the chat's address", chromedp.Navigate(s.URL+"/chats/bob"))
	if p := a.path(); p != "/login" {
		t.Fatalf("signed out, landed on %s", p)
	}
	a.run("log in",
		chromedp.SendKeys(chromedp.CSS("#username"), "alice"),
		chromedp.SendKeys(chromedp.CSS("#password"), "password123"),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
	)
	a.waitFor("the chat", `location.pathname === '/chats/bob'`)
	a.live()
}
