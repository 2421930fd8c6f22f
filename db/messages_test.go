package db

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// mustBefriend makes a and b friends.
func mustBefriend(tb testing.TB, s *testStore, a, b User) {
	tb.Helper()
	ctx := context.Background()
	if _, err := s.SendFriendRequest(ctx, a.ID, b.ID); err != nil {
		tb.Fatal(err)
	}
	if out, err := s.SendFriendRequest(ctx, b.ID, a.ID); err != nil || out != BecameFriends {
		tb.Fatalf("befriend: %v %v", out, err)
	}
}

var clientIDs int

// mustSend sends body from a to b with a fresh client id.
func mustSend(tb testing.TB, s *testStore, from, to User, body string) Message {
	tb.Helper()
	clientIDs++
	m, dup, err := s.send(context.Background(), NewMessage{From: from, To: to, ClientID: fmt.Sprint("c", clientIDs), Body: body})
	if err != nil || dup {
		tb.Fatalf("send %q: dup %v, %v", body, dup, err)
	}
	return m
}

// withoutSeq is an event with its change number left out, to compare.
func withoutSeq(e Event) Event {
	switch c := e.(type) {
	case ChatChanged:
		c.Seq = 0
		return c
	case Receipt:
		c.Seq = 0
		return c
	case MessageChanged:
		c.Seq = 0
		return c
	case MessageHidden:
		c.Seq = 0
		return c
	case ReceiptsSetting:
		c.Seq = 0
		return c
	}
	return e
}

func bodies(msgs []Message) string {
	var b []string
	for _, m := range msgs {
		b = append(b, m.Body)
	}
	return strings.Join(b, ",")
}

func chatList(tb testing.TB, s *testStore, me User) string {
	tb.Helper()
	boxes, err := s.ChatList(context.Background(), me.ID, 50)
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, b := range boxes {
		out = append(out, fmt.Sprintf("%s:%s:%d", b.Peer.Username, b.Last.Body, b.Unread))
	}
	return strings.Join(out, " ")
}

// checkUnreadTotals checks the kept totals against the boxes they sum.
func checkUnreadTotals(tb testing.TB, s *testStore) {
	tb.Helper()
	if n := count(tb, s, `SELECT COUNT(*) FROM users u WHERE unread_total <>
		(SELECT COALESCE(SUM(unread), 0) FROM chat_boxes WHERE owner_id = u.id)`); n != 0 {
		tb.Errorf("%d users' unread_total differs from the sum of their chat boxes", n)
	}
}

func TestSendMessage(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	alice, bob := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob")
	mustBefriend(t, s, alice, bob)
	s.drainEvents()

	m, dup, err := s.send(ctx, NewMessage{From: alice, To: bob, ClientID: "k1", Body: "hello\nthere"})
	if err != nil || dup || m.ID == 0 || m.Body != "hello\nthere" || m.SenderID != alice.ID || m.RecipientID != bob.ID {
		t.Fatalf("SendMessage = %+v, %v, %v", m, dup, err)
	}
	if got := chatList(t, s, alice); got != "bob:hello\nthere:0" {
		t.Errorf("alice's list: %q", got)
	}
	if got := chatList(t, s, bob); got != "alice:hello\nthere:1" {
		t.Errorf("bob's list: %q", got)
	}
	if n, _ := s.UnreadTotal(ctx, bob.ID); n != 1 {
		t.Errorf("bob's total = %d", n)
	}
	ev := s.drainEvents()
	if len(ev) != 1 {
		t.Fatalf("events: %v", ev)
	}
	sent := ev[0].(MessageSent)
	if sent.Message.ID != m.ID || sent.Sender.Owner != alice || sent.Sender.Peer != bob ||
		sent.Recipient.Owner != bob || sent.Recipient.Unread != 1 || sent.Recipient.UnreadTotal != 1 ||
		sent.Sender.Unread != 0 || sent.Sender.UnreadTotal != -1 || sent.Recipient.ClearedThrough != 0 {
		t.Errorf("event = %+v", sent)
	}

	m2 := mustSend(t, s, bob, alice, "hi")
	if id, at, err := s.MessageBefore(ctx, bob.ID, alice.ID, m2.ID); err != nil || id != m.ID || at != m.CreatedAt {
		t.Errorf("MessageBefore = %d, %d, %v; want the first message", id, at, err)
	}
	if got := chatList(t, s, alice); got != "bob:hi:1" {
		t.Errorf("alice's list after reply: %q", got)
	}
	if m2.ID <= m.ID {
		t.Error("ids do not grow")
	}
	checkUnreadTotals(t, s)
}

