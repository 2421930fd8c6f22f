package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// setShown makes the page believe the browser shows or hides it, as when
// its tab is brought forward or left in the background (a probe of the
// test's own: headless tabs are always shown), and tells it so.
func (tb *tab) setShown(shown bool) {
	tb.t.Helper()
	hidden := "true"
	state := "hidden"
	if shown {
		hidden, state = "false", "visible"
	}
	eval[bool](tb, `(() => {
		Object.defineProperty(document, 'hidden', {configurable: true, get: () => `+hidden+`});
		Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => '`+state+`'});
		document.dispatchEvent(new Event('visibilitychange'));
		return true })()`)
}

// A chat open in a background tab does not read what arrives: it counts
// unread, and the title says so, until the tab is shown.
func TestABackgroundTabCountsUnread(t *testing.T) {
	s, a, b := aliceAndBob(t)
	befriend(s, a, "bob", b)
	a.open(s, "/chats/bob")
	b.open(s, "/chats/alice")
	b.setShown(false)
	a.say("are you there?")
	b.waitFor("the message", shown("are you there?"))
	b.waitFor("the title to count it", `document.title.startsWith('(1) ')`)
	b.waitFor("the chat row to count it", contains("#chat-list .chat-row .badge", "1 unread"))
	b.setShown(true)
	b.waitFor("read once shown", `!document.title.startsWith('(') && document.querySelector('#chat-list .chat-row .badge') === null`)
}

// A chat with unread messages opens at the first of them, under a
// divider; when the reader has scrolled up, new messages do not move the
// view, and Jump to newest says how many came and takes the reader down.
func TestUnreadDividerAndJumpToNewest(t *testing.T) {
	s, a, b := aliceAndBob(t)
	befriend(s, a, "bob", b)
	s.seed("alice", "bob", 40) // read ones above
	b.open(s, "/chats/alice")
	b.open(s, "/friends")
	s.seed("bob", "alice", 70)

	a.open(s, "/chats/bob")
	if got := a.text("#unread-divider"); got != "70 unread messages" {
		t.Errorf("divider %q", got)
	}
	if n := eval[int](a, `document.querySelectorAll('#unread-divider ~ .msg').length`); n != 70 {
		t.Errorf("%d messages under the divider, want 70", n)
	}
	// The divider is at the top of the view, not below it.
	top := eval[float64](a, `document.getElementById('unread-divider').getBoundingClientRect().top - document.getElementById('history').getBoundingClientRect().top`)
	if top < 0 || top > 40 {
		t.Errorf("the divider is %.0f px from the top of the history", top)
	}
	if eval[bool](a, `document.getElementById('jump-newest').hidden`) {
		t.Error("away from the newest messages, no Jump to newest")
	}

	// Scrolled up, two messages come: the view stays, the button counts.
	// Where the view is: the offset of the message at its top.
	eval[float64](a, `(() => { const h = document.getElementById('history'); return h.scrollTop = Math.round(h.scrollHeight / 2) })()`)
	a.waitFor("the page to settle", `!document.querySelector('.htmx-request, .htmx-settling')`)
	const inView = `(() => {
		const h = document.getElementById('history').getBoundingClientRect();
		const m = [...document.querySelectorAll('#messages .msg')].find(m => m.getBoundingClientRect().top >= h.top);
		return m.id + '@' + Math.round(m.getBoundingClientRect().top - h.top) })()`
	before := eval[string](a, inView)
	b.open(s, "/chats/alice")
	b.say("one more")
	b.say("and another")
	a.waitFor("both", shown("and another"))
	if after := eval[string](a, inView); after != before {
		t.Errorf("the view moved: %s at its top before, %s after", before, after)
	}
	a.waitFor("the count", `document.getElementById('jump-count').textContent === '2' && !document.getElementById('jump-count').hidden`)
	if got := a.text("#jump-count-text"); got != "2 new messages" {
		t.Errorf("for a screen reader: %q", got)
	}
	a.run("jump", chromedp.Click(chromedp.CSS("#jump-newest")))
	a.waitFor("at the newest", `(() => { const h = document.getElementById('history'); return h.scrollHeight - h.scrollTop - h.clientHeight < 80 })()`)
	a.waitFor("the button gone", `document.getElementById('jump-newest').hidden`)
}
