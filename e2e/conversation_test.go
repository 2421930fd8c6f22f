package e2e

import (
	"chat/db"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// messageWith is the id of the element of the message whose text is text.
func (tb *tab) messageWith(text string) string {
	tb.t.Helper()
	tb.waitFor("the message "+text, `[...document.querySelectorAll('#messages .msg')].some(m => m.querySelector('.text')?.textContent === `+jsString(text)+`)`)
	return eval[string](tb, `[...document.querySelectorAll('#messages .msg')].find(m => m.querySelector('.text')?.textContent === `+jsString(text)+`).id`)
}

// choose opens the actions menu of the message with this text and
// chooses the item labelled label, or React and the reaction with that
// emoji.
func (tb *tab) choose(text, label string) {
	tb.t.Helper()
	id := tb.messageWith(text)
	tb.run("open the menu of "+text, chromedp.Click(chromedp.CSS("#"+id+" .msg-actions")))
	tb.waitFor("the menu", `!document.getElementById('message-menu').hidden`)
	action, ok := menuItems[label]
	if !ok {
		tb.run("React", chromedp.Click(chromedp.CSS(`#message-menu [data-action="react"]`)))
		tb.waitFor("the reactions", `!document.getElementById('reaction-picker').hidden`)
		tb.run("choose "+label, chromedp.Click(chromedp.CSS(`#reaction-picker [data-emoji="`+label+`"]`)))
		return
	}
	tb.run("choose "+label, chromedp.Click(chromedp.CSS(`#message-menu [data-action="`+action+`"]`)))
}

var menuItems = map[string]string{"Reply": "reply", "Edit": "edit", "Delete for everyone": "delete-everyone", "Delete for me": "delete-me"}

// ticks is how one of my messages reads: its tick state and what a
// screen reader hears.
func (tb *tab) ticks(text string) string {
	tb.t.Helper()
	id := tb.messageWith(text)
	return eval[string](tb, `(() => { const t = document.querySelector('#`+id+` .ticks'); return t.dataset.state + ':' + t.querySelector('.visually-hidden').textContent })()`)
}

// conversationState sums up the conversation a tab shows, to compare
// two tabs of one person: each message's text or deletion, quote, edited
// mark, reactions and ticks.
const conversationState = `[...document.querySelectorAll('#messages .msg')].map(m => [
	m.dataset.id,
	m.hasAttribute('data-deleted') ? 'deleted' : m.querySelector('.text').textContent,
	m.querySelector('.quote')?.textContent.trim().replace(/\s+/g, ' ') || '',
	m.querySelector('.edited') ? 'edited' : '',
	[...m.querySelectorAll('.reactions li .visually-hidden')].map(r => r.textContent).join(','),
	m.querySelector('.ticks')?.dataset.state || '',
].join('|')).join('\n')`

// goOffline cuts the tab's live connection and keeps it from coming back
// (a probe of the test's own around the browser's WebSocket) until
// goOnline.
func (tb *tab) goOffline() {
	tb.t.Helper()
	// The page's tries meanwhile go to an address its CSP refuses, and
	// the browser says so.
	tb.allow("Connecting to 'ws://127.0.0.1:9/'")
	eval[bool](tb, `(() => {
		if (!window.__RealWebSocket) {
			window.__RealWebSocket = WebSocket;
			window.WebSocket = function (url, protocols) {
				return new window.__RealWebSocket(window.__offline ? 'ws://127.0.0.1:9/' : url, protocols);
			};
			Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
		}
		window.__offline = true;
		window.liveSocket().close();
		return true;
	})()`)
	tb.waitFor("the page to be cut off", `document.body.dataset.socket === 'closed'`)
}

func (tb *tab) goOnline() {
	tb.t.Helper()
	eval[bool](tb, `(window.__offline = false, window.dispatchEvent(new Event('online')), true)`)
	tb.live()
}

// Two people, two tabs each: ticks go from Sent to Delivered to Read;
// typing shows and stops; a reply quotes, an edit is marked, a reaction
// counts, a deletion for everyone leaves its mark; and a tab that was
// offline while the other side edited, deleted and reacted shows exactly
// what the tab that stayed does.
func TestTheWholeConversation(t *testing.T) {
	s, a, b := aliceAndBob(t)
	befriend(s, a, "bob", b)
	a.open(s, "/chats/bob")
	a2 := a.anotherTab("alice's second tab")
	a2.open(s, "/chats/bob")
	b.open(s, "/")
	b2 := b.anotherTab("bob's second tab")
	b2.open(s, "/")

	// Sent, then Delivered: Bob's chat list has it.
	a.say("Lunch?")
	a.waitFor("delivered", `document.querySelector('#messages .msg.mine:last-child .ticks')?.dataset.state === 'delivered'`)
	if got := a.ticks("Lunch?"); got != "delivered:Delivered" {
		t.Errorf("ticks read %q", got)
	}
	// Read once Bob opens the chat, in both of Alice's tabs.
	b.run("open the chat", chromedp.Click(chromedp.CSS("#chat-list .chat-row")))
	b.live()
	for _, tb := range []*tab{a, a2} {
		tb.waitFor("read", `document.querySelector('#messages .msg.mine .ticks')?.dataset.state === 'read'`)
		if got := tb.ticks("Lunch?"); got != "read:Read" {
			t.Errorf("%s: ticks read %q", tb.name, got)
		}
	}
	b2.open(s, "/chats/alice")

	// Bob types: Alice sees it under his name and in his chat row; it
	// goes when his message comes.
	b.run("type", chromedp.SendKeys(chromedp.CSS("#message"), "Sure"))
	a.waitFor("typing…", `!document.getElementById('peer-typing').hidden`)
	a.waitFor("typing… in the chat list", `!document.querySelector('#chat-list .chat-typing').hidden`)
	a.screenshot("typing")
	b.run("send", pressEnter(false))
	a.waitFor("his message", shown("Sure"))
	a.waitFor("typing… gone", `document.getElementById('peer-typing').hidden`)

	// Alice replies to it: her message quotes his, in every tab.
	a.choose("Sure", "Reply")
	if got := a.text("#composer-context-text"); got != "Replying to Bob: Sure" {
		t.Errorf("the composer says %q", got)
	}
	a.say("Great, noon?")
	for _, tb := range []*tab{a, a2, b, b2} {
		tb.waitFor("the reply", shown("Great, noon?"))
		id := tb.messageWith("Great, noon?")
		if got := tb.text("#" + id + " .quote-text"); got != "Sure" {
			t.Errorf("%s: the reply quotes %q", tb.name, got)
		}
	}
	if !eval[bool](a, `document.getElementById('composer-context').hidden`) {
		t.Error("the reply line stayed above the composer")
	}

	// She edits it: changed and marked edited everywhere.
	a.choose("Great, noon?", "Edit")
	if got := eval[string](a, `document.getElementById('message').value`); got != "Great, noon?" {
		t.Errorf("editing puts %q in the composer", got)
	}
	a.run("change it", chromedp.SetValue(chromedp.CSS("#message"), "Great, 12:30?"), pressEnter(false))
	for _, tb := range []*tab{a, a2, b, b2} {
		tb.waitFor("the edit", shown("Great, 12:30?"))
		id := tb.messageWith("Great, 12:30?")
		if !eval[bool](tb, `document.querySelector('#`+id+` .edited') !== null`) {
			t.Errorf("%s: the edit is not marked", tb.name)
		}
	}
	if got := eval[string](a, `document.getElementById('message').value`); got != "" {
		t.Errorf("after the edit the composer holds %q", got)
	}

	// Bob reacts to it.
	b.choose("Great, 12:30?", "👍")
	a.waitFor("the reaction", contains("#messages .reactions", "👍 from Bob"))

	// Alice deletes her first message for everyone.
	a.choose("Lunch?", "Delete for everyone")
	a.run("confirm", chromedp.Click(chromedp.CSS("#delete-message-confirm")))
	for _, tb := range []*tab{a, a2, b, b2} {
		tb.waitFor("the deletion", contains("#messages", "This message was deleted"))
	}

	// Bob's second tab goes offline; meanwhile Alice edits, reacts and
	// deletes. Back online, it shows exactly what his first tab shows.
	duringOutage([]*tab{b2}, func() {
		b2.goOffline()
		a.say("One more thing")
		a.waitFor("her message", shown("One more thing"))
		a.choose("Sure", "❤️")
		a.waitFor("her reaction", contains("#messages .reactions", "❤️ from you"))
		a.choose("Great, 12:30?", "Edit")
		a.run("change it again", chromedp.SetValue(chromedp.CSS("#message"), "Great, 1pm?"), pressEnter(false))
		a.waitFor("her edit", shown("Great, 1pm?"))
		a.choose("One more thing", "Delete for everyone")
		a.run("confirm", chromedp.Click(chromedp.CSS("#delete-message-confirm")))
		b.waitFor("the edit", contains("#messages", "Great, 1pm?"))
		b.waitFor("the reaction", contains("#messages .reactions", "❤️ from Alice"))
		b.waitFor("the second deletion", `document.querySelectorAll('#messages .msg[data-deleted]').length === 2`)
		b2.goOnline()
	})
	want := eval[string](b, conversationState)
	b2.waitFor("the same conversation as his first tab", conversationState+` === `+jsString(want))
	a2.waitFor("alice's tabs agree", conversationState+` === `+jsString(eval[string](a, conversationState)))
	// The chat lists follow: the last message was deleted.
	for _, tb := range []*tab{a, b, b2} {
		tb.waitFor("the preview", contains("#chat-list .chat-preview", "This message was deleted"))
	}
	b.screenshot("conversation")
	phone := b.anotherTab("bob's phone")
	phone.usePhone()
	phone.open(s, "/chats/alice")
	phone.waitFor("the conversation", contains("#messages", "Great, 1pm?"))
	phone.screenshot("conversation-phone")
	phone.close()

	// Delete for me: gone from Bob's copy only.
	b.choose("Sure", "Delete for me")
	b.run("confirm", chromedp.Click(chromedp.CSS("#delete-message-confirm")))
	b2.waitFor("gone from his other tab", `![...document.querySelectorAll('#messages .text')].some(t => t.textContent === 'Sure')`)
	if !eval[bool](a, shown("Sure")) {
		t.Error("bob deleting for himself took it from alice")
	}
	a.checkAccessibility("the conversation with replies, edits, reactions and deletions")
}

// The menu works from the keyboard and by a long press; a reply's quote
// leads to the message it answers, loading earlier history to reach it.
func TestMenuByKeyboardAndTouchAndQuotesLeadBack(t *testing.T) {
	s, a, b := aliceAndBob(t)
	befriend(s, a, "bob", b)
	ctx := context.Background()
	alice, bob := s.user("alice"), s.user("bob")
	queue := func(in db.NewMessage) {
		t.Helper()
		if err := s.store.QueueMessage(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	queue(db.NewMessage{From: bob, To: alice, ClientID: "original-1", Body: "the original question"})
	s.seed("bob", "alice", 120)
	msgs, _, err := s.store.MessagesAfter(ctx, alice.ID, bob.ID, 0, 1)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("the original: %v %v", msgs, err)
	}
	original := msgs[0].ID
	queue(db.NewMessage{From: alice, To: bob, ClientID: "answer-1", Body: "about that", ReplyTo: original})
	a.waitFor("nothing", "true")
	if err := s.store.MarkRead(ctx, alice.ID, bob.ID); err != nil {
		t.Fatal(err)
	}

	a.open(s, "/chats/bob")
	a.waitFor("the reply", shown("about that"))
	if eval[bool](a, fmt.Sprintf(`document.getElementById('m-%d') !== null`, original)) {
		t.Fatal("the original is on the first page: nothing to load")
	}
	a.run("follow the quote", chromedp.Click(chromedp.CSS("a.quote")))
	a.waitFor("the original, shown", fmt.Sprintf(`(() => { const m = document.getElementById('m-%d');
		if (!m) return false;
		const r = m.getBoundingClientRect(), h = document.getElementById('history').getBoundingClientRect();
		return r.top >= h.top && r.bottom <= h.bottom })()`, original))
	if !eval[bool](a, fmt.Sprintf(`document.activeElement === document.querySelector('#m-%d .msg-actions')`, original)) {
		t.Error("the cursor is not on the message the quote led to")
	}

	// Keyboard: from the history, the arrow keys go to a message; Enter
	// opens its menu with the cursor in it; End, ArrowUp and Enter
	// choose Reply; Escape in the composer drops the reply.
	a.open(s, "/chats/bob")
	eval[bool](a, `(document.getElementById('history').focus(), true)`)
	a.run("to the last message", chromedp.KeyEvent(kb.ArrowUp))
	if !eval[bool](a, `document.activeElement.classList.contains('msg-actions')`) {
		t.Fatal("the arrow key did not reach a message")
	}
	a.run("open its menu", chromedp.KeyEvent(kb.Enter))
	a.waitFor("the menu, with the cursor in it", `!document.getElementById('message-menu').hidden && document.getElementById('message-menu').contains(document.activeElement)`)
	a.run("Escape", chromedp.KeyEvent(kb.Escape))
	if !eval[bool](a, `document.getElementById('message-menu').hidden && document.activeElement.classList.contains('msg-actions')`) {
		t.Error("Escape did not close the menu and go back to the message")
	}
	a.run("to a message of bob's", chromedp.KeyEvent(kb.ArrowUp), chromedp.KeyEvent(kb.Enter))
	a.waitFor("the menu", `!document.getElementById('message-menu').hidden`)
	a.run("choose Reply", chromedp.KeyEvent(kb.End), chromedp.KeyEvent(kb.ArrowUp))
	if got := eval[string](a, `document.activeElement.textContent`); got != "Reply" {
		t.Fatalf("End then ArrowUp is on %q", got)
	}
	a.run("Enter", chromedp.KeyEvent(kb.Enter))
	a.waitFor("the reply line", `!document.getElementById('composer-context').hidden && document.activeElement.id === 'message'`)
	a.run("Escape", chromedp.KeyEvent(kb.Escape))
	if !eval[bool](a, `document.getElementById('composer-context').hidden && document.getElementById('reply-to').value === ''`) {
		t.Error("Escape did not drop the reply")
	}
	// React, from the keyboard: Enter on React shows the six, the cursor
	// on the first; Enter chooses it.
	eval[bool](a, `(document.getElementById('history').focus(), true)`)
	a.run("open the last message's menu", chromedp.KeyEvent(kb.ArrowUp), chromedp.KeyEvent(kb.Enter))
	a.waitFor("the menu", `!document.getElementById('message-menu').hidden`)
	if got := eval[string](a, `document.activeElement.textContent`); got != "React" {
		t.Fatalf("the menu opens on %q", got)
	}
	a.run("React", chromedp.KeyEvent(kb.Enter))
	a.waitFor("the six, the cursor on the first", `!document.getElementById('reaction-picker').hidden && document.activeElement.dataset.emoji === '👍'`)
	a.run("choose it", chromedp.KeyEvent(kb.Enter))
	a.waitFor("the reaction", contains("#messages .msg:last-child .reactions", "👍 from you"))

	// Touch: a long press on a message opens its menu.
	b.usePhone()
	b.open(s, "/chats/alice")
	id := b.messageWith("about that")
	box := eval[map[string]float64](b, `(() => { const r = document.querySelector('#`+id+` .bubble').getBoundingClientRect(); return {x: r.x + r.width / 2, y: r.y + r.height / 2} })()`)
	b.run("long press", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		point := []*input.TouchPoint{{X: box["x"], Y: box["y"]}}
		if _, err := cdp.Call(ctx, tg, input.DispatchTouchEvent, input.DispatchTouchEventParams{Type: input.DispatchTouchEventTypeTouchStart, TouchPoints: point}); err != nil {
			return err
		}
		time.Sleep(700 * time.Millisecond)
		_, err := cdp.Call(ctx, tg, input.DispatchTouchEvent, input.DispatchTouchEventParams{Type: input.DispatchTouchEventTypeTouchEnd, TouchPoints: []*input.TouchPoint{}})
		return err
	}))
	b.waitFor("the menu", `!document.getElementById('message-menu').hidden`)
	if small := b.smallTargets(); len(small) > 0 {
		t.Errorf("with the menu open, tap targets under 44 px: %v", small)
	}
	b.screenshot("phone-menu")
}
