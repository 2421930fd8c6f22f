package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// live waits until the page's websocket is open.
func (tb *tab) live() {
	tb.t.Helper()
	tb.waitFor("the live connection", `document.body.dataset.socket === 'open'`)
}

// open navigates to path and waits for its live connection.
func (tb *tab) open(s *site, path string) {
	tb.t.Helper()
	tb.run("open "+path, chromedp.Navigate(s.URL+path))
	tb.live()
}

// has reports JavaScript's answer to whether sel's text contains text.
func contains(sel, text string) string {
	return `(document.querySelector(` + jsString(sel) + `)?.textContent || '').includes(` + jsString(text) + `)`
}

func jsString(s string) string {
	out := []rune{'\''}
	for _, r := range s {
		if r == '\'' || r == '\\' {
			out = append(out, '\\')
		}
		out = append(out, r)
	}
	return string(append(out, '\''))
}

// befriend makes a's and b's users friends through the pages.
func befriend(s *site, a *tab, bUsername string, b *tab) {
	a.t.Helper()
	a.open(s, "/friends")
	a.run("find "+bUsername, chromedp.SendKeys(chromedp.CSS("#find"), bUsername))
	a.waitFor("the search result", contains("#search-results", "@"+bUsername))
	a.run("add friend", chromedp.Click(chromedp.CSS(`#search-results button.primary`)))
	a.waitFor("the sent request", contains("#outgoing", "@"+bUsername))
	b.open(s, "/friends")
	b.run("accept", chromedp.Click(chromedp.CSS(`#incoming button.primary`)))
	b.waitFor("the new friend", `document.querySelectorAll('#friend-list .person').length > 0`)
}

// aliceAndBob starts a site and signs up Alice and Bob, each in a browser
// context of their own.
func aliceAndBob(t *testing.T) (*site, *tab, *tab) {
	browser := newBrowser(t)
	s := startSite(t)
	a := newPerson(t, browser, "alice")
	a.signup(s, "alice", "Alice")
	b := newPerson(t, browser, "bob")
	b.signup(s, "bob", "Bob")
	return s, a, b
}

func TestFriendsLiveWithPresence(t *testing.T) {
	s, a, b := aliceAndBob(t)

	b.open(s, "/friends")
	a.open(s, "/friends")
	a.run("find bob", chromedp.SendKeys(chromedp.CSS("#find"), "BO"))
	a.waitFor("bob in the results", contains("#search-results", "@bob"))
	if got := a.text("#search-results .person button"); got != "Add friend" {
		t.Errorf("result action = %q, want Add friend", got)
	}
	a.run("add bob", chromedp.Click(chromedp.CSS(`#search-results button.primary`)))
	a.waitFor("the notice", contains("#notice", "Friend request sent to Bob"))
	a.waitFor("the result's new state", contains("#search-results", "Request sent"))

	// Bob sees it without reloading, with a count in the navigation.
	b.waitFor("alice's request", contains("#incoming", "Alice"))
	b.waitFor("the request badge", contains("#nav-requests", "1 friend requests"))
	b.screenshot("friends-request")
	b.run("accept", chromedp.Click(chromedp.CSS(`#incoming button.primary`)))

	// Both see each other as friends, online.
	a.waitFor("bob online in alice's list", `document.querySelector('#friend-list .person .presence.online') !== null && `+contains("#friend-list", "@bob"))
	b.waitFor("alice online in bob's list", `document.querySelector('#friend-list .person .presence.online') !== null && `+contains("#friend-list", "@alice"))
	a.waitFor("alice's request list emptied", contains("#outgoing", "No requests sent"))
	b.waitFor("bob's badge cleared", `document.querySelector('#nav-requests').hidden`)
	if got := a.text("#friend-list .presence .visually-hidden"); got != "online" {
		t.Errorf("presence reads %q", got)
	}
	a.screenshot("friends")

	// Bob closes his page: Alice sees him go offline.
	b.close()
	a.waitFor("bob offline", `document.querySelector('#friend-list .person .presence.offline') !== null`)
	if got := a.text("#friend-list .presence .visually-hidden"); got != "offline" {
		t.Errorf("presence reads %q", got)
	}

	// Removing a friend asks first.
	a.run("remove bob", chromedp.Click(chromedp.CSS(`#friend-list .actions button`)))
	a.waitFor("the confirmation", `document.querySelector('#friend-list dialog').open`)
	a.run("confirm", chromedp.Click(chromedp.CSS(`#friend-list dialog button.danger`)))
	a.waitFor("the removal", contains("#notice", "Bob is no longer your friend"))
	a.waitFor("the empty list", contains("#friend-list", "No friends yet"))
}