func TestSendMessageIsIdempotentPerClientID(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	alice, bob := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob")
	mustBefriend(t, s, alice, bob)
	first, _, err := s.send(ctx, NewMessage{From: alice, To: bob, ClientID: "same", Body: "once"})
	if err != nil {
		t.Fatal(err)
	}
	s.drainEvents()
	again, dup, err := s.send(ctx, NewMessage{From: alice, To: bob, ClientID: "same", Body: "once"})
	if err != nil || !dup || again.ID != first.ID || again.CreatedAt != first.CreatedAt {
		t.Fatalf("resend = %+v dup %v err %v; want the first message", again, dup, err)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM messages`); n != 1 {
		t.Errorf("%d rows after a resend", n)
	}
	if got := chatList(t, s, bob); got != "alice:once:1" {
		t.Errorf("a resend changed the unread count: %q", got)
	}
	if ev := s.drainEvents(); len(ev) != 1 || ev[0] != (MessageDuplicate{Message: first}) {
		t.Errorf("a resend announced %v; want only the duplicate's answer", ev)
	}
	// The same client id from someone else is a different message.
	if _, dup, err := s.send(ctx, NewMessage{From: bob, To: alice, ClientID: "same", Body: "mine"}); err != nil || dup {
		t.Errorf("bob reusing alice's client id: dup %v, %v", dup, err)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM messages`); n != 2 {
		t.Errorf("%d rows, want 2", n)
	}
}

func TestSendMessageToANonFriendStoresNothing(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	alice, bob, carol := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob"), mustCreateUser(t, s, "carol")
	mustBefriend(t, s, alice, bob)
	mustSend(t, s, alice, bob, "before")
	if err := s.RemoveFriend(ctx, bob.ID, alice.ID); err != nil {
		t.Fatal(err)
	}
	s.drainEvents()
	for _, to := range []User{bob, carol} {
		if _, _, err := s.send(ctx, NewMessage{From: alice, To: to, ClientID: "x" + to.Username, Body: "hi"}); !errors.Is(err, ErrNotFriends) {
			t.Errorf("to %s: %v, want ErrNotFriends", to.Username, err)
		}
	}
	if n := count(t, s, `SELECT COUNT(*) FROM messages`); n != 1 {
		t.Errorf("%d messages stored", n)
	}
	for _, e := range s.drainEvents() {
		if r, ok := e.(MessageRefused); !ok || !errors.Is(r.Err, ErrNotFriends) {
			t.Errorf("a refused send announced %+v", e)
		}
	}
	// The history stays readable for both.
	for _, u := range [][2]User{{alice, bob}, {bob, alice}} {
		msgs, _, err := s.MessagesBefore(ctx, u[0].ID, u[1].ID, 0, 50)
		if err != nil || bodies(msgs) != "before" {
			t.Errorf("%s's history: %q %v", u[0].Username, bodies(msgs), err)
		}
	}
}

