package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
)

func TestSocketRefusesStrangers(t *testing.T) {
	site := newTestSite(t)
	anon := site.newBrowser(t)
	_, resp, err := anon.tryDial("page=chats", site.URL)
	if err == nil || resp == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("without a session: err %v, status %v; want 401", err, resp)
	}

	alice := site.newBrowser(t)
	alice.mustSignup("alice", "Alice")
	for _, origin := range []string{"https://evil.example", "", "null"} {
		_, resp, err := alice.tryDial("page=chats", origin)
		if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
			t.Errorf("Origin %q: err %v, status %v; want 403", origin, err, resp)
		}
	}
	// The same browser on this site's own page is let in.
	c := alice.dial("page=chats")
	c.waitContains(`id="chat-list"`)

	// A conversation socket is refused as the conversation page is: with a
	// stranger, nobody, or oneself.
	site.newBrowser(t).mustSignup("carol", "Carol")
	for query, want := range map[string]int{
		"page=chat&peer=carol":  http.StatusForbidden,
		"page=chat&peer=nobody": http.StatusNotFound,
		"page=chat&peer=alice":  http.StatusNotFound,
	} {
		_, resp, err := alice.tryDial(query, site.URL)
		if err == nil || resp == nil || resp.StatusCode != want {
			t.Errorf("%s: err %v, response %v; want %d", query, err, resp, want)
		}
	}
}

func TestFriendRequestShowsLiveOnTheOtherSocket(t *testing.T) {
	site := newTestSite(t)
	alice, bob := site.newBrowser(t), site.newBrowser(t)
	alice.mustSignup("alice", "Alice")
	bob.mustSignup("bob", "Bob")
	bobFriends := bob.dial("page=friends")
	bobChats := bob.dial("page=chats")
	bobFriends.waitContains(`id="incoming"`)
	bobChats.waitContains(`id="chat-list"`)

	alice.post("/friends/requests", url.Values{"username": {"bob"}})
	f := bobFriends.waitContains(`id="incoming-`)
	if !strings.Contains(f, "Alice") || !strings.Contains(f, "Accept") {
		t.Errorf("bob's friends page got %s", f)
	}
	// and is told who asked, where a screen reader says it.
	if !strings.Contains(f, `role="status"`) || !strings.Contains(f, "Alice sent you a friend request.") {
		t.Errorf("bob's friends page was not told who asked: %s", f)
	}
	// Every page shows the request count in the navigation.
	bobChats.waitContains(`1 friend request<`)

	// Bob accepts: both see the other in their friend list, online.
	aliceFriends := alice.dial("page=friends")
	aliceFriends.waitContains(`id="friend-list"`)
	_, doc := bob.get("/friends")
	bob.post(doc.Find("#incoming form").First().AttrOr("action", ""), nil)
	aliceFriends.waitFor("bob in alice's friend list, online", func(frames []string, _ error) bool {
		return onlineIn(last(frames), "bob")
	})
	aliceFriends.waitContains("Bob and you are now friends.")
}

func TestPresenceGoesOfflineWhenTheLastSocketCloses(t *testing.T) {
	site := newTestSite(t)
	alice, bob := site.newBrowser(t), site.newBrowser(t)
	alice.mustSignup("alice", "Alice")
	bob.mustSignup("bob", "Bob")
	befriend(t, alice, bob, "bob")

	aliceFriends := alice.dial("page=friends")
	bobTab := bob.dial("page=chats")
	aliceFriends.waitFor("bob online", func(frames []string, _ error) bool {
		return strings.Contains(last(frames), "@bob") && onlineIn(last(frames), "bob")
	})
	bobTab.conn.Close()
	aliceFriends.waitFor("bob offline", func(frames []string, _ error) bool {
		return strings.Contains(last(frames), "@bob") && !onlineIn(last(frames), "bob")
	})
}

// onlineIn reports whether the friend row of username in a frame shows
// them online.
func onlineIn(frame, username string) bool {
	i := strings.Index(frame, "@"+username)
	row := frame[:max(i, 0)]
	if j := strings.LastIndex(row, `class="person friend"`); j >= 0 {
		row = row[j:]
	}
	return strings.Contains(row, "presence online")
}

func TestShutdownClosesSocketsWithServiceRestart(t *testing.T) {
	site := newTestSite(t)
	alice := site.newBrowser(t)
	alice.mustSignup("alice", "Alice")
	c1 := alice.dial("page=chats")
	c2 := alice.dial("page=friends")
	c1.waitContains(`chat-list`)
	c2.waitContains(`friend-list`)
	site.stop()
	for _, c := range []*wsClient{c1, c2} {
		if code := c.waitClosed(); code != websocket.CloseServiceRestart {
			t.Errorf("closed with %d, want %d (service restart)", code, websocket.CloseServiceRestart)
		}
	}
}

func TestLogoutClosesThatSessionsSockets(t *testing.T) {
	site := newTestSite(t)
	alice := site.newBrowser(t)
	alice.mustSignup("alice", "Alice")
	otherLogin := site.newBrowser(t)
	otherLogin.login("alice", "password123")
	mine := alice.dial("page=chats")
	theirs := otherLogin.dial("page=chats")
	mine.waitContains("chat-list")
	theirs.waitContains("chat-list")

	alice.post("/logout", nil)
	if code := mine.waitClosed(); code != 4001 {
		t.Errorf("the logged-out session's socket closed with %d, want 4001 (logged out)", code)
	}
	// Another login of the same person stays connected and live.
	bob := site.newBrowser(t)
	bob.mustSignup("bob", "Bob")
	bob.post("/friends/requests", url.Values{"username": {"alice"}})
	theirs.waitContains("1 friend request<")
}

// Tabs past the caps close the oldest, with a reason the page shows; the
// newest stay live.
func TestTabsPastTheCapsCloseTheOldest(t *testing.T) {
	site := newTestSiteWith(t, func(c *siteConfig) { c.Live.MaxTabsPerLogin, c.Live.MaxTabsPerPerson = 2, 3 })
	alice := site.newBrowser(t)
	alice.mustSignup("alice", "Alice")
	var tabs []*wsClient
	for range 3 {
		c := alice.dial("page=chats")
		c.waitContains(`id="chat-list"`)
		tabs = append(tabs, c)
	}
	if code := tabs[0].waitClosed(); code != 4002 {
		t.Errorf("the oldest of three tabs in one login closed with %d, want 4002", code)
	}
	// Another login of the same person: the person's cap counts both.
	other := site.newBrowser(t)
	other.login("alice", "password123")
	more := []*wsClient{other.dial("page=chats"), other.dial("page=friends")}
	for _, c := range more {
		c.waitContains(`id="nav-requests"`)
	}
	if code := tabs[1].waitClosed(); code != 4002 {
		t.Errorf("the person's oldest tab closed with %d, want 4002", code)
	}
	// The newest are live: a friend request shows on them.
	bob := site.newBrowser(t)
	bob.mustSignup("bob", "Bob")
	bob.post("/friends/requests", url.Values{"username": {"alice"}})
	for _, c := range append([]*wsClient{tabs[2]}, more...) {
		c.waitContains("1 friend request<")
	}
}
