package handlers

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// actionURL is the address of an action on message id of the chat with peer.
func actionURL(peer string, id int64, action string) string {
	return fmt.Sprintf("/chats/%s/messages/%d/%s", peer, id, action)
}

// hxStatus posts like htmx and returns the status and the answer's HTML.
func (b *browser) hxStatus(path string, form url.Values) (int, string) {
	b.t.Helper()
	status, _, html := b.hxPost(path, form)
	return status, html
}

// replyFrame is what the composer sends for a reply.
func replyFrame(to, message, clientID string, replyTo int64) string {
	b, _ := json.Marshal(map[string]any{"to": to, "message": message, "client_id": clientID, "reply_to": fmt.Sprint(replyTo)})
	return string(b)
}

// Each action answers the page that asked with the message as it is now,
// and refuses what it must with a clear line next to the composer,
// changing nothing and logging no text.
func TestMessageActionsAnswerInPlaceAndRefuseClearly(t *testing.T) {
	site := newTestSite(t)
	alice, bob := chatPair(t, site)
	carol := site.newBrowser(t)
	carol.mustSignup("carol", "Carol")
	befriend(t, alice, carol, "carol")
	storeMessages(t, site, "alice", "bob", 1)
	storeMessages(t, site, "bob", "alice", 1)
	storeMessages(t, site, "alice", "carol", 1)
	msgs := site.history(t, "alice", "bob")
	mine, theirs := msgs[0].ID, msgs[1].ID
	carols := site.history(t, "alice", "carol")[0].ID

	// Edit: the answer is the row with its new text and the edited mark.
	code, html := alice.hxStatus(actionURL("bob", mine, "edit"), url.Values{"message": {"  a secret plan \r\n"}})
	if code != http.StatusOK || !strings.Contains(html, "a secret plan</p>") || !strings.Contains(html, `class="edited"`) ||
		!strings.Contains(html, `hx-swap-oob="patch:#messages"`) {
		t.Errorf("edit: %d %s", code, html)
	}
	if got := site.history(t, "bob", "alice")[0]; got.Body != "a secret plan" || got.EditedAt == 0 {
		t.Errorf("stored after the edit: %+v", got)
	}

	// React, then react with the same again: on, then off.
	if code, html := bob.hxStatus(actionURL("alice", mine, "react"), url.Values{"emoji": {"😂"}}); code != http.StatusOK ||
		!strings.Contains(html, "😂 from you") {
		t.Errorf("react: %d %s", code, html)
	}
	if code, html := bob.hxStatus(actionURL("alice", mine, "react"), url.Values{"emoji": {"😂"}}); code != http.StatusOK ||
		strings.Contains(html, "😂") {
		t.Errorf("react again: %d %s", code, html)
	}

	refused := []struct {
		name   string
		who    *browser
		path   string
		form   url.Values
		status int
		say    string
	}{
		{"editing their message", alice, actionURL("bob", theirs, "edit"), url.Values{"message": {"mine now"}}, http.StatusForbidden, "Only your own messages"},
		{"deleting their message for everyone", alice, actionURL("bob", theirs, "delete"), nil, http.StatusForbidden, "Only your own messages"},
		{"a blank edit", alice, actionURL("bob", mine, "edit"), url.Values{"message": {" \n "}}, http.StatusUnprocessableEntity, "Type a message first"},
		{"an edit with a control character", alice, actionURL("bob", mine, "edit"), url.Values{"message": {"ring\a"}}, http.StatusUnprocessableEntity, "control characters"},
		{"a message of another chat", alice, actionURL("bob", carols, "edit"), url.Values{"message": {"x"}}, http.StatusNotFound, "not in this chat"},
		{"a message that does not exist", alice, actionURL("bob", 99999, "react"), url.Values{"emoji": {"👍"}}, http.StatusNotFound, "not in this chat"},
		{"a reaction outside the six", bob, actionURL("alice", mine, "react"), url.Values{"emoji": {"🤡"}}, http.StatusUnprocessableEntity, "one of the six"},
		{"someone else's chat", carol, actionURL("bob", mine, "hide"), nil, http.StatusForbidden, ""},
	}
	for _, tc := range refused {
		code, html := tc.who.hxStatus(tc.path, tc.form)
		if code != tc.status || !strings.Contains(html, tc.say) {
			t.Errorf("%s: %d %s; want %d saying %q", tc.name, code, html, tc.status, tc.say)
		}
	}
	if got := site.history(t, "alice", "bob"); got[0].Body != "a secret plan" || got[1].Body != "message 1" || len(got) != 2 {
		t.Errorf("refused actions changed the history: %+v", got)
	}
	if strings.Contains(site.logs.String(), "mine now") || strings.Contains(site.logs.String(), "secret") {
		t.Error("the log holds the text of a message")
	}
	if !strings.Contains(site.logs.String(), "reason=not_yours") {
		t.Errorf("refusals are not logged: %s", site.logs.String())
	}

	// Delete for everyone: both see that it was deleted; Delete for me:
	// gone from my copy only.
	if code, html := alice.hxStatus(actionURL("bob", mine, "delete"), nil); code != http.StatusOK || !strings.Contains(html, "This message was deleted") {
		t.Errorf("delete for everyone: %d %s", code, html)
	}
	if code, html := alice.hxStatus(actionURL("bob", theirs, "hide"), nil); code != http.StatusOK || !strings.Contains(html, "data-gone") {
		t.Errorf("delete for me: %d %s", code, html)
	}
	if a, b := len(site.history(t, "alice", "bob")), len(site.history(t, "bob", "alice")); a != 1 || b != 2 {
		t.Errorf("after deleting for me alice holds %d messages, bob %d", a, b)
	}

	// Without JavaScript the form leads back to the conversation.
	resp, _ := bob.post(actionURL("alice", theirs, "react"), url.Values{"emoji": {"👍"}})
	if resp.Request.URL.Path != "/chats/alice" {
		t.Errorf("a plain form post led to %s", resp.Request.URL)
	}
}