func TestHistoryPaging(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	alice, bob, carol := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob"), mustCreateUser(t, s, "carol")
	mustBefriend(t, s, alice, bob)
	mustBefriend(t, s, alice, carol)
	var ids []int64
	for i := 1; i <= 120; i++ {
		from, to := alice, bob
		if i%2 == 0 {
			from, to = bob, alice
		}
		ids = append(ids, mustSend(t, s, from, to, fmt.Sprint(i)).ID)
		mustSend(t, s, alice, carol, "noise") // another pair's messages interleave
	}
	page := func(msgs []Message, more bool, err error) string {
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) == 0 {
			return fmt.Sprintf("none more=%v", more)
		}
		for i := 1; i < len(msgs); i++ {
			if msgs[i].ID <= msgs[i-1].ID {
				t.Errorf("page not oldest first: %d then %d", msgs[i-1].ID, msgs[i].ID)
			}
		}
		return fmt.Sprintf("%s..%s n=%d more=%v", msgs[0].Body, msgs[len(msgs)-1].Body, len(msgs), more)
	}
	for _, c := range []struct {
		name string
		got  string
		want string
	}{
		{"newest", page(s.MessagesBefore(ctx, alice.ID, bob.ID, 0, 50)), "71..120 n=50 more=true"},
		{"older", page(s.MessagesBefore(ctx, bob.ID, alice.ID, ids[70], 50)), "21..70 n=50 more=true"},
		{"oldest", page(s.MessagesBefore(ctx, alice.ID, bob.ID, ids[20], 50)), "1..20 n=20 more=false"},
		{"exactly a page left", page(s.MessagesBefore(ctx, alice.ID, bob.ID, ids[50], 50)), "1..50 n=50 more=false"},
		{"before the first", page(s.MessagesBefore(ctx, alice.ID, bob.ID, ids[0], 50)), "none more=false"},
		{"after, from the start", page(s.MessagesAfter(ctx, alice.ID, bob.ID, 0, 50)), "1..50 n=50 more=true"},
		{"after, the tail", page(s.MessagesAfter(ctx, alice.ID, bob.ID, ids[99], 50)), "101..120 n=20 more=false"},
		{"after the last", page(s.MessagesAfter(ctx, alice.ID, bob.ID, ids[119], 50)), "none more=false"},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %s, want %s", c.name, c.got, c.want)
		}
	}
	if at, _ := s.MessageSentAt(ctx, alice.ID, bob.ID, ids[5]); at == 0 {
		t.Error("MessageSentAt of a visible message is 0")
	}

	// Paging seeks the pair's index; it never scans the table.
	var plan []string
	rows, err := s.read.Query(`EXPLAIN QUERY PLAN SELECT id FROM messages
		WHERE user_low = 1 AND user_high = 2 AND id < 100 AND id > 0 ORDER BY id DESC LIMIT 51`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var a, b, c int
		var detail string
		rows.Scan(&a, &b, &c, &detail)
		plan = append(plan, detail)
	}
	rows.Close()
	if p := strings.Join(plan, "; "); !strings.Contains(p, "messages_pair") || strings.Contains(p, "SCAN messages") {
		t.Errorf("history query plan: %s", p)
	}
}

