package handlers

import (
	"context"
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

// Deleting the account needs the password; then every page of it closes,
// the peer sees "Deleted account" in what they keep, live, and the
// username is refused to sign-ups.
func TestADeletedAccountIsGoneButItsPeerKeepsTheChat(t *testing.T) {
	site := newTestSite(t)
	alice, bob := chatPair(t, site)
	storeMessages(t, site, "alice", "bob", 2)
	alicePhone := site.newBrowser(t)
	alicePhone.login("alice", "password123")
	phoneTab := alicePhone.dial("page=chats")
	phoneTab.waitContains(`id="chat-list"`)
	bobsTab := bob.dial("page=chat&peer=alice&after=0")
	bobsTab.waitContains(`id="chat-list"`)

	resp, doc := alice.post("/settings/delete-account", url.Values{"password": {"not it"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(doc.Find("#password-error").Text(), "not deleted") {
		t.Fatalf("a wrong password: %d %q", resp.StatusCode, doc.Find("#password-error").Text())
	}
	resp, doc = alice.post("/settings/delete-account", url.Values{"password": {"password123"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(doc.Text(), "becomes free for others in 30 days") {
		t.Fatalf("deleting: %d %s", resp.StatusCode, doc.Find("main").Text())
	}
	if code := phoneTab.waitClosed(); code != 4001 {
		t.Errorf("alice's phone page closed with %d", code)
	}
	if resp, _ := alice.get("/"); resp.Request.URL.Path != "/login" {
		t.Errorf("alice is still signed in: %s", resp.Request.URL.Path)
	}
	if resp, _ := alice.login("alice", "password123"); resp.Request.URL.Path == "/" {
		t.Error("the deleted account can log in")
	}

	bobsTab.waitContains("This account was deleted")
	_, doc = bob.get("/chats/alice")
	if got := doc.Find("h1").Text(); got != "Deleted account" || doc.Find("#messages .msg").Length() != 2 ||
		doc.Find("#composer-status[data-friend]").Length() != 0 || doc.Find("#block button").Length() != 0 {
		t.Errorf("bob's chat: %q, %d messages", got, doc.Find("#messages .msg").Length())
	}
	if _, doc := bob.get("/"); !strings.Contains(doc.Find("#chat-list").Text(), "Deleted account") {
		t.Errorf("bob's chat list: %s", doc.Find("#chat-list").Text())
	}
	// Each page says it in its own language.
	if _, doc := bob.chineseGet("/chats/alice"); doc.Find("h1").Text() != "已注销账号" || !strings.Contains(doc.Find("#chat-list").Text(), "已注销账号") {
		t.Errorf("bob's chat in Chinese: %q; list %q", doc.Find("h1").Text(), doc.Find("#chat-list").Text())
	}
	if _, doc := bob.chineseGet("/search?q=message"); !strings.Contains(doc.Find(".search-result").First().Text(), "已注销账号") {
		t.Errorf("bob's search in Chinese: %q", doc.Find(".search-result").First().Text())
	}
	newcomer := site.newBrowser(t)
	if _, doc := newcomer.signup("alice", "Someone Else", "password123"); !strings.Contains(doc.Find("#username-error").Text(), "taken") {
		t.Errorf("signing up as alice: %q", doc.Find("#username-error").Text())
	}
}

// A new display name shows at once wherever it is open: the person's own
// top bar in their other tab, and the peer's conversation heading, chat
// list row and friends list.
func TestANewNameShowsLive(t *testing.T) {
	site := newTestSite(t)
	alice, bob := chatPair(t, site)
	storeMessages(t, site, "alice", "bob", 1)
	aliceOther := alice.dial("page=chats")
	bobsChat := bob.dial("page=chat&peer=alice&after=0")
	bobsList := bob.dial("page=chats")
	bobsFriends := bob.dial("page=friends")
	for _, c := range []*wsClient{aliceOther, bobsChat, bobsList} {
		c.waitContains(`id="chat-list"`)
	}
	bobsFriends.waitContains(`id="friend-list"`)

	resp, doc := alice.post("/settings/profile", url.Values{"display_name": {" \u202Eevil "}})
	if resp.StatusCode != http.StatusUnprocessableEntity || doc.Find("#display_name-error").Text() == "" {
		t.Errorf("a name that reverses text: %d %q", resp.StatusCode, doc.Find("#display_name-error").Text())
	}
	resp, doc = alice.post("/settings/profile", url.Values{"display_name": {"  爱丽丝 "}})
	if !strings.Contains(doc.Find("#settings-notice").Text(), "Your name is changed") || doc.Find("#display_name").AttrOr("value", "") != "爱丽丝" {
		t.Fatalf("after saving: %s %q", resp.Request.URL, doc.Find("#settings-notice").Text())
	}
	// (Each tab's first frame holds the names as they were: the update is
	// the frame with the new one.)
	if f := aliceOther.waitContains(">爱丽丝</span>"); !strings.Contains(f, `id="me"`) {
		t.Errorf("alice's other tab: %s", f)
	}
	if f := bobsChat.waitContains(">爱丽丝</h1>"); !strings.Contains(f, `id="peer-name"`) || !strings.Contains(f, `id="peer-avatar"`) {
		t.Errorf("bob's conversation: %s", f)
	}
	if f := bobsChat.waitContains(`patch:#chat-list`); !strings.Contains(f, "爱丽丝") {
		t.Errorf("bob's conversation's chat list: %s", f)
	}
	if f := bobsList.waitContains(`patch:#chat-list`); !strings.Contains(f, "爱丽丝") || strings.Contains(f, `id="peer-name"`) {
		t.Errorf("bob's chat list: %s", f)
	}
	bobsFriends.waitContains("爱丽丝")
	if _, doc := bob.get("/friends"); !strings.Contains(doc.Find("#friend-list").Text(), "爱丽丝") {
		t.Error("bob's friends page does not show the new name")
	}
}

// When Alice's last page closes, Bob's conversation with her says when
// she was last seen; once Bob turns his own last seen off, he sees
// hers no more.
func TestLastSeenShowsWhileBothShowIt(t *testing.T) {
	site := newTestSite(t)
	alice, bob := chatPair(t, site)
	bobsChat := bob.dial("page=chat&peer=alice&after=0")
	bobsChat.waitContains(`id="chat-list"`)
	alicePage := alice.dial("page=chats")
	alicePage.waitContains(`id="chat-list"`)
	bobsChat.waitContains(`<span aria-hidden="true">online</span>`)

	alicePage.conn.Close()
	f := bobsChat.waitContains("last seen")
	if !strings.Contains(f, "last seen today at") {
		t.Errorf("bob's page: %s", f)
	}
	if _, doc := bob.get("/chats/alice"); !strings.Contains(doc.Find("#peer-presence").Text(), "last seen today at") {
		t.Errorf("bob's page, opened: %q", doc.Find("#peer-presence").Text())
	}

	before, _ := bobsChat.snapshot()
	bob.post("/settings", url.Values{"read_receipts": {"on"}, "sounds": {"on"}}) // last seen off
	bobsChat.waitFor("last seen gone", func(frames []string, _ error) bool {
		for _, f := range frames[len(before):] {
			if strings.Contains(f, `id="peer-presence"`) && !strings.Contains(f, "last seen") {
				return true
			}
		}
		return false
	})
	if _, doc := bob.get("/chats/alice"); strings.Contains(doc.Find("#peer-presence").Text(), "last seen") {
		t.Error("bob sees alice's last seen with his own off")
	}
	if _, doc := bob.get("/settings"); doc.Find("#last-seen[checked]").Length() != 0 {
		t.Error("the setting did not stay off")
	}
}

// Sound is the person's setting: the top bar's button turns it off for
// every page of theirs, at once, and for pages opened later.
func TestSoundIsThePersonsSetting(t *testing.T) {
	site := newTestSite(t)
	laptop := site.newBrowser(t)
	laptop.mustSignup("alice", "Alice")
	phone := site.newBrowser(t)
	phone.login("alice", "password123")
	phoneTab := phone.dial("page=chats")
	phoneTab.waitContains(`id="chat-list"`)
	if _, doc := laptop.get("/"); doc.Find(`#sound button[aria-pressed=true]`).Length() != 1 {
		t.Fatal("sound is not on at first")
	}
	code, html := laptop.hxStatus("/settings/sounds", url.Values{"sounds": {"off"}})
	if code != http.StatusOK || !strings.Contains(html, `aria-pressed="false"`) || !strings.Contains(html, `value="on"`) {
		t.Errorf("turning it off: %d %s", code, html)
	}
	if f := phoneTab.waitContains(`aria-pressed="false"`); !strings.Contains(f, `id="sound"`) {
		t.Errorf("the phone's page: %s", f)
	}
	if _, doc := phone.get("/settings"); doc.Find(`#sound button[aria-pressed=false]`).Length() != 1 || doc.Find("#sounds[checked]").Length() != 0 {
		t.Error("a page opened later has the sound on")
	}
}

// A reset link sets a new password once, signing the person out
// everywhere; used, it works no more.
func TestAResetLinkSetsThePasswordOnce(t *testing.T) {
	site := newTestSite(t)
	alice := site.newBrowser(t)
	alice.mustSignup("alice", "Alice")
	tab := alice.dial("page=chats")
	tab.waitContains(`id="chat-list"`)
	if err := site.store.CreatePasswordReset(context.Background(), site.user(t, "alice").ID, []byte("the-token")); err != nil {
		t.Fatal(err)
	}
	stranger := site.newBrowser(t)
	if resp, doc := stranger.get("/reset/the-token"); resp.StatusCode != http.StatusOK || doc.Find("#new_password").Length() != 1 {
		t.Fatalf("the link's form: %d", resp.StatusCode)
	}
	if resp, doc := stranger.post("/reset/the-token", url.Values{"new_password": {"short"}}); resp.StatusCode != http.StatusUnprocessableEntity || doc.Find("#new_password-error").Text() == "" {
		t.Errorf("a short password: %d", resp.StatusCode)
	}
	if resp, doc := stranger.post("/reset/the-token", url.Values{"new_password": {"a brand new one"}}); resp.StatusCode != http.StatusOK || !strings.Contains(doc.Text(), "new password is set") {
		t.Fatalf("setting it: %d %s", resp.StatusCode, doc.Find("main").Text())
	}
	if code := tab.waitClosed(); code != 4001 {
		t.Errorf("alice's page closed with %d", code)
	}
	if resp, _ := alice.get("/"); resp.Request.URL.Path != "/login" {
		t.Error("alice is still signed in")
	}
	if resp, _ := site.newBrowser(t).login("alice", "a brand new one"); resp.Request.URL.Path != "/" {
		t.Error("the new password does not work")
	}
	for _, path := range []string{"/reset/the-token", "/reset/another"} {
		if resp, doc := stranger.get(path); resp.StatusCode != http.StatusNotFound || !strings.Contains(doc.Text(), "does not work") {
			t.Errorf("%s: %d", path, resp.StatusCode)
		}
	}
}
