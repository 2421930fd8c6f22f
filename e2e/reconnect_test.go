package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"chat/db"
)

// What a person is typing survives the server going away and coming back:
// the reconnect brings the page up to date without touching the composer.
func TestTypingThroughARestartKeepsTheText(t *testing.T) {
	s, a, b := aliceAndBob(t)
	befriend(s, a, "bob", b)
	a.open(s, "/chats/bob")
	a.run("start typing", chromedp.SendKeys(chromedp.CSS("#message"), "half a thought"))

	duringOutage([]*tab{a, b}, func() {
		s.stop()
		a.waitFor("the page to notice", `document.body.dataset.socket === 'closed'`)
		a.run("type on", chromedp.SendKeys(chromedp.CSS("#message"), ", and more"))
		s.restart()
		a.live()
	})
	// Bob writes: the page is live again, and the composer still holds the
	// text, unsent.
	b.open(s, "/chats/alice")
	b.say("are you still there?")
	a.waitFor("bob's message", shown("are you still there?"))
	if v := eval[string](a, `document.querySelector('#message').value`); v != "half a thought, and more" {
		t.Errorf("the composer holds %q after the restart", v)
	}
	if n := shownCount(a, "half a thought"); n != 0 {
		t.Errorf("the unsent text was sent %d times", n)
	}
}

// A message the server stored while its answer was lost, with more
// messages after it than a reconnect sends one by one: when the page sends
// it again, the server answers with the stored message, and the page shows
// it once, as sent, in its place; loading the older history does not show
// it twice.
func TestAResentStoredMessageShowsOnceInItsPlace(t *testing.T) {
	s, a, b := aliceAndBob(t)
	befriend(s, a, "bob", b)
	alice, bob := s.user("alice"), s.user("bob")
	// As if the page had sent it and lost the socket before the answer:
	// stored, and still waiting in the page's storage.
	ctx := context.Background()
	if err := s.store.QueueMessage(ctx, db.NewMessage{From: alice, To: bob, ClientID: "lostanswer01", Body: "did this arrive?"}); err != nil {
		t.Fatal(err)
	}
	s.seed("bob", "alice", 210)
	if n := s.stored("alice", "bob", "did this arrive?"); n != 1 {
		t.Fatalf("stored %d times before the test", n)
	}
	a.run("open the site", chromedp.Navigate(s.URL+"/"))
	eval[bool](a, `sessionStorage.setItem('pending:/chats/bob', JSON.stringify([{client_id: 'lostanswer01', to: 'bob', message: 'did this arrive?'}])) === undefined`)

	a.open(s, "/chats/bob")
	a.waitFor("the answer", `document.querySelector('#messages [data-client-id="lostanswer01"]') !== null`)
	a.waitFor("nothing left waiting", `document.querySelector('#pending .pending-msg') === null && sessionStorage.getItem('pending:/chats/bob') === null`)
	if n := shownCount(a, "did this arrive?"); n != 1 {
		t.Errorf("shown %d times", n)
	}
	inOrder := `(() => { const ids = [...document.querySelectorAll('#messages .msg')].map(m => Number(m.dataset.id));
		return ids.every((id, i) => i === 0 || id > ids[i-1]) })()`
	if !eval[bool](a, inOrder) {
		t.Error("messages out of order after the answer")
	}
	// Load every older page: the message is still there once, in order.
	for i := 0; eval[bool](a, `document.querySelector('#older.start') === null`); i++ {
		if i > 10 {
			t.Fatal("the history never reached its start")
		}
		n := eval[int](a, `document.querySelectorAll('#messages .msg').length`)
		eval[int](a, `document.getElementById("history").scrollTop = 0`)
		a.waitFor(fmt.Sprintf("more than %d messages", n), fmt.Sprintf(`document.querySelectorAll('#messages .msg').length > %d || document.querySelector('#older.start') !== null`, n))
		a.waitFor("the page to settle", `!document.querySelector('.htmx-settling, .htmx-request')`)
	}
	if n := shownCount(a, "did this arrive?"); n != 1 {
		t.Errorf("after loading the whole history it shows %d times", n)
	}
	if n := eval[int](a, `document.querySelectorAll('#messages .msg').length`); n != 211 {
		t.Errorf("the whole history shows %d messages, want 211", n)
	}
	if !eval[bool](a, inOrder) {
		t.Error("messages out of order in the whole history")
	}
	if n := s.stored("alice", "bob", "did this arrive?"); n != 1 {
		t.Errorf("stored %d times", n)
	}
}