// Changes reach the other person's open conversation live, and a tab
// that was away gets the ones it missed when it reconnects, with the
// receipts its ticks follow.
func TestMessageChangesAreLiveAndCaughtUp(t *testing.T) {
	site := newTestSite(t)
	alice, bob := chatPair(t, site)
	storeMessages(t, site, "alice", "bob", 2)
	msgs := site.history(t, "alice", "bob")
	first, second := msgs[0].ID, msgs[1].ID

	aChat := alice.dial("page=chat&peer=bob&after=0&visible=1")
	aChat.waitContains(`id="receipts"`)
	// Bob's page opens, shown: everything is delivered and read, and
	// Alice's ticks say so.
	bChat := bob.dial(fmt.Sprintf("page=chat&peer=alice&after=%d&visible=1", second))
	bChat.waitContains(`id="receipts"`)
	aChat.waitContains(fmt.Sprintf(`data-delivered="%d" data-read="%d"`, second, second))

	// Alice edits; Bob's conversation shows it.
	alice.hxStatus(actionURL("bob", first, "edit"), url.Values{"message": {"first, edited"}})
	f := bChat.waitContains("first, edited")
	if !strings.Contains(f, `patch:#messages`) || !strings.Contains(f, "edited</span>") {
		t.Errorf("the edit reached bob as %s", f)
	}

	// Bob replies to the first; Alice sees the quote.
	bChat.send(replyFrame("alice", "about that", "reply-0001", first))
	f = aChat.waitContains("about that")
	if !strings.Contains(f, `class="quote"`) || !strings.Contains(f, "first, edited") {
		t.Errorf("the reply reached alice as %s", f)
	}
	reply := site.history(t, "alice", "bob")[2].ID

	// Bob types: Alice's page shows it; nothing is stored.
	bChat.send(`{"typing":true}`)
	aChat.waitContains(`id="peer-typing"`)

	// Bob goes away; meanwhile Alice deletes the first for everyone and
	// reacts to his reply. Back, he gets both, and his reply's quote says
	// the original was deleted.
	bChat.conn.Close()
	alice.hxStatus(actionURL("bob", first, "delete"), nil)
	alice.hxStatus(actionURL("bob", reply, "react"), url.Values{"emoji": {"❤️"}})
	back := bob.dial(fmt.Sprintf("page=chat&peer=alice&after=%d&visible=1", reply))
	f = back.waitContains(`patch:#messages`)
	for _, want := range []string{"This message was deleted", "Original message deleted", "❤️ from Alice"} {
		if !strings.Contains(f, want) {
			t.Errorf("the catch-up lacks %q: %s", want, f)
		}
	}
	if strings.Contains(f, "first, edited") {
		t.Error("the catch-up still holds the deleted text")
	}

	// Replying to a message of another conversation is refused.
	carol := site.newBrowser(t)
	carol.mustSignup("carol", "Carol")
	befriend(t, bob, carol, "carol")
	storeMessages(t, site, "carol", "bob", 1)
	carols := site.history(t, "bob", "carol")[0].ID
	back.send(replyFrame("alice", "wrong chat", "reply-0002", carols))
	back.waitContains("not in this chat")
	if n := len(site.history(t, "alice", "bob")); n != 3 {
		t.Errorf("a refused reply was stored: %d messages", n)
	}
}

