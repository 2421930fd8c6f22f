package views

import (
	"strings"

	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// A message says how far it got, what it quotes, that it was edited or
// deleted, and who reacted how, in words as well as in signs.
func TestMessageRowShowsItsState(t *testing.T) {
	at := time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)
	rows := []MessageRow{
		{ID: 1, Mine: true, Body: "read one", At: at, Status: StatusRead,
			Reactions: []ReactionCount{{Emoji: "👍", Count: 2, Mine: true, Who: "you and Bob"}}},
		{ID: 2, Mine: true, Body: "delivered one", At: at, Status: StatusDelivered, Edited: true,
			Quote: &Quote{ID: 1, Mine: true, Body: "read one"}},
		{ID: 3, Mine: true, Body: "sent one", At: at, Status: StatusSent, Quote: &Quote{ID: 9, Gone: true}},
		{ID: 4, Body: "", At: at, Deleted: true},
	}
	doc := render(t, NewMessages(rows, "Bob"))

	for id, want := range map[string]string{"#m-1": "read:Read:✓✓", "#m-2": "delivered:Delivered:✓✓", "#m-3": "sent:Sent:✓"} {
		ticks := doc.Find(id + " .ticks")
		got := ticks.AttrOr("data-state", "") + ":" + ticks.Find(".visually-hidden").Text() + ":" + ticks.Find("[aria-hidden]").Text()
		if got != want {
			t.Errorf("%s ticks %q, want %q", id, got, want)
		}
	}
	if doc.Find("#m-4 .ticks").Length() != 0 {
		t.Error("their message has ticks")
	}

	r := doc.Find("#m-1 .reactions li")
	if r.Length() != 1 || !r.HasClass("mine") || r.Find("[aria-hidden]").Text() != "👍 2" || r.Find(".visually-hidden").Text() != "👍 from you and Bob" {
		t.Errorf("reactions: %q", r.Text())
	}

	q := doc.Find("#m-2 a.quote")
	if q.AttrOr("href", "") != "#m-1" || q.AttrOr("data-quote", "") != "1" || q.Find(".quote-who").Text() != "You" || q.Find(".quote-text").Text() != "read one" {
		t.Errorf("quote: %q %q", q.AttrOr("href", ""), q.Text())
	}
	if !strings.HasPrefix(strings.TrimSpace(q.Find(".visually-hidden").Text()), "Reply to") {
		t.Error("the quote does not say it is one")
	}
	if doc.Find("#m-2 .edited").Text() != "edited" {
		t.Error("no edited mark")
	}
	if gone := doc.Find("#m-3 .quote.gone"); gone.Length() != 1 || !strings.Contains(gone.Text(), "Original message deleted") || gone.Is("a") {
		t.Errorf("a quote of a deleted message: %q", gone.Text())
	}

	deleted := doc.Find("#m-4")
	if _, ok := deleted.Attr("data-deleted"); !ok || strings.TrimSpace(deleted.Find(".text").Text()) != "This message was deleted" || deleted.Find(".edited").Length() != 0 {
		t.Errorf("deleted message: %q", deleted.Text())
	}

	// Every message has its actions button, described by its bubble and
	// out of the tab order (the arrow keys move between messages).
	buttons := doc.Find(".msg .msg-actions")
	if buttons.Length() != len(rows) {
		t.Fatalf("%d action buttons for %d messages", buttons.Length(), len(rows))
	}
	if b := buttons.First(); b.AttrOr("aria-haspopup", "") != "menu" || b.AttrOr("aria-describedby", "") != "b-1" ||
		b.AttrOr("tabindex", "") != "-1" || b.AttrOr("aria-label", "") != "Message actions" {
		t.Errorf("actions button: %v", b.Nodes[0].Attr)
	}
	if doc.Find("#b-1").Length() != 1 {
		t.Error("the bubble the button describes has no id")
	}
	if doc.Find("#m-1").AttrOr("data-at", "") != "1795771800000" {
		t.Errorf("data-at %q", doc.Find("#m-1").AttrOr("data-at", ""))
	}
}

