package handlers

import (
	"fmt"
	"image/color"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// seqOf reads the change number a frame says the conversation is current
// to.
func seqOf(t *testing.T, frame string) int64 {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(frame))
	if err != nil {
		t.Fatal(err)
	}
	seq, err := strconv.ParseInt(doc.Find("#conversation-seq").AttrOr("data-seq", ""), 10, 64)
	if err != nil {
		t.Fatalf("no change number in %s", frame)
	}
	return seq
}

// after is the query of a chat socket current to change seq.
func after(peer string, seq int64) string {
	return fmt.Sprintf("page=chat&peer=%s&after=%d", peer, seq)
}

// A change that is not a new message reaches a tab that was away when it
// happened: the chat box deleted in another tab while this one was
// offline. The tab that comes back loses the deleted history, and later
// messages still arrive.
func TestReconnectAfterTheChatWasDeletedElsewhere(t *testing.T) {
	site := newTestSite(t)
	alice, _ := chatPair(t, site)
	storeMessages(t, site, "bob", "alice", 3)
	away := alice.dial("page=chat&peer=bob&after=0")
	away.waitFor("the history", func([]string, error) bool { return len(away.messageIDs()) == 3 })
	seq := seqOf(t, away.waitContains(`id="conversation-seq"`))
	away.conn.Close()
	away.waitClosed()

	// Another tab deletes the chat; a third, open on it, sees that live.
	open := alice.dial(after("bob", seq))
	open.waitContains(`id="composer-status"`)
	alice.post("/chats/bob/delete", nil)
	cleared := open.waitContains(`<div id="messages"`)
	if strings.Contains(cleared, `class="msg`) {
		t.Errorf("the open tab still shows messages: %s", cleared)
	}

	// The tab that was away comes back, current to before the deletion.
	back := alice.dial(after("bob", seq))
	f := back.waitContains(`id="conversation-seq"`)
	if !strings.Contains(f, `<div id="messages"`) || strings.Contains(f, `class="msg`) {
		t.Errorf("the tab that was away was not told its history is gone: %s", f)
	}
	if now := seqOf(t, f); now <= seq {
		t.Errorf("after the catch-up the tab is current to %d, not past %d", now, seq)
	}

	// A new message arrives in both tabs, once.
	storeMessages(t, site, "bob", "alice", 1)
	for _, c := range []*wsClient{open, back} {
		c.waitFor("the new message", func([]string, error) bool { return len(c.messageIDs()) == 1 })
	}
	if ids := back.messageIDs(); len(ids) != 1 {
		t.Errorf("the tab that came back shows %v", ids)
	}
}

// A message that was stored while its answer never reached the page (the
// socket dropped), followed by more messages than a catch-up sends one by
// one: when the page sends it again, it is answered with the stored
// message, as the first send would have been, and stored once.
func TestResendOfAStoredMessageIsAnsweredWithIt(t *testing.T) {
	site := newTestSiteWith(t, func(c *siteConfig) { c.Live.SendRate, c.Live.SendBurst = 1e6, 1e6 })
	alice, _ := chatPair(t, site)
	first := alice.dial("page=chat&peer=bob&after=0")
	seq := seqOf(t, first.waitContains(`id="conversation-seq"`))
	first.send(sendFrameJSON("bob", "sent just before the drop", "dropped-0001"))
	first.conn.Close()
	storedCount := func() int {
		n := 0
		for _, m := range site.history(t, "alice", "bob") {
			if m.ClientID == "dropped-0001" {
				n++
			}
		}
		return n
	}
	for deadline := time.Now().Add(10 * time.Second); storedCount() == 0; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the message sent before the drop was not stored")
		}
	}
	storeMessages(t, site, "bob", "alice", 210)

	again := alice.dial(after("bob", seq))
	catchUp := again.waitContains(`id="conversation-seq"`)
	if !strings.Contains(catchUp, `<div id="messages"`) {
		t.Fatalf("210 missed messages were sent one by one instead of replacing the history")
	}
	if strings.Contains(catchUp, "dropped-0001") {
		t.Fatal("the catch-up already shows the message: the test does not test the resend")
	}
	again.send(sendFrameJSON("bob", "sent just before the drop", "dropped-0001"))
	answer := again.waitContains(`data-client-id="dropped-0001"`)
	stored := site.history(t, "alice", "bob")[0]
	if !strings.Contains(answer, fmt.Sprintf(`data-id="%d"`, stored.ID)) || !strings.Contains(answer, "sent just before the drop") {
		t.Errorf("the answer is not the stored message %d: %s", stored.ID, answer)
	}
	if n := again.count(`data-client-id="dropped-0001"`); n != 1 {
		t.Errorf("the message was sent to the page %d times", n)
	}
	if n := storedCount(); n != 1 {
		t.Errorf("stored %d times", n)
	}
}

// What a person changed while a tab was away shows when it is back: the
// peer's new name and picture in the conversation's heading, and the
// person's own new name and sound setting in the top bar.
func TestReconnectShowsNamesAndSettingsChangedMeanwhile(t *testing.T) {
	site := newTestSite(t)
	alice, bob := chatPair(t, site)
	storeMessages(t, site, "bob", "alice", 1)
	away := alice.dial("page=chat&peer=bob&after=0")
	seq := seqOf(t, away.waitContains(`id="conversation-seq"`))
	away.conn.Close()
	away.waitClosed()

	bob.post("/settings/profile", url.Values{"display_name": {"Robert"}})
	bob.postAvatar("me.png", pngOf(t, 64, 64, color.RGBA{20, 120, 200, 255}))
	alice.post("/settings/profile", url.Values{"display_name": {"Alicia"}})
	alice.post("/settings/sounds", url.Values{"sounds": {"off"}})

	back := alice.dial(after("bob", seq))
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(back.waitContains(`id="conversation-seq"`)))
	if err != nil {
		t.Fatal(err)
	}
	if got := doc.Find("#peer-name").Text(); got != "Robert" {
		t.Errorf("the heading names the peer %q", got)
	}
	if src := doc.Find("#peer-avatar img").AttrOr("src", ""); !strings.HasPrefix(src, "/avatars/") {
		t.Errorf("the heading's picture is %q", src)
	}
	if got := doc.Find("#me").Text(); got != "Alicia" {
		t.Errorf("the top bar names alice %q", got)
	}
	if got := doc.Find("#sound button").AttrOr("aria-pressed", ""); got != "false" {
		t.Errorf("the sound button is pressed %q", got)
	}
}