// Many senders at once: their messages share transactions and statements,
// and each still gets exactly its own outcome.
func TestConcurrentSendsAreStoredTogetherCorrectly(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	const pairs, each = 12, 25
	var users []User
	for i := 0; i < 2*pairs; i++ {
		users = append(users, mustCreateUser(t, s, fmt.Sprint("u", i)))
	}
	for i := 0; i < pairs-2; i++ { // the last two pairs are strangers
		mustBefriend(t, s, users[2*i], users[2*i+1])
	}
	s.drainEvents()

	type result struct {
		from, seq int
		msg       Message
		dup       bool
		err       error
	}
	results := make(chan result, 4*len(users)*each)
	var wg sync.WaitGroup
	for u := range users {
		wg.Go(func() {
			for k := 0; k < each; k++ {
				in := NewMessage{From: users[u], To: users[u^1], ClientID: fmt.Sprintf("c%d-%d", u, k), Body: fmt.Sprint(u, "/", k)}
				m, dup, err := s.send(ctx, in)
				results <- result{u, k, m, dup, err}
				if k%5 == 0 { // a resend, as after a reconnect
					m2, dup2, err2 := s.send(ctx, in)
					if err == nil && (err2 != nil || !dup2 || m2.ID != m.ID) {
						t.Errorf("resend of %d/%d: %+v dup %v err %v; first was %d", u, k, m2, dup2, err2, m.ID)
					}
				}
			}
		})
	}
	wg.Wait()
	close(results)
	for r := range results {
		stranger := r.from >= 2*(pairs-2)
		switch {
		case stranger && !errors.Is(r.err, ErrNotFriends):
			t.Errorf("%d/%d between strangers: %v", r.from, r.seq, r.err)
		case !stranger && (r.err != nil || r.dup || r.msg.ID == 0 || r.msg.Body != fmt.Sprint(r.from, "/", r.seq)):
			t.Errorf("%d/%d: %+v dup %v err %v", r.from, r.seq, r.msg, r.dup, r.err)
		}
	}
	if n := count(t, s, `SELECT COUNT(*) FROM messages`); n != 2*(pairs-2)*each {
		t.Errorf("%d messages stored, want %d", n, 2*(pairs-2)*each)
	}
	last := int64(0)
	unreadSeen := map[int64]int{}
	for _, e := range s.drainEvents() {
		m, ok := e.(MessageSent)
		if !ok {
			continue // the answers to resends and to strangers
		}
		if m.Message.ID <= last {
			t.Fatalf("events out of id order: %d after %d", m.Message.ID, last)
		}
		last = m.Message.ID
		if m.Sender.Owner.ID != m.Message.SenderID || m.Recipient.Owner.ID != m.Message.RecipientID {
			t.Errorf("event sides do not match message %+v", m.Message)
		}
		// Unread counts of a box only grow, one message at a time.
		if m.Recipient.Unread <= unreadSeen[m.Message.RecipientID] {
			t.Errorf("recipient %d's unread went from %d to %d", m.Message.RecipientID, unreadSeen[m.Message.RecipientID], m.Recipient.Unread)
		}
		unreadSeen[m.Message.RecipientID] = m.Recipient.Unread
	}
	for u, n := range unreadSeen {
		if n != each {
			t.Errorf("user %d ends with %d unread, want %d", u, n, each)
		}
	}
	checkUnreadTotals(t, s)
}

// Messages queued one after another from one goroutine are stored in that
// order, and each outcome comes back with the origin it was queued with.
func TestQueuedMessagesKeepOrderAndReportEachOutcome(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	alice, bob, carol := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob"), mustCreateUser(t, s, "carol")
	mustBefriend(t, s, alice, bob)
	s.drainEvents()
	queue := func(to User, clientID, body string, origin int64) {
		t.Helper()
		if err := s.QueueMessage(ctx, NewMessage{From: alice, To: to, ClientID: clientID, Body: body, Origin: origin}); err != nil {
			t.Fatal(err)
		}
	}
	queue(bob, "later-1", "one", 1)
	queue(carol, "later-2", "to a stranger", 2)
	queue(bob, "later-3", "three", 3)
	queue(bob, "later-1", "one again", 4)
	var got []Event
	for len(got) < 4 {
		got = append(got, <-s.events...)
	}
	first, ok := got[0].(MessageSent)
	if !ok || first.Message.Body != "one" || first.Origin != 1 || first.Message.ID == 0 {
		t.Errorf("first: %+v", got[0])
	}
	if r, ok := got[1].(MessageRefused); !ok || !errors.Is(r.Err, ErrNotFriends) || r.ClientID != "later-2" || r.Origin != 2 {
		t.Errorf("second: %+v", got[1])
	}
	if m, ok := got[2].(MessageSent); !ok || m.Message.Body != "three" || m.Origin != 3 || m.Message.ID <= first.Message.ID {
		t.Errorf("third: %+v (after %d)", got[2], first.Message.ID)
	}
	if d, ok := got[3].(MessageDuplicate); !ok || d.Message.ID != first.Message.ID || d.Message.Body != "one" || d.Origin != 4 ||
		d.Message.RecipientID != bob.ID {
		t.Errorf("resend: %+v", got[3])
	}
}
