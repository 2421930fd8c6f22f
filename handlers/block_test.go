package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Bob blocks Alice from their conversation: she can no longer write to
// him or ask to be his friend, and is told only that it cannot be
// delivered; neither sees the other's presence; the history stays; Bob's
// other tab shows Unblock at once. Unblocked, they write again.
func TestABlockStopsMessagesAndRequestsAndSaysNotWhy(t *testing.T) {
	site := newTestSite(t)
	alice, bob := chatPair(t, site)
	storeMessages(t, site, "alice", "bob", 1)
	aliceTab := alice.dial("page=chat&peer=bob&after=0&visible=1")
	aliceTab.waitContains(`id="chat-list"`)
	bobsOtherTab := bob.dial("page=chat&peer=alice&after=0&visible=1")
	bobsOtherTab.waitContains(`id="chat-list"`)
	if _, doc := alice.get("/chats/bob"); doc.Find("#peer-presence .presence").Length() != 1 {
		t.Fatal("before the block alice does not see bob's presence")
	}

	resp, doc := bob.post("/people/alice/block", url.Values{"from": {"chat"}})
	if resp.Request.URL.Path != "/chats/alice" || !strings.Contains(doc.Find("#composer-status").Text(), "You blocked Alice") ||
		doc.Find(`#block form[action="/people/alice/unblock"]`).Length() != 1 || doc.Find("#composer-status[data-friend]").Length() != 0 {
		t.Fatalf("after blocking, bob's page at %s: %s", resp.Request.URL.Path, doc.Find("#composer-status").Text())
	}
	if doc.Find("#peer-presence .presence").Length() != 0 || doc.Find("#messages .msg").Length() != 1 {
		t.Errorf("bob's page shows presence or lost the history")
	}
	bobsOtherTab.waitContains(`/people/alice/unblock`)

	// Alice's message is refused, saying only that it cannot be delivered.
	aliceTab.send(sendFrameJSON("bob", "are you there?", "refused-0001"))
	refused := aliceTab.waitContains("could not be delivered")
	if strings.Contains(refused, "block") {
		t.Errorf("alice is told why: %s", refused)
	}
	_, doc = alice.get("/chats/bob")
	if doc.Find("#peer-presence .presence").Length() != 0 || doc.Find("#composer-status[data-friend]").Length() != 1 ||
		strings.Contains(doc.Text(), "blocked") || doc.Find("#messages .msg").Length() != 1 {
		t.Errorf("alice's page says too much or too little: %s", doc.Find(".conv-header").Text())
	}
	// Nor can she ask again after unfriending, and bob cannot write either.
	alice.post("/friends/bob/remove", nil)
	resp, doc = alice.post("/friends/requests", url.Values{"username": {"bob"}})
	if text := doc.Find("#notice").Text(); !strings.Contains(text, "could not be sent") || strings.Contains(text, "block") {
		t.Errorf("alice's request: %d %q", resp.StatusCode, text)
	}
	if status, answer := bob.upload("alice", map[string]string{"client_id": "refused-file-1"}, sentFile{"a.txt", "", []byte("hello")}); status != http.StatusForbidden || !strings.Contains(answer, "You blocked Alice") {
		t.Errorf("bob's file to alice: %d %s", status, answer)
	}
	if h := site.history(t, "alice", "bob"); len(h) != 1 {
		t.Errorf("stored during the block: %+v", h)
	}

	// Unblocked from the friends page's search: they can be friends again.
	_, doc = bob.get("/friends?q=alice")
	if doc.Find(`#search-results form[action="/people/alice/unblock"]`).Length() != 1 {
		t.Fatal("the search does not offer Unblock")
	}
	if resp, _ := bob.post("/people/alice/unblock", url.Values{"from": {"friends"}}); resp.Request.URL.Path != "/friends" {
		t.Errorf("unblocking led to %s", resp.Request.URL.Path)
	}
	befriend(t, alice, bob, "bob")
	aliceTab.send(sendFrameJSON("bob", "hello again", "unblocked-0001"))
	aliceTab.waitContains("hello again")
}
