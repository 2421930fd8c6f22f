package handlers

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gorilla/websocket"
)

// sendFrameJSON is what the composer's ws-send posts, with htmx's headers.
func sendFrameJSON(to, message, clientID string) string {
	b, _ := json.Marshal(map[string]any{
		"to": to, "message": message, "client_id": clientID,
		"HEADERS": map[string]any{"HX-Request": "true", "HX-Trigger": "composer", "HX-Trigger-Name": nil,
			"HX-Target": "composer", "HX-Current-URL": "http://localhost/chats/" + to},
	})
	return string(b)
}

// chatPair signs up alice and bob, makes them friends and returns their
// browsers.
func chatPair(t *testing.T, site *testSite) (alice, bob *browser) {
	alice, bob = site.newBrowser(t), site.newBrowser(t)
	alice.mustSignup("alice", "Alice")
	bob.mustSignup("bob", "Bob")
	befriend(t, alice, bob, "bob")
	return alice, bob
}

func TestEachMessageArrivesOnceOnEverySocketOfTheConversation(t *testing.T) {
	site := newTestSiteWith(t, func(c *siteConfig) { c.Live.SendRate, c.Live.SendBurst = 1e6, 1e6 })
	alice, bob := chatPair(t, site)
	aChat := alice.dial("page=chat&peer=bob&after=0")
	aList := alice.dial("page=chats")
	bChat := bob.dial("page=chat&peer=alice&after=0")
	for _, c := range []*wsClient{aChat, aList, bChat} {
		c.waitContains(`id="chat-list"`)
	}

	const n = 20
	var wg sync.WaitGroup
	for _, side := range []struct {
		c      *wsClient
		to, id string
	}{{aChat, "bob", "a"}, {bChat, "alice", "b"}} {
		wg.Go(func() {
			for i := 0; i < n; i++ {
				side.c.send(sendFrameJSON(side.to, fmt.Sprintf("%s says %d", side.id, i), fmt.Sprintf("%s-client-%04d", side.id, i)))
			}
		})
	}
	wg.Wait()

	for _, c := range []*wsClient{aChat, bChat} {
		c.waitFor("all 40 messages", func([]string, error) bool { return len(c.messageIDs()) >= 2*n })
	}
	aIDs, bIDs := aChat.messageIDs(), bChat.messageIDs()
	for name, ids := range map[string][]string{"alice's chat": aIDs, "bob's chat": bIDs} {
		if len(ids) != 2*n {
			t.Errorf("%s got %d messages, want %d", name, len(ids), 2*n)
		}
		if !sortedUnique(ids) {
			t.Errorf("%s: messages out of order or repeated: %v", name, ids)
		}
	}
	if !slices.Equal(aIDs, bIDs) {
		t.Errorf("the two sides saw different messages:\n%v\n%v", aIDs, bIDs)
	}
	// The chat list page gets the chat's row, not the messages.
	aList.waitContains(`id="chat-`)
	if ids := aList.messageIDs(); len(ids) != 0 {
		t.Errorf("the chat list socket received messages %v", ids)
	}
	// One day separator, above the first message of the day; none after.
	if n := aChat.count(`class="day"`); n != 1 {
		t.Errorf("alice's page got %d day separators, want 1", n)
	}
	// Mine and theirs are told apart per viewer.
	if aChat.count(`msg mine`) != n || bChat.count(`msg mine`) != n {
		t.Errorf("mine: alice %d, bob %d; want %d each", aChat.count(`msg mine`), bChat.count(`msg mine`), n)
	}
	if got := len(site.history(t, "alice", "bob")); got != 2*n {
		t.Errorf("%d messages stored, want %d", got, 2*n)
	}
}

func sortedUnique(ids []string) bool {
	prev := int64(0)
	for _, s := range ids {
		id, _ := strconv.ParseInt(s, 10, 64)
		if id <= prev {
			return false
		}
		prev = id
	}
	return true
}

func TestBadInputIsAnsweredInlineAndStoresNothing(t *testing.T) {
	site := newTestSite(t)
	alice, _ := chatPair(t, site)
	carol := site.newBrowser(t)
	carol.mustSignup("carol", "Carol")
	c := alice.dial("page=chat&peer=bob&after=0")
	c.waitContains(`id="composer-status"`)

	cases := []struct {
		name, frame, want string
	}{
		{"blank", sendFrameJSON("bob", "  \n\t ", "blank-0001"), "Type a message first"},
		{"too long", sendFrameJSON("bob", strings.Repeat("好", 4001), "long-00001"), "at most 4,000 characters"},
		{"invalid UTF-8", `{"to":"bob","message":"` + "\xff\xfe" + `","client_id":"utf8-00001"}`, "not valid text"},
		{"malformed JSON", `{"to":"bob","message":`, "could not be read"},
		{"unknown field", `{"to":"bob","message":"hi","client_id":"unknown-01","admin":true}`, "could not be read"},
		{"wrong type", `{"to":"bob","message":42,"client_id":"wrongtype1"}`, "could not be read"},
		{"missing client id", `{"to":"bob","message":"hi"}`, "could not be read"},
		{"not a friend", sendFrameJSON("carol", "hi carol", "carol-0001"), "not friends"},
		{"unknown person", sendFrameJSON("nobody", "hi", "nobody-001"), "no one with that username"},
		{"yourself", sendFrameJSON("alice", "hi me", "self-00001"), "cannot send messages to yourself"},
		{"NUL character", sendFrameJSON("bob", "nul\x00here", "nul-000001"), "control characters"},
		{"bell character", sendFrameJSON("bob", "ring\x07", "bell-00001"), "control characters"},
		{"direction override", sendFrameJSON("bob", "see evil\u202Egnp.exe", "bidi-00001"), "reverse the direction"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := c.count(`id="send-error"`)
			c.send(tc.frame)
			c.waitFor("an error", func([]string, error) bool { return c.count(`id="send-error"`) > before })
			f := c.last()
			if !strings.Contains(f, tc.want) {
				t.Errorf("error frame %s, want it to say %q", f, tc.want)
			}
		})
	}
	if n := len(site.history(t, "alice", "bob")) + len(site.history(t, "alice", "carol")); n != 0 {
		t.Errorf("%d messages stored from bad input", n)
	}

	// The socket survived all of that: a good message still goes through,
	// and markup in it is text.
	c.send(sendFrameJSON("bob", `<script>alert(1)</script>`, "good-00001"))
	f := c.waitContains(`data-client-id="good-00001"`)
	if strings.Contains(f, "<script>") || !strings.Contains(f, "&lt;script&gt;") {
		t.Errorf("markup not escaped: %s", f)
	}
}

