package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// A password change needs the current password, keeps this login, and
// ends every other one at once: its open pages are sent to log in.
func TestChangingThePasswordSignsOutEverywhereElse(t *testing.T) {
	site := newTestSite(t)
	laptop := site.newBrowser(t)
	laptop.mustSignup("alice", "Alice")
	phone := site.newBrowser(t)
	if resp, _ := phone.login("alice", "password123"); resp.Request.URL.Path != "/" {
		t.Fatalf("phone login landed on %s", resp.Request.URL.Path)
	}
	phoneTab := phone.dial("page=chats")
	phoneTab.waitContains(`id="chat-list"`)

	_, doc := laptop.get("/settings")
	if n := doc.Find(".device").Length(); n != 2 || !strings.Contains(doc.Find(".device").First().Text(), "This device") &&
		!strings.Contains(doc.Find(".device").Last().Text(), "This device") {
		t.Fatalf("settings list %d devices: %s", n, doc.Find(".devices").Text())
	}
	for _, c := range []struct {
		name           string
		current, new   string
		currentProblem string
		newProblem     string
	}{
		{"a wrong current password", "password124", "a new password", "not your current password", ""},
		{"a new password too short", "password123", "short", "", "at least 8"},
	} {
		resp, doc := laptop.post("/settings/password", url.Values{"current_password": {c.current}, "new_password": {c.new}})
		if resp.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(doc.Find("#current_password-error").Text(), c.currentProblem) ||
			!strings.Contains(doc.Find("#new_password-error").Text(), c.newProblem) ||
			(c.currentProblem != "") != (doc.Find("#current_password[aria-invalid=true]").Length() == 1) {
			t.Errorf("%s: %d, %q / %q", c.name, resp.StatusCode, doc.Find("#current_password-error").Text(), doc.Find("#new_password-error").Text())
		}
	}
	if _, closed := phoneTab.snapshot(); closed != nil {
		t.Fatalf("a refused change closed the phone's page: %v", closed)
	}

	resp, doc := laptop.post("/settings/password", url.Values{"current_password": {"password123"}, "new_password": {"a much better one"}})
	if resp.Request.URL.Path != "/settings" || !strings.Contains(doc.Find("#settings-notice").Text(), "signed out everywhere else") {
		t.Fatalf("after the change: %s %q", resp.Request.URL, doc.Find("#settings-notice").Text())
	}
	if code := phoneTab.waitClosed(); code != 4001 {
		t.Errorf("the phone's page closed with %d, want 4001 (logged out)", code)
	}
	if resp, _ := phone.get("/"); resp.Request.URL.Path != "/login" {
		t.Errorf("the phone is still signed in: %s", resp.Request.URL.Path)
	}
	if resp, _ := laptop.get("/"); resp.Request.URL.Path != "/" {
		t.Errorf("the laptop was signed out: %s", resp.Request.URL.Path)
	}
	if resp, _ := site.newBrowser(t).login("alice", "password123"); resp.Request.URL.Path == "/" {
		t.Error("the old password still works")
	}
	tablet := site.newBrowser(t)
	if resp, _ := tablet.login("alice", "a much better one"); resp.Request.URL.Path != "/" {
		t.Fatalf("the new password does not work: %s", resp.Request.URL.Path)
	}

	// Log out other sessions, from the tablet: the laptop goes.
	laptopTab := laptop.dial("page=chats")
	laptopTab.waitContains(`id="chat-list"`)
	_, doc = tablet.get("/settings")
	if doc.Find(`form[action="/settings/sessions/end-others"] button`).Text() != "Log out other sessions" {
		t.Fatal("no Log out other sessions with two logins")
	}
	resp, doc = tablet.post("/settings/sessions/end-others", nil)
	if !strings.Contains(doc.Find("#settings-notice").Text(), "signed out everywhere else") || doc.Find(".device").Length() != 1 {
		t.Errorf("after logging out the others: %s, %d devices", resp.Request.URL, doc.Find(".device").Length())
	}
	if code := laptopTab.waitClosed(); code != 4001 {
		t.Errorf("the laptop's page closed with %d", code)
	}
	if doc.Find(`form[action="/settings/sessions/end-others"]`).Length() != 0 {
		t.Error("Log out other sessions is offered with one login left")
	}
}
