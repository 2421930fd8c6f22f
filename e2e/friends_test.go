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
		switch r {
		case '\'', '\\':
			out = append(out, '\\', r)
		case '\n':
			out = append(out, '\\', 'n')
		default:
			out = append(out, r)
		}
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

// aliceBobAndCarol is aliceAndBob with a third person.
func aliceBobAndCarol(t *testing.T) (*site, *tab, *tab, *tab) {
	browser := newBrowser(t)
	s := startSite(t)
	a, b, c := newPerson(t, browser, "alice"), newPerson(t, browser, "bob"), newPerson(t, browser, "carol")
	a.signup(s, "alice", "Alice")
	b.signup(s, "bob", "Bob")
	c.signup(s, "carol", "Carol")
	return s, a, b, c
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
	b.waitFor("the request badge", `document.querySelector("#nav-requests .visually-hidden").textContent === "1 friend request"`)
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
	a.waitFor("the confirmation", `document.querySelector('#friend-list dialog[id^=remove-]').open`)
	a.run("confirm", chromedp.Click(chromedp.CSS(`#friend-list dialog[open] button.danger`)))
	a.waitFor("the removal", contains("#notice", "Bob is no longer your friend"))
	a.waitFor("the empty list", contains("#friend-list", "No friends yet"))
}

// The friends page says what happened: searching your own name finds you,
// a request shows in the other person's title, a sent-request notice gives
// way to the answer, a declined requester is told, and a former friend's
// conversation offers Add friend and Accept where the composer was.
func TestFriendsPageSaysWhatHappened(t *testing.T) {
	s, a, b, c := aliceBobAndCarol(t)

	a.open(s, "/friends")
	a.run("find myself", chromedp.SendKeys(chromedp.CSS("#find"), "ali"))
	a.waitFor("myself in the results", contains("#search-results", "That is you"))
	if n := eval[int](a, `document.querySelectorAll('#search-results button').length`); n != 0 {
		t.Errorf("my own search result offers %d buttons", n)
	}

	// Bob's chat list counts the request in its title; his friends page,
	// in another tab, says who asked.
	b.open(s, "/")
	title := eval[string](b, "document.title")
	bobFriends := b.anotherTab("bob's friends")
	bobFriends.open(s, "/friends")
	eval[string](a, `document.querySelector('#find').value = ''`)
	a.run("find bob", chromedp.SendKeys(chromedp.CSS("#find"), "bob"))
	a.waitFor("bob in the results", contains("#search-results", "@bob"))
	a.run("add bob", chromedp.Click(chromedp.CSS(`#search-results button.primary`)))
	a.waitFor("the notice", contains("#notice", "Friend request sent to Bob"))
	b.waitFor("the request in the title", `document.title === '(1) `+title+`'`)

	bobFriends.waitFor("who asked", contains("#notice", "Alice sent you a friend request."))

	// Bob accepts: Alice's notice says so instead of the request sent.
	bobFriends.run("accept", chromedp.Click(chromedp.CSS(`#incoming button.primary`)))
	a.waitFor("the answer", contains("#notice", "Bob and you are now friends."))
	b.waitFor("the title without the request", `document.title === `+jsString(title))
	bobFriends.close()

	// Carol asks Alice, who declines: Carol is told.
	c.open(s, "/friends")
	c.run("find alice", chromedp.SendKeys(chromedp.CSS("#find"), "alice"))
	c.waitFor("alice in the results", contains("#search-results", "@alice"))
	c.run("add alice", chromedp.Click(chromedp.CSS(`#search-results button.primary`)))
	a.waitFor("carol's request", contains("#incoming", "Carol"))
	a.run("decline", chromedp.Click(chromedp.CSS(`#incoming form:last-child button`)))
	c.waitFor("the decline", contains("#notice", "Alice declined your friend request."))

	// Bob and Alice chat, then Bob removes Alice. Her copy of the chat
	// offers Add friend where the composer was; his offers Accept, and
	// once he accepts both can write again, the cursor in his composer.
	a.open(s, "/chats/bob")
	a.say("See you later")
	b.open(s, "/friends")
	b.run("remove alice", chromedp.Click(chromedp.CSS(`#friend-list .actions button`)))
	b.run("confirm", chromedp.Click(chromedp.CSS(`#friend-list dialog[open] button.danger`)))
	a.waitFor("not friends", contains("#composer-status", "not friends"))
	a.waitFor("the composer hidden", `getComputedStyle(document.querySelector('#composer')).display === 'none'`)
	a.run("add friend", chromedp.Click(chromedp.CSS(`#composer-status button`)))
	a.waitFor("the request said", contains("#composer-status", "You asked Bob to be friends again"))
	b.open(s, "/chats/alice")
	b.waitFor("the request offered", contains("#composer-status", "Alice asked to be your friend again"))
	b.run("accept", chromedp.Click(chromedp.CSS(`#composer-status button.primary`)))
	b.waitFor("the composer back, with the cursor", `document.activeElement === document.querySelector('#message')`)
	a.waitFor("alice's composer back", `getComputedStyle(document.querySelector('#composer')).display !== 'none'`)
	a.say("Welcome back")
	b.waitFor("the message", contains("#messages", "Welcome back"))
}