// When the friendship ends while a person is typing, the composer gives
// way to the reason and an Add friend button; when it comes back, so does
// the composer, with the text.
func TestComposerFollowsTheFriendshipAndKeepsTheText(t *testing.T) {
	s, a, b := aliceAndBob(t)
	befriend(s, a, "bob", b)
	a.open(s, "/chats/bob")
	a.run("start typing", chromedp.SendKeys(chromedp.CSS("#message"), "about tomorrow"))

	b.open(s, "/friends")
	b.run("remove alice", chromedp.Click(chromedp.CSS(`#friend-list button[commandfor]`)))
	b.waitFor("the confirmation", `document.querySelector('#friend-list dialog[open]') !== null`)
	b.run("confirm", chromedp.Click(chromedp.CSS(`#friend-list dialog[open] button.danger`)))
	a.waitFor("the composer to give way", `getComputedStyle(document.getElementById('composer')).display === 'none'`)
	if got := a.text("#composer-status"); !strings.Contains(got, "not friends") || a.text("#composer-status button") != "Add friend" {
		t.Errorf("above the composer: %q", got)
	}
	a.screenshot("not-friends")

	// They become friends again: the composer is back, text and all.
	b.run("find alice", chromedp.SendKeys(chromedp.CSS("#find"), "alice"))
	b.waitFor("the search result", contains("#search-results", "@alice"))
	b.run("add friend", chromedp.Click(chromedp.CSS(`#search-results button.primary`)))
	a2 := a.anotherTab("alice's friends page")
	a2.open(s, "/friends")
	a2.run("accept", chromedp.Click(chromedp.CSS(`#incoming button.primary`)))
	a.waitFor("the composer back", `getComputedStyle(document.getElementById('composer')).display !== 'none'`)
	if v := eval[string](a, `document.querySelector('#message').value`); v != "about tomorrow" {
		t.Errorf("the composer holds %q", v)
	}
}

// What is typed in a chat stays with that chat until it is sent: across
// switching chats and reloading; sending clears it; logging out forgets
// every draft.
func TestDraftsStayWithTheirChat(t *testing.T) {
	s, a, b := aliceAndBob(t)
	befriend(s, a, "bob", b)
	c := newPerson(t, newBrowser(t), "carol")
	c.signup(s, "carol", "Carol")
	befriend(s, c, "alice", a)

	a.open(s, "/chats/bob")
	a.run("type to bob", chromedp.SendKeys(chromedp.CSS("#message"), "for bob, later"))
	a.open(s, "/chats/carol")
	if v := eval[string](a, `document.querySelector('#message').value`); v != "" {
		t.Errorf("carol's composer shows %q", v)
	}
	a.run("type to carol", chromedp.SendKeys(chromedp.CSS("#message"), "for carol"))
	a.open(s, "/chats/bob")
	if v := eval[string](a, `document.querySelector('#message').value`); v != "for bob, later" {
		t.Errorf("back in bob's chat the composer holds %q", v)
	}
	a.run("reload", chromedp.Reload())
	a.live()
	if v := eval[string](a, `document.querySelector('#message').value`); v != "for bob, later" {
		t.Errorf("after a reload the composer holds %q", v)
	}
	a.run("send", pressEnter(false))
	a.waitFor("the message", shown("for bob, later"))
	a.run("reload", chromedp.Reload())
	a.live()
	if v := eval[string](a, `document.querySelector('#message').value`); v != "" {
		t.Errorf("after sending, the composer still holds %q", v)
	}
	a.logout()
	if n := eval[int](a, `Object.keys(localStorage).filter(k => k.startsWith('draft:')).length`); n != 0 {
		t.Errorf("%d drafts left after logging out", n)
	}
}
