package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"chat/db"
)

// seed stores n messages from one person to another, as the live layer
// does, and waits until they are stored.
func (s *site) seed(from, to string, n int) {
	s.t.Helper()
	ctx := context.Background()
	a, b := s.user(from), s.user(to)
	for i := 0; i < n; i++ {
		err := s.store.QueueMessage(ctx, db.NewMessage{From: a, To: b, ClientID: fmt.Sprintf("seed-%s-%05d", from, i), Body: fmt.Sprintf("message %d", i)})
		if err != nil {
			s.t.Fatal(err)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		msgs, _, err := s.store.MessagesAfter(ctx, b.ID, a.ID, 0, n+1)
		if err != nil {
			s.t.Fatal(err)
		}
		if len(msgs) >= n {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("%d of %d messages stored", len(msgs), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// stored counts the messages between two people with this text, in the
// first one's history.
func (s *site) stored(a, b, body string) int {
	s.t.Helper()
	msgs, _, err := s.store.MessagesAfter(context.Background(), s.user(a).ID, s.user(b).ID, 0, 100_000)
	if err != nil {
		s.t.Fatal(err)
	}
	n := 0
	for _, m := range msgs {
		if m.Body == body {
			n++
		}
	}
	return n
}

// user returns the stored user with this username.
func (s *site) user(username string) db.User {
	s.t.Helper()
	u, err := s.store.UserByUsername(context.Background(), username)
	if err != nil {
		s.t.Fatal(err)
	}
	return u
}

// say types a message into the composer and sends it with Enter.
func (tb *tab) say(text string) {
	tb.t.Helper()
	tb.run("type a message", chromedp.SendKeys(chromedp.CSS("#message"), text), pressEnter(false))
}

// pressEnter presses Enter (with Shift if asked) as a keyboard does: one
// key-down carrying the character, so the page can cancel the newline.
func pressEnter(shift bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		var mods int64
		if shift {
			mods = int64(chromedp.ModifierShift)
		}
		for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeKeyDown, input.DispatchKeyEventTypeKeyUp} {
			p := input.DispatchKeyEventParams{Type: typ, Key: "Enter", Code: "Enter", WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13, Modifiers: mods}
			if typ == input.DispatchKeyEventTypeKeyDown {
				p.Text, p.UnmodifiedText = "\r", "\r"
			}
			if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, p); err != nil {
				return err
			}
		}
		return nil
	})
}

// shown is a JavaScript test for a message bubble with this text.
func shown(text string) string {
	return `[...document.querySelectorAll('#messages .msg .bubble')].some(b => b.textContent.includes(` + jsString(text) + `))`
}

// shownCount counts the message bubbles with this text.
func shownCount(tb *tab, text string) int {
	tb.t.Helper()
	return eval[int](tb, `[...document.querySelectorAll('#messages .msg .bubble')].filter(b => b.textContent.includes(`+jsString(text)+`)).length`)
}

func TestChatLiveAcrossTabsWithUnreadDeleteAndRestart(t *testing.T) {
	s, a, b := aliceAndBob(t)
	befriend(s, a, "bob", b)

	a.open(s, "/chats/bob")
	a2 := a.anotherTab("alice's second tab")
	a2.open(s, "/")
	b.open(s, "/")
	b2 := b.anotherTab("bob's second tab")
	b2.open(s, "/")

	// Alice writes; Bob's lists show it unread, with the count in the title.
	a.say("Hello Bob <b>not bold</b>")
	a.waitFor("alice's own message", `document.querySelector('#messages .msg.mine') !== null`)
	for _, tb := range []*tab{b, b2} {
		tb.waitFor("the chat row", contains("#chat-list .chat-row", "Hello Bob <b>not bold</b>"))
		tb.waitFor("1 unread", contains("#chat-list .chat-row .badge", "1 unread"))
		tb.waitFor("the title count", `document.title === '(1) Chat'`)
	}
	a2.waitFor("alice's other tab's row", contains("#chat-list .chat-row", "You: Hello Bob"))
	if title := eval[string](a2, "document.title"); title != "Chat" {
		t.Errorf("the sender's title is %q", title)
	}
	b.screenshot("chats")

	// Bob opens the chat: read everywhere.
	b.run("open the chat", chromedp.Click(chromedp.CSS("#chat-list .chat-row")))
	b.live()
	if p := b.path(); p != "/chats/alice" {
		t.Fatalf("bob is on %s", p)
	}
	b.waitFor("the message", shown("Hello Bob <b>not bold</b>"))
	b2.waitFor("the other tab's count cleared", `document.title === 'Chat' && document.querySelector('#chat-list .chat-row .badge') === null`)
	if n := eval[int](b, `document.querySelectorAll('#messages b').length`); n != 0 {
		t.Error("markup in a message became an element")
	}

	// Bob answers over two lines; Alice, who has the chat open, gets it
	// without an unread count.
	b.run("type two lines", chromedp.SendKeys(chromedp.CSS("#message"), "Hi Alice"), pressEnter(true),
		chromedp.SendKeys(chromedp.CSS("#message"), "second line"), pressEnter(false))
	a.waitFor("bob's answer", shown("second line"))
	if got := eval[string](a, `document.querySelector('#messages .msg.theirs .bubble').innerText`); !strings.Contains(got, "Hi Alice\nsecond line") {
		t.Errorf("line break lost: %q", got)
	}
	if v := eval[string](b, `document.querySelector('#message').value`); v != "" {
		t.Errorf("composer not cleared: %q", v)
	}
	if focused := eval[bool](b, `document.activeElement.id === 'message'`); !focused {
		t.Error("composer lost focus after sending")
	}
	a2.waitFor("alice's list follows", contains("#chat-list .chat-row", "second line"))
	if title := eval[string](a2, "document.title"); title != "Chat" {
		t.Errorf("alice has the chat open, yet her title is %q", title)
	}
	b.screenshot("screenshot")

	// Bob deletes his chat box: gone from his lists, Alice keeps hers.
	b.run("delete the chat", chromedp.Click(chromedp.CSS(".conv-header button[commandfor=delete-chat]")))
	b.waitFor("the confirmation", `document.querySelector('#delete-chat').open`)
	if text := b.text("#delete-chat p"); !strings.Contains(text, "Alice keeps theirs") {
		t.Errorf("confirmation says %q", text)
	}
	b.run("confirm", chromedp.Click(chromedp.CSS(`#delete-chat button.danger`)))
	b.waitFor("the chat list", `location.pathname === '/'`)
	b.live()
	b.waitFor("no chat row", `document.querySelector('#chat-list .chat-row') === null`)
	b2.waitFor("the other tab's row gone", `document.querySelector('#chat-list .chat-row') === null`)
	a.run("reload alice's chat", chromedp.Reload())
	a.live()
	if !eval[bool](a, shown("Hello Bob")) || !eval[bool](a, shown("second line")) {
		t.Error("alice lost her copy when bob deleted his")
	}

	// A new message brings Bob's box back with only what came after.
	a.say("Are you there?")
	b.waitFor("the box is back", contains("#chat-list .chat-row", "Are you there?"))
	b.waitFor("1 unread", contains("#chat-list .chat-row .badge", "1 unread"))
	b.open(s, "/chats/alice")
	b.waitFor("the new message", shown("Are you there?"))
	if eval[bool](b, shown("Hello Bob")) {
		t.Error("the deleted history came back")
	}

	// The server restarts; Alice sends meanwhile. It arrives once.
	duringOutage([]*tab{a, a2, b, b2}, func() {
		s.stop()
		a.waitFor("the page to notice", `document.body.dataset.socket === 'closed'`)
		a.say("sent while the server was down")
		a.waitFor("the message waiting", `document.querySelector('#pending .pending-msg') !== null`)
		s.restart()
		b.waitFor("the message after the restart", shown("sent while the server was down"))
	})
	a.waitFor("alice's copy, stored", shown("sent while the server was down")+` && document.querySelector('#pending .pending-msg') === null`)
	if n := shownCount(b, "sent while the server was down"); n != 1 {
		t.Errorf("bob shows it %d times", n)
	}
	if n := shownCount(a, "sent while the server was down"); n != 1 {
		t.Errorf("alice shows it %d times", n)
	}
	if n := s.stored("alice", "bob", "sent while the server was down"); n != 1 {
		t.Errorf("stored %d times", n)
	}
}

func TestHistoryLoadsOlderPagesKeepingThePlace(t *testing.T) {
	s, a, b := aliceAndBob(t)
	befriend(s, a, "bob", b)
	s.seed("alice", "bob", 120) // her own: nothing unread, so the chat opens at its newest page

	a.open(s, "/chats/bob")
	msgs := func() int { return eval[int](a, `document.querySelectorAll('#messages .msg').length`) }
	if n := msgs(); n != 50 {
		t.Fatalf("%d messages on opening, want 50", n)
	}
	a.waitFor("the newest message in view", `(() => { const h = document.getElementById('history'); return h.scrollHeight - h.scrollTop - h.clientHeight < 5 })()`)

	// offset is where a message sits relative to the top of the history.
	offset := func(text string) float64 {
		return eval[float64](a, `(() => {
			const b = [...document.querySelectorAll('#messages .msg')].find(m => m.textContent.includes(`+jsString(text)+`));
			return b.getBoundingClientRect().top - document.getElementById('history').getBoundingClientRect().top })()`)
	}
	// Where message 70 will be once scrolled to the top, before anything
	// loads: its offset within the history's content.
	before := offset("message 70") + eval[float64](a, `document.getElementById('history').scrollTop`)
	eval[int](a, `document.getElementById("history").scrollTop = 0`)
	a.waitFor("the older page", `document.querySelectorAll('#messages .msg').length === 100`)
	a.waitFor("the page to settle", `!document.querySelector('.htmx-settling')`)
	if after := offset("message 70"); after < before-2 || after > before+2 {
		t.Errorf("the first message moved from %.0f to %.0f px: the reader lost their place", before, after)
	}
	eval[int](a, `document.getElementById("history").scrollTop = 0`)
	a.waitFor("the oldest page", `document.querySelectorAll('#messages .msg').length === 120 && document.querySelector('#older.start') !== null`)
	if n := eval[int](a, `document.querySelectorAll('#messages .day').length`); n != 1 {
		t.Errorf("%d day separators for one day of messages", n)
	}
	if first := a.text("#messages .msg .bubble"); !strings.Contains(first, "message 0") {
		t.Errorf("the oldest message shown is %q", first)
	}
}