// Turning read receipts off in settings takes Read out of the peer's
// ticks at once, and out of one's own; on again brings it back.
func TestReadReceiptsSetting(t *testing.T) {
	site := newTestSite(t)
	alice, bob := chatPair(t, site)
	storeMessages(t, site, "alice", "bob", 1)
	last := site.history(t, "alice", "bob")[0].ID
	aChat := alice.dial("page=chat&peer=bob&after=0&visible=1")
	bob.dial(fmt.Sprintf("page=chat&peer=alice&after=%d&visible=1", last)).waitContains(`id="receipts"`)
	read := fmt.Sprintf(`data-delivered="%d" data-read="%d"`, last, last)
	aChat.waitContains(read)

	_, doc := bob.get("/settings")
	if _, on := doc.Find("#read-receipts").Attr("checked"); !on || doc.Find("h1").Text() != "Settings" {
		t.Fatalf("settings page: read receipts on %v, heading %q", on, doc.Find("h1").Text())
	}
	resp, doc := bob.post("/settings", url.Values{}) // the box unchecked
	if resp.Request.URL.Path != "/settings" || !strings.Contains(doc.Find("#settings-notice").Text(), "Saved") {
		t.Errorf("saving led to %s saying %q", resp.Request.URL, doc.Find("#settings-notice").Text())
	}
	if _, on := doc.Find("#read-receipts").Attr("checked"); on {
		t.Error("the setting did not stay off")
	}
	aChat.waitContains(fmt.Sprintf(`data-delivered="%d" data-read="0"`, last))
	before := aChat.count(read)
	bob.post("/settings", url.Values{"read_receipts": {"on"}})
	aChat.waitFor("read again", func(frames []string, _ error) bool { return aChat.count(read) > before })
}

// Every kind of change reaches an open tab once, in the order made, and
// a tab that was away gets each one's outcome on reconnect, as its
// person sees it: Delete for me only in the deleter's tabs.
func TestEveryKindOfChangeArrivesOnceInOrder(t *testing.T) {
	site := newTestSite(t)
	alice, bob := chatPair(t, site)
	storeMessages(t, site, "alice", "bob", 3)
	storeMessages(t, site, "bob", "alice", 1)
	msgs := site.history(t, "alice", "bob")
	m1, m2, m3, b1 := msgs[0].ID, msgs[1].ID, msgs[2].ID, msgs[3].ID

	live := alice.dial("page=chat&peer=bob&after=0&visible=1")
	before := seqOf(t, live.waitContains(`id="conversation-seq"`))
	bobBefore := seqOf(t, bob.dial("page=chat&peer=alice&after=0&visible=1").waitContains(`id="conversation-seq"`))

	alice.hxStatus(actionURL("bob", m1, "edit"), url.Values{"message": {"version two"}})
	alice.hxStatus(actionURL("bob", m1, "edit"), url.Values{"message": {"version three"}})
	bob.hxStatus(actionURL("alice", m2, "react"), url.Values{"emoji": {"😮"}})
	alice.hxStatus(actionURL("bob", b1, "hide"), nil)
	alice.hxStatus(actionURL("bob", m3, "delete"), nil)
	live.waitContains(`data-deleted`)

	frames, _ := live.snapshot()
	at := func(s string) int {
		for i, f := range frames {
			if strings.Contains(f, s) {
				return i
			}
		}
		return -1
	}
	order := []int{at("version two"), at("version three"), at("😮 from Bob"), at("data-gone"), at("data-deleted")}
	for i := range order {
		if order[i] < 0 || (i > 0 && order[i] <= order[i-1]) {
			t.Errorf("changes arrived at frames %v, want increasing", order)
			break
		}
	}
	for _, s := range []string{"version three", "data-gone", "data-deleted"} {
		if n := live.count(s); n != 1 {
			t.Errorf("%q arrived in %d frames, want 1", s, n)
		}
	}

	// Alice's other tab comes back: one catch-up, every change's outcome.
	back := alice.dial(fmt.Sprintf("page=chat&peer=bob&after=%d&visible=1", before))
	f := back.waitContains(`patch:#messages`)
	for _, want := range []string{"version three", "😮 from Bob", fmt.Sprintf(`id="m-%d" data-gone`, b1), "This message was deleted"} {
		if !strings.Contains(f, want) {
			t.Errorf("alice's catch-up lacks %q", want)
		}
	}
	if strings.Contains(f, "version two") {
		t.Error("alice's catch-up holds an outdated version")
	}
	// Bob's: the same, except Alice's own deletion.
	f = bob.dial(fmt.Sprintf("page=chat&peer=alice&after=%d&visible=1", bobBefore)).waitContains(`patch:#messages`)
	if strings.Contains(f, "data-gone") || !strings.Contains(f, "version three") || !strings.Contains(f, "This message was deleted") {
		t.Errorf("bob's catch-up: %s", f)
	}
	if n := len(site.history(t, "bob", "alice")); n != 4 {
		t.Errorf("bob holds %d messages after alice deleted one for herself", n)
	}
}