// A patch updates the messages a page holds and removes the ones gone;
// the receipts marker, typing and the chat row patch are out-of-band.
func TestLiveFragmentsForChanges(t *testing.T) {
	at := time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)
	doc := render(t, MessagePatch([]MessageRow{{ID: 5, Body: "edited text", Edited: true, At: at}}, []int64{6}, "Bob"))
	wrap := doc.Find("div[hx-swap-oob]")
	if wrap.AttrOr("hx-swap-oob", "") != "patch:#messages" {
		t.Errorf("patch wrapper %q", wrap.AttrOr("hx-swap-oob", ""))
	}
	if wrap.Children().Length() != 2 || wrap.Find("#m-5 .text").Text() != "edited text" || wrap.Find("#m-5").Prev().Length() != 0 {
		t.Errorf("patch holds %q", wrap.Text())
	}
	if _, gone := wrap.Find("#m-6").Attr("data-gone"); !gone {
		t.Error("a message gone from the copy is not marked gone")
	}
	if doc.Find(".day, .unread-divider").Length() != 0 {
		t.Error("a patch carries separators")
	}

	doc = render(t, ReceiptsMarker(Receipts{DeliveredThrough: 12, ReadThrough: 10}, true))
	m := doc.Find("#receipts")
	if m.AttrOr("data-delivered", "") != "12" || m.AttrOr("data-read", "") != "10" || m.AttrOr("hx-swap-oob", "") != "true" {
		t.Errorf("receipts marker %v", m.Nodes[0].Attr)
	}

	doc = render(t, ChatTyping(7))
	if doc.Find("div").AttrOr("hx-swap-oob", "") != "patch:#chat-list" || doc.Find("#typing-7").Length() != 1 {
		t.Error("typing in the chat list is not a patch of the row's line")
	}
	if _, hidden := doc.Find("#typing-7").Attr("hidden"); hidden {
		t.Error("the typing line comes hidden")
	}
	doc = render(t, ChatRowPatch(ChatRow{PeerID: 7, PeerUsername: "bob", PeerName: "Bob", Preview: "x", Deleted: true, At: at}, at))
	if doc.Find("div").AttrOr("hx-swap-oob", "") != "patch:#chat-list" || doc.Find("#chat-7 .chat-preview").Text() != "This message was deleted" {
		t.Errorf("chat row patch: %q", doc.Text())
	}
	doc = render(t, ChatRowOnTop(ChatRow{PeerID: 7, PeerUsername: "bob", PeerName: "Bob", At: at}, at))
	if doc.Find("div").AttrOr("hx-swap-oob", "") != "top:#chat-list" {
		t.Error("a new message's row does not go to the top")
	}
}

// The conversation has one menu with the six reactions and the four
// actions, a delete confirmation, the reply/edit line and the typing line.
func TestConversationHasTheMenu(t *testing.T) {
	c := Conversation{Peer: Peer{ID: 2, Username: "bob", DisplayName: "Bob", Friend: true}, ReactionChoices: []string{"👍", "❤️", "😂", "😮", "😢", "🙏"}}
	doc := render(t, ConversationPage(Page{}, ChatList{}, c))
	menu := doc.Find("#message-menu")
	if menu.AttrOr("role", "") != "menu" || menu.Find(`[role=menuitem]`).Length() != 11 {
		t.Fatalf("menu: role %q, %d items", menu.AttrOr("role", ""), menu.Find(`[role=menuitem]`).Length())
	}
	var labels []string
	menu.Find("[data-action]:not([data-emoji])").Each(func(_ int, s *goquery.Selection) { labels = append(labels, s.Text()) })
	if strings.Join(labels, ",") != "React,Reply,Edit,Delete for everyone,Delete for me" {
		t.Errorf("menu items %v", labels)
	}
	// React shows the six reactions, each named by its emoji.
	picker := menu.Find("#reaction-picker[hidden]")
	var emoji []string
	picker.Find("button").Each(func(_ int, s *goquery.Selection) {
		if _, labelled := s.Attr("aria-label"); !labelled {
			emoji = append(emoji, s.Text())
		}
	})
	if strings.Join(emoji, "") != "👍❤️😂😮😢🙏" || menu.Find(`[data-action=react]`).AttrOr("aria-controls", "") != "reaction-picker" {
		t.Errorf("reactions %v", emoji)
	}
	if doc.Find("dialog#delete-message").Length() != 1 || doc.Find("#composer-context[hidden] #composer-context-cancel").Length() != 1 {
		t.Error("no delete confirmation, or no reply/edit line")
	}
	if doc.Find(`#composer input#reply-to[name=reply_to]`).Length() != 1 {
		t.Error("the composer does not carry what it replies to")
	}
	if doc.Find("#peer-typing[hidden]").Text() != "typing…" {
		t.Error("no hidden typing line under the peer's name")
	}
	if doc.Find("#history").AttrOr("aria-describedby", "") != "history-keys" || !strings.Contains(doc.Find("#history-keys").Text(), "Arrow keys") {
		t.Error("the history does not say how the keyboard moves in it")
	}
}