func TestOversizedFrameClosesTheSocket(t *testing.T) {
	site := newTestSite(t)
	alice, _ := chatPair(t, site)
	c := alice.dial("page=chat&peer=bob&after=0")
	c.waitContains(`id="composer-status"`)
	c.send(sendFrameJSON("bob", strings.Repeat("x", 64<<10), "huge-00001"))
	if code := c.waitClosed(); code != websocket.CloseMessageTooBig {
		t.Errorf("closed with %d, want %d", code, websocket.CloseMessageTooBig)
	}
	if n := len(site.history(t, "alice", "bob")); n != 0 {
		t.Errorf("%d messages stored", n)
	}
	// A new socket works (the page reconnects).
	again := alice.dial("page=chat&peer=bob&after=0")
	again.send(sendFrameJSON("bob", "still here", "after-0001"))
	again.waitContains(`data-client-id="after-0001"`)
}

func TestSendingTooFastIsRefusedPastTheBurst(t *testing.T) {
	const burst = 20
	site := newTestSiteWith(t, func(c *siteConfig) { c.Live.SendRate, c.Live.SendBurst = 10, burst })
	alice, _ := chatPair(t, site)
	c := alice.dial("page=chat&peer=bob&after=0")
	c.waitContains(`id="composer-status"`)
	for i := 0; i < burst+5; i++ {
		c.send(sendFrameJSON("bob", fmt.Sprint("burst ", i), fmt.Sprintf("burst-%04d", i)))
	}
	c.waitContains("too fast")
	c.waitFor("the burst to be stored", func([]string, error) bool { return len(c.messageIDs()) >= burst })
	n := len(site.history(t, "alice", "bob"))
	if n < burst || n >= burst+5 {
		t.Errorf("%d of %d stored; want the burst (%d) and a few refilled at most", n, burst+5, burst)
	}
}

func TestResendingAClientIDStoresOnce(t *testing.T) {
	site := newTestSite(t)
	alice, bob := chatPair(t, site)
	bChat := bob.dial("page=chat&peer=alice&after=0")
	bChat.waitContains(`id="composer-status"`)
	a1 := alice.dial("page=chat&peer=bob&after=0")
	a1.send(sendFrameJSON("bob", "once", "resent-0001"))
	a1.waitContains(`data-client-id="resent-0001"`)
	// The page reconnects and sends it again, not knowing it was stored.
	a1.conn.Close()
	a2 := alice.dial("page=chat&peer=bob&after=0")
	a2.send(sendFrameJSON("bob", "once", "resent-0001"))
	a2.send(sendFrameJSON("bob", "next", "resent-0002"))
	a2.waitContains(`data-client-id="resent-0002"`)
	bChat.waitFor("two messages", func([]string, error) bool { return len(bChat.messageIDs()) >= 2 })
	if ids := bChat.messageIDs(); len(ids) != 2 {
		t.Errorf("bob saw %v, want two messages", ids)
	}
	if n := len(site.history(t, "alice", "bob")); n != 2 {
		t.Errorf("%d stored, want 2", n)
	}
}

// A page that reconnects says which message it has last; it gets exactly
// what came after, even while messages keep arriving during the reconnect.
func TestReconnectCatchUpHasNoGapsAndNoDuplicates(t *testing.T) {
	site := newTestSiteWith(t, func(c *siteConfig) { c.Live.SendRate, c.Live.SendBurst = 1e6, 1e6 })
	alice, bob := chatPair(t, site)
	aChat := alice.dial("page=chat&peer=bob&after=0")
	aChat.waitContains(`id="composer-status"`)

	const total = 120
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		for i := 0; i < total; i++ {
			aChat.send(sendFrameJSON("bob", fmt.Sprint("m", i), fmt.Sprintf("catchup-%04d", i)))
		}
	}()

	// Bob's page keeps dropping and reconnecting while they arrive.
	var seen []string
	after := "0"
	for round := 0; ; round++ {
		c := bob.dial("page=chat&peer=alice&after=" + after)
		c.waitContains(`id="composer-status"`)
		if round%2 == 0 {
			c.waitFor("a live message, or the end of sending", func([]string, error) bool {
				select {
				case <-sent:
					return true
				default:
					return len(c.messageIDs()) > 0
				}
			})
		}
		c.conn.Close()
		c.waitClosed()
		ids := c.messageIDs()
		seen = append(seen, ids...)
		if len(ids) > 0 {
			after = ids[len(ids)-1]
		}
		select {
		case <-sent:
		default:
			continue
		}
		if len(seen) >= total || round > 200 {
			break
		}
	}
	if len(seen) != total || !sortedUnique(seen) {
		t.Fatalf("bob saw %d messages (want %d), in order and once each: %v", len(seen), total, sortedUnique(seen))
	}
}