// Typing reaches the peer's conversation and chat list, at most once in
// two seconds however often a page says it, and takes nothing from the
// store: no number, no row.
func TestTypingIsRelayedSparinglyAndNeverStored(t *testing.T) {
	site := newTestSite(t)
	alice, bob := chatPair(t, site)
	aChat := alice.dial("page=chat&peer=bob&after=0&visible=1")
	aList := alice.dial("page=chats&visible=1")
	bChat := bob.dial("page=chat&peer=alice&after=0&visible=1")
	seq := seqOf(t, bChat.waitContains(`id="conversation-seq"`))
	aChat.waitContains(`id="conversation-seq"`)
	aList.waitContains(`id="chat-list"`) // live: typing from now on reaches it

	for range 20 {
		bChat.send(`{"typing":true}`)
	}
	bChat.send(sendFrameJSON("alice", "done typing", "typing-0001"))
	aChat.waitContains("done typing")
	aList.waitContains("done typing")

	// Twenty frames sent within milliseconds: one shown, two at most if
	// the server took over two seconds to read them.
	if n := aChat.count(`id="peer-typing"`); n < 1 || n > 2 {
		t.Errorf("alice's conversation showed typing %d times, want 1 (2 at most)", n)
	}
	if n := aList.count(`id="typing-`) - aList.count("done typing"); n < 1 || n > 2 {
		t.Errorf("alice's chat list showed typing %d times, want 1 (2 at most)", n)
	}
	msgs := site.history(t, "alice", "bob")
	if len(msgs) != 1 {
		t.Fatalf("after typing and one message: %d messages", len(msgs))
	}
	if msgs[0].ID != seq+1 {
		t.Errorf("the message is numbered %d after %d: typing took a number", msgs[0].ID, seq)
	}
}

// A message sent while its recipient has no page open is delivered when
// they open any page: it shows the newest of every chat.
func TestOpeningAPageDeliversWhatCameMeanwhile(t *testing.T) {
	site := newTestSite(t)
	alice, bob := chatPair(t, site)
	aChat := alice.dial("page=chat&peer=bob&after=0&visible=1")
	aChat.waitContains(`id="conversation-seq"`)
	aChat.send(sendFrameJSON("bob", "while you were away", "away-0001"))
	aChat.waitContains("while you were away")
	id := site.history(t, "alice", "bob")[0].ID
	if n := aChat.count(fmt.Sprintf(`data-delivered="%d"`, id)); n != 0 {
		t.Fatalf("delivered before bob opened anything")
	}

	bob.dial("page=friends&visible=0")
	aChat.waitContains(fmt.Sprintf(`data-delivered="%d" data-read="0"`, id))
}
