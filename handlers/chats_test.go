package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"chat/db"
	"chat/viewmodel"

	"github.com/PuerkitoBio/goquery"
)

// storeMessages queues n messages from one user to another on the store,
// as the live layer does, and waits until they are stored.
func storeMessages(t *testing.T, site *testSite, from, to string, n int) {
	t.Helper()
	ctx := context.Background()
	a, b := site.user(t, from), site.user(t, to)
	before := len(site.history(t, from, to))
	for i := 0; i < n; i++ {
		err := site.store.QueueMessage(ctx, db.NewMessage{From: a, To: b, ClientID: fmt.Sprintf("seed-%s-%s-%05d", from, to, before+i), Body: fmt.Sprint("message ", before+i)})
		if err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(site.history(t, from, to)) < before+n {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d messages stored", len(site.history(t, from, to))-before, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestConversationPageAndPaging(t *testing.T) {
	site := newTestSite(t)
	alice, bob := chatPair(t, site)
	storeMessages(t, site, "bob", "alice", 120)

	_, doc := alice.get("/")
	if got := doc.Find("#chat-list .chat-row .badge .visually-hidden").Text(); got != "120 unread" {
		t.Errorf("before opening: %q", got)
	}
	if got := doc.Find("title").Text(); got != "(120) Chat" {
		t.Errorf("title = %q", got)
	}

	// Alice opens the chat at its first unread message, under a divider:
	// the page reaches back that far.
	resp, doc := alice.get("/chats/bob")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	msgs := doc.Find("#messages .msg")
	if msgs.Length() != 120 || !strings.Contains(msgs.First().Text(), "message 0") {
		t.Errorf("opened with %d messages from %q; want all 120 unread", msgs.Length(), msgs.First().Text())
	}
	divider := doc.Find("#unread-divider")
	if divider.Text() != "120 unread messages" || divider.NextFiltered(".msg").AttrOr("id", "") != msgs.First().AttrOr("id", "") {
		t.Errorf("divider %q, above %s", divider.Text(), divider.Next().AttrOr("id", ""))
	}
	// Fetching the page reads nothing: only a page the browser shows does.
	hidden := alice.dial("page=chat&peer=bob&after=0&visible=0")
	hidden.waitContains(`id="composer-status"`)
	if got, _ := site.store.UnreadTotal(context.Background(), site.user(t, "alice").ID); got != 120 {
		t.Errorf("unread total with the chat open in a hidden tab = %d, want 120", got)
	}
	hidden.send(`{"visible":true}`)
	hidden.waitContains(`id="nav-unread" class="badge" data-count="0"`)
	if got, _ := site.store.UnreadTotal(context.Background(), site.user(t, "alice").ID); got != 0 {
		t.Errorf("unread total once the tab is shown = %d", got)
	}

	// Bob, with nothing unread, opens at the newest page; the loader
	// fetches the page before, oldest first, with its own loader.
	_, doc = bob.get("/chats/alice")
	msgs = doc.Find("#messages .msg")
	if msgs.Length() != viewmodel.HistoryPage || !strings.Contains(msgs.Last().Text(), "message 119") || !strings.Contains(msgs.First().Text(), "message 70") {
		t.Errorf("first page: %d messages, %q .. %q", msgs.Length(), msgs.First().Text(), msgs.Last().Text())
	}
	if doc.Find("#unread-divider").Length() != 0 || msgs.Filter(".mine").Length() != viewmodel.HistoryPage {
		t.Error("bob's page has a divider, or his messages are not marked his")
	}
	next := doc.Find("#older").AttrOr("hx-get", "")
	_, page := bob.get(next)
	older := page.Find(".msg")
	if older.Length() != viewmodel.HistoryPage || !strings.Contains(older.First().Text(), "message 20") || !strings.Contains(older.Last().Text(), "message 69") {
		t.Errorf("second page: %d messages, %q .. %q", older.Length(), older.First().Text(), older.Last().Text())
	}
	// All were sent today: the day separator moves up to the older page.
	if page.Find(`[hx-swap-oob=delete]`).AttrOr("id", "") != doc.Find("#messages .day").AttrOr("id", "") {
		t.Error("the older page does not move the day separator up")
	}
	_, last := bob.get(page.Find("#older").AttrOr("hx-get", ""))
	if n := last.Find(".msg").Length(); n != 20 || last.Find("#older.start").Length() != 1 {
		t.Errorf("last page: %d messages, start marker %d", n, last.Find("#older.start").Length())
	}
}

func TestConversationWithStrangersAndFormerFriends(t *testing.T) {
	site := newTestSite(t)
	alice, bob := chatPair(t, site)
	carol := site.newBrowser(t)
	carol.mustSignup("carol", "Carol")

	for path, want := range map[string]int{
		"/chats/nobody": http.StatusNotFound,
		"/chats/carol":  http.StatusForbidden,
		"/chats/alice":  http.StatusNotFound, // yourself
	} {
		resp, doc := alice.get(path)
		if resp.StatusCode != want {
			t.Errorf("%s: %d, want %d", path, resp.StatusCode, want)
		}
		if doc.Find(".card p").First().Text() == "" {
			t.Errorf("%s: no explanation on the page", path)
		}
	}
	if resp, _ := alice.get("/chats/carol/messages?before=5"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("paging a stranger's chat: %d", resp.StatusCode)
	}

	storeMessages(t, site, "alice", "bob", 2)
	_, doc := bob.get("/friends")
	bob.post("/friends/alice/remove", nil)
	_ = doc
	resp, doc := alice.get("/chats/bob")
	if resp.StatusCode != http.StatusOK || doc.Find("#messages .msg").Length() != 2 {
		t.Fatalf("former friend's history: %d, %d messages", resp.StatusCode, doc.Find("#messages .msg").Length())
	}
	status := doc.Find("#composer-status")
	if _, friends := status.Attr("data-friend"); friends || !strings.Contains(status.Text(), "not friends") {
		t.Errorf("a former friend's chat says %q above the composer", status.Text())
	}
}

func TestDeleteChatKeepsTheOtherSide(t *testing.T) {
	site := newTestSite(t)
	alice, bob := chatPair(t, site)
	storeMessages(t, site, "alice", "bob", 3)
	resp, doc := bob.post("/chats/alice/delete", url.Values{})
	if resp.Request.URL.Path != "/" || doc.Find("#chat-list .chat-row").Length() != 0 {
		t.Errorf("after deleting: on %s with %d rows", resp.Request.URL.Path, doc.Find("#chat-list .chat-row").Length())
	}
	if _, doc := alice.get("/chats/bob"); doc.Find("#messages .msg").Length() != 3 {
		t.Error("alice lost messages when bob deleted his chat")
	}
	if _, doc := bob.get("/chats/alice"); doc.Find("#messages .msg").Length() != 0 {
		t.Error("bob still sees the deleted history")
	}
	// Deleting again is harmless.
	if resp, _ := bob.post("/chats/alice/delete", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("second delete: %d", resp.StatusCode)
	}
}

// Mute and Unmute answer with the button in its new state, and the other
// tabs with the chat open show it too; a chat with nobody, or with no
// message yet, cannot be muted.
func TestMuteAndUnmute(t *testing.T) {
	site := newTestSite(t)
	alice, _ := chatPair(t, site)
	carol := site.newBrowser(t)
	carol.mustSignup("carol", "Carol")
	if resp, _ := alice.post("/chats/bob/mute", nil); resp.StatusCode != http.StatusConflict {
		t.Errorf("muting a chat with no message: %d, want 409", resp.StatusCode)
	}
	if resp, _ := alice.post("/chats/carol/mute", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("muting a stranger's chat: %d, want 403", resp.StatusCode)
	}
	storeMessages(t, site, "bob", "alice", 1)
	other := alice.dial("page=chat&peer=bob&after=0")
	other.waitContains(`id="mute"`)
	if _, got := alice.hxDoc("/chats/bob/mute", nil); !strings.Contains(got, "Unmute") || !strings.Contains(got, `/chats/bob/unmute`) {
		t.Errorf("after Mute: %s", got)
	}
	other.waitContains(`aria-pressed="true">Unmute`)
	if info, _ := site.store.Chat(context.Background(), site.user(t, "alice").ID, site.user(t, "bob").ID); !info.Muted {
		t.Error("not muted")
	}
	if _, got := alice.hxDoc("/chats/bob/unmute", nil); !strings.Contains(got, ">Mute<") {
		t.Errorf("after Unmute: %s", got)
	}
	if info, _ := site.store.Chat(context.Background(), site.user(t, "alice").ID, site.user(t, "bob").ID); info.Muted {
		t.Error("still muted")
	}
}

// A former friend's conversation offers Add friend above the composer; the
// other side can Accept there; each answer shows where they now stand, in
// place. Without htmx the forms lead back to the conversation.
func TestFriendAgainFromTheConversation(t *testing.T) {
	site := newTestSite(t)
	alice, bob := chatPair(t, site)
	storeMessages(t, site, "alice", "bob", 2)
	bob.post("/friends/alice/remove", nil)

	_, doc := alice.get("/chats/bob")
	add := doc.Find("#composer-status form")
	if add.Length() != 1 || strings.TrimSpace(add.Find("button").Text()) != "Add friend" {
		t.Fatalf("no Add friend above the composer: %q", doc.Find("#composer-status").Text())
	}
	form := url.Values{}
	add.Find("input[type=hidden]").Each(func(_ int, in *goquery.Selection) {
		form.Set(in.AttrOr("name", ""), in.AttrOr("value", ""))
	})
	answer, _ := alice.hxDoc(add.AttrOr("hx-post", ""), form)
	status := answer.Find("#composer-status")
	if !strings.Contains(status.Text(), "You asked Bob") || status.Find("form").Length() != 0 {
		t.Errorf("after Add friend the status says %q", status.Text())
	}
	if answer.Find("#nav-requests[hx-swap-oob]").Length() != 1 {
		t.Error("the answer does not carry the request badge")
	}
	// Asking twice says the same, not an error.
	if again, _ := alice.hxDoc(add.AttrOr("hx-post", ""), form); !strings.Contains(again.Find("#composer-status").Text(), "You asked Bob") {
		t.Errorf("asking again says %q", again.Find("#composer-status").Text())
	}

	// Bob's copy of the conversation offers Accept and Decline; without
	// htmx, Accept leads back to the conversation, where they are friends.
	_, doc = bob.get("/chats/alice")
	buttons := doc.Find("#composer-status button")
	if buttons.Length() != 2 || buttons.First().Text() != "Accept" || buttons.Last().Text() != "Decline" {
		t.Fatalf("bob's conversation says %q", doc.Find("#composer-status").Text())
	}
	accept := doc.Find("#composer-status form").First()
	form = url.Values{}
	accept.Find("input[type=hidden]").Each(func(_ int, in *goquery.Selection) {
		form.Set(in.AttrOr("name", ""), in.AttrOr("value", ""))
	})
	resp, doc := bob.post(accept.AttrOr("action", ""), form)
	if resp.Request.URL.Path != "/chats/alice" {
		t.Fatalf("Accept without htmx led to %s", resp.Request.URL.Path)
	}
	if _, friends := doc.Find("#composer-status").Attr("data-friend"); !friends {
		t.Errorf("after Accept the status says %q", doc.Find("#composer-status").Text())
	}
	// The request is gone: answering it again from the chat shows they are
	// friends rather than an error.
	again, _ := bob.hxDoc(accept.AttrOr("hx-post", ""), form)
	if _, friends := again.Find("#composer-status").Attr("data-friend"); !friends {
		t.Errorf("answering a gone request says %q", again.Find("#composer-status").Text())
	}
}
