package db

import (
	"context"
	"errors"
	"testing"
	"time"
)

// history is my copy of the conversation with peer, as bodies.
func history(tb testing.TB, s *testStore, me, peer User) string {
	tb.Helper()
	msgs, _, err := s.MessagesBefore(context.Background(), me.ID, peer.ID, 0, 100)
	if err != nil {
		tb.Fatal(err)
	}
	return bodies(msgs)
}

// age makes message id look as if it was sent d ago.
func age(tb testing.TB, s *testStore, id int64, d time.Duration) {
	tb.Helper()
	err := s.w.do(context.Background(), func(tx *Tx) error {
		_, err := tx.Exec(`UPDATE messages SET created_at = ? WHERE id = ?`, now()-d.Milliseconds(), id)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// messageChanges are the kinds and message ids of the kept changes of
// my conversation with peer after seq that I see.
func messageChanges(tb testing.TB, s *testStore, me, peer User, after int64) []Change {
	tb.Helper()
	cs, err := s.ChangesAfter(context.Background(), me.ID, peer.ID, after)
	if err != nil {
		tb.Fatal(err)
	}
	for i := range cs {
		cs[i].Seq = 0
	}
	return cs
}

func TestEditMessageRules(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	alice, bob, carol := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob"), mustCreateUser(t, s, "carol")
	mustBefriend(t, s, alice, bob)
	mustBefriend(t, s, alice, carol)
	mine := mustSend(t, s, alice, bob, "helo")
	theirs := mustSend(t, s, bob, alice, "hi")
	other := mustSend(t, s, alice, carol, "for carol")
	s.drainEvents()

	if err := s.EditMessage(ctx, alice.ID, bob.ID, mine.ID, "hello"); err != nil {
		t.Fatal(err)
	}
	got, err := s.MessageByID(ctx, bob.ID, alice.ID, mine.ID)
	if err != nil || got.Body != "hello" || got.EditedAt == 0 {
		t.Errorf("after the edit bob reads %+v, %v", got, err)
	}
	ev := s.drainEvents()
	if len(ev) != 1 || withoutSeq(ev[0]) != (MessageChanged{ID: mine.ID, A: alice.ID, B: bob.ID, Kind: ChangeMessageEdited}) {
		t.Errorf("events %v", ev)
	}
	for _, u := range []User{alice, bob} {
		peer := bob
		if u == bob {
			peer = alice
		}
		if cs := messageChanges(t, s, u, peer, theirs.ID); len(cs) != 1 || cs[0] != (Change{Kind: ChangeMessageEdited, MessageID: mine.ID}) {
			t.Errorf("%s catches up with %v", u.Username, cs)
		}
	}
	// The same text again changes nothing.
	if err := s.EditMessage(ctx, alice.ID, bob.ID, mine.ID, "hello"); err != nil || len(s.drainEvents()) != 0 {
		t.Errorf("editing to the same text: %v", err)
	}

	age(t, s, mine.ID, EditWindow+time.Second)
	for _, tc := range []struct {
		name     string
		me, peer User
		id       int64
		want     error
	}{
		{"someone else's", alice, bob, theirs.ID, ErrNotYours},
		{"too late", alice, bob, mine.ID, ErrTooLate},
		{"of another conversation", alice, bob, other.ID, ErrNotFound},
		{"no such message", alice, bob, other.ID + 100, ErrNotFound},
		{"not in my conversation at all", bob, carol, other.ID, ErrNotFound},
	} {
		if err := s.EditMessage(ctx, tc.me.ID, tc.peer.ID, tc.id, "changed"); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	if err := s.RemoveFriend(ctx, alice.ID, carol.ID); err != nil {
		t.Fatal(err)
	}
	s.drainEvents()
	if err := s.EditMessage(ctx, alice.ID, carol.ID, other.ID, "changed"); !errors.Is(err, ErrNotFriends) {
		t.Errorf("editing after the friendship ended: %v", err)
	}
	if h := history(t, s, bob, alice) + "|" + history(t, s, carol, alice); h != "hello,hi|for carol" {
		t.Errorf("refused edits changed the histories: %s", h)
	}
	if ev := s.drainEvents(); len(ev) != 0 {
		t.Errorf("refused edits announced %v", ev)
	}
}

func TestDeleteForEveryoneRemovesTheTextQuoteAndReactions(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	alice, bob := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob")
	mustBefriend(t, s, alice, bob)
	first := mustSend(t, s, bob, alice, "first")
	reply, _, err := s.send(ctx, NewMessage{From: alice, To: bob, ClientID: "reply-1", Body: "secret answer", ReplyTo: first.ID})
	if err != nil || reply.ReplyTo != first.ID {
		t.Fatalf("reply: %+v, %v", reply, err)
	}
	answer, _, err := s.send(ctx, NewMessage{From: bob, To: alice, ClientID: "reply-2", Body: "quoting it", ReplyTo: reply.ID})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.React(ctx, bob.ID, alice.ID, reply.ID, "😮"); err != nil {
		t.Fatal(err)
	}
	s.drainEvents()

	if err := s.DeleteForEveryone(ctx, bob.ID, alice.ID, reply.ID); !errors.Is(err, ErrNotYours) {
		t.Errorf("bob deleting alice's message: %v", err)
	}
	if err := s.DeleteForEveryone(ctx, alice.ID, bob.ID, reply.ID); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM messages WHERE body LIKE '%secret%'`); n != 0 {
		t.Error("the text is still in the database")
	}
	if n := count(t, s, `SELECT COUNT(*) FROM messages WHERE id = ? AND reply_to IS NULL AND deleted = 1 AND edited_at IS NULL`, reply.ID); n != 1 {
		t.Error("the deleted message keeps its quote or is not marked deleted")
	}
	if n := count(t, s, `SELECT COUNT(*) FROM reactions WHERE message_id = ?`, reply.ID); n != 0 {
		t.Error("its reactions are still in the database")
	}
	for _, u := range []User{alice, bob} {
		peer := map[User]User{alice: bob, bob: alice}[u]
		msgs, _, err := s.MessagesBefore(ctx, u.ID, peer.ID, 0, 10)
		if err != nil || len(msgs) != 3 || !msgs[1].Deleted || msgs[1].Body != "" {
			t.Fatalf("%s's history: %+v, %v", u.Username, msgs, err)
		}
		d, err := s.Details(ctx, u.ID, peer.ID, msgs)
		if err != nil {
			t.Fatal(err)
		}
		if q := d.Quotes[reply.ID]; !q.Gone || q.Body != "" {
			t.Errorf("%s: the reply to it quotes %+v", u.Username, q)
		}
		if len(d.Reactions[reply.ID]) != 0 {
			t.Errorf("%s: reactions left %v", u.Username, d.Reactions[reply.ID])
		}
	}
	if list := chatList(t, s, bob); list != "alice:quoting it:1" {
		t.Errorf("bob's list: %s", list)
	}
	// Deleted is deleted: not again, not edited, not reacted to.
	if err := s.DeleteForEveryone(ctx, alice.ID, bob.ID, reply.ID); !errors.Is(err, ErrDeleted) {
		t.Errorf("deleting twice: %v", err)
	}
	if err := s.React(ctx, bob.ID, alice.ID, reply.ID, "👍"); !errors.Is(err, ErrDeleted) {
		t.Errorf("reacting to a deleted message: %v", err)
	}
	age(t, s, answer.ID, DeleteWindow+time.Second)
	if err := s.DeleteForEveryone(ctx, bob.ID, alice.ID, answer.ID); !errors.Is(err, ErrTooLate) {
		t.Errorf("deleting after an hour: %v", err)
	}
}

func TestDeleteForMeIsMineOnlyUntilBothHaveIt(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	alice, bob := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob")
	mustBefriend(t, s, alice, bob)
	one := mustSend(t, s, alice, bob, "one")
	two := mustSend(t, s, bob, alice, "two")
	if err := s.React(ctx, alice.ID, bob.ID, two.ID, "❤️"); err != nil {
		t.Fatal(err)
	}
	s.drainEvents()

	if err := s.HideMessage(ctx, alice.ID, bob.ID, two.ID); err != nil {
		t.Fatal(err)
	}
	if h := history(t, s, alice, bob) + "|" + history(t, s, bob, alice); h != "one|one,two" {
		t.Errorf("after alice deleted two for herself: %s", h)
	}
	if list := chatList(t, s, alice); list != "bob:one:1" {
		t.Errorf("alice's list previews %s", list)
	}
	ev := s.drainEvents()
	if len(ev) != 1 || withoutSeq(ev[0]) != (MessageHidden{ID: two.ID, Owner: alice.ID, Peer: bob.ID}) {
		t.Errorf("events %v", ev)
	}
	if cs := messageChanges(t, s, bob, alice, two.ID); len(cs) != 1 || cs[0].Kind != ChangeReaction {
		t.Errorf("bob sees alice's own deletion among the changes: %v", cs)
	}
	if _, err := s.MessageByID(ctx, alice.ID, bob.ID, two.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("alice can still read it: %v", err)
	}
	if err := s.HideMessage(ctx, alice.ID, bob.ID, two.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleting it again: %v", err)
	}
	// Bob deletes it too: nobody holds it, so it is gone, reactions too.
	if err := s.HideMessage(ctx, bob.ID, alice.ID, two.ID); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM messages WHERE id = ?`, two.ID) + count(t, s, `SELECT COUNT(*) FROM reactions`) +
		count(t, s, `SELECT COUNT(*) FROM hidden_messages`); n != 0 {
		t.Errorf("%d rows of a message nobody holds are left", n)
	}
	// After Bob deleted the chat, Alice deleting "one" for herself leaves
	// nobody holding it either.
	if err := s.DeleteChat(ctx, bob.ID, alice.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.HideMessage(ctx, alice.ID, bob.ID, one.ID); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM messages`); n != 0 {
		t.Errorf("%d messages left that nobody holds", n)
	}
	if list := chatList(t, s, alice); list != "bob::1" {
		t.Errorf("alice's list with nothing left to preview: %s", list)
	}
}

func TestReactionsAreOnePerPersonAndToggle(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	alice, bob, carol := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob"), mustCreateUser(t, s, "carol")
	mustBefriend(t, s, alice, bob)
	mustBefriend(t, s, alice, carol)
	m := mustSend(t, s, alice, bob, "lunch?")
	other := mustSend(t, s, alice, carol, "not bob's")
	s.drainEvents()

	reactions := func() string {
		t.Helper()
		msgs, _, err := s.MessagesBefore(ctx, bob.ID, alice.ID, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		d, err := s.Details(ctx, bob.ID, alice.ID, msgs)
		if err != nil {
			t.Fatal(err)
		}
		out := ""
		for _, x := range d.Reactions[m.ID] {
			out += map[int64]string{alice.ID: "a", bob.ID: "b"}[x.UserID] + x.Emoji
		}
		return out
	}
	steps := []struct {
		who   User
		emoji string
		want  string
	}{
		{bob, "👍", "b👍"},
		{alice, "😂", "a😂b👍"},
		{bob, "❤️", "a😂b❤️"}, // another emoji replaces his
		{bob, "❤️", "a😂"},    // the same again removes it
	}
	for _, st := range steps {
		peer := map[User]User{alice: bob, bob: alice}[st.who]
		if err := s.React(ctx, st.who.ID, peer.ID, m.ID, st.emoji); err != nil {
			t.Fatal(err)
		}
		if got := reactions(); got != st.want {
			t.Errorf("after %s reacted %s: %q, want %q", st.who.Username, st.emoji, got, st.want)
		}
	}
	if n := len(s.drainEvents()); n != len(steps) {
		t.Errorf("%d events for %d reactions", n, len(steps))
	}
	for _, tc := range []struct {
		name  string
		id    int64
		emoji string
		want  error
	}{
		{"outside the six", m.ID, "💩", ErrNotReaction},
		{"empty", m.ID, "", ErrNotReaction},
		{"a message of another conversation", other.ID, "👍", ErrNotFound},
	} {
		if err := s.React(ctx, bob.ID, alice.ID, tc.id, tc.emoji); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	if got := reactions(); got != "a😂" || count(t, s, `SELECT COUNT(*) FROM reactions`) != 1 {
		t.Errorf("refused reactions changed something: %q", got)
	}
}

func TestReceipts(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	alice, bob := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob")
	mustBefriend(t, s, alice, bob)
	receipts := func() Receipts {
		t.Helper()
		rc, err := s.ReceiptsOf(ctx, bob.ID, alice.ID)
		if err != nil {
			t.Fatal(err)
		}
		return rc
	}

	m1 := mustSend(t, s, alice, bob, "one")
	if rc := receipts(); rc != (Receipts{}) {
		t.Errorf("stored only: %+v", rc)
	}
	// A frame reached one of Bob's tabs.
	s.drainEvents()
	if err := s.MarkDelivered(ctx, []Delivery{{Owner: bob.ID, Peer: alice.ID, Through: m1.ID}}, nil); err != nil {
		t.Fatal(err)
	}
	if rc := receipts(); rc != (Receipts{DeliveredThrough: m1.ID}) {
		t.Errorf("delivered: %+v", rc)
	}
	ev := s.drainEvents()
	if len(ev) != 1 || withoutSeq(ev[0]) != (Receipt{Reader: bob.ID, Sender: alice.ID, DeliveredThrough: m1.ID}) {
		t.Errorf("events %v", ev)
	}
	// Marks only move forward, and say nothing when they do not.
	if err := s.MarkDelivered(ctx, []Delivery{{Owner: bob.ID, Peer: alice.ID, Through: m1.ID - 1}}, nil); err != nil {
		t.Fatal(err)
	}
	if ev := s.drainEvents(); len(ev) != 0 || receipts().DeliveredThrough != m1.ID {
		t.Errorf("an older delivery moved the mark back or announced %v", ev)
	}
	// Bob sees the chat when m2 comes: received and read at once.
	m2, _, err := s.send(ctx, NewMessage{From: alice, To: bob, ClientID: "seen-1", Body: "two", RecipientViewing: true})
	if err != nil {
		t.Fatal(err)
	}
	if rc := receipts(); rc != (Receipts{DeliveredThrough: m2.ID, ReadThrough: m2.ID}) {
		t.Errorf("read as it came: %+v", rc)
	}
	// Unread m3, then Bob opens the chat.
	m3 := mustSend(t, s, alice, bob, "three")
	// Bob and Alice open a page: it shows the newest of every chat, so
	// all of it is delivered, once.
	s.drainEvents()
	for range 2 {
		if err := s.MarkDelivered(ctx, nil, []int64{bob.ID, alice.ID}); err != nil {
			t.Fatal(err)
		}
	}
	if rc := receipts(); rc != (Receipts{DeliveredThrough: m3.ID, ReadThrough: m2.ID}) {
		t.Errorf("after a page opened: %+v", rc)
	}
	// Alice's box moves too: her page shows her own newest message.
	ev = s.drainEvents()
	if len(ev) != 2 || withoutSeq(ev[0]) != (Receipt{Reader: bob.ID, Sender: alice.ID, DeliveredThrough: m3.ID, ReadThrough: m2.ID}) ||
		withoutSeq(ev[1]) != (Receipt{Reader: alice.ID, Sender: bob.ID, DeliveredThrough: m3.ID}) {
		t.Errorf("events after pages opened: %v", ev)
	}
	if err := s.MarkRead(ctx, bob.ID, alice.ID); err != nil {
		t.Fatal(err)
	}
	if rc := receipts(); rc != (Receipts{DeliveredThrough: m3.ID, ReadThrough: m3.ID}) {
		t.Errorf("after opening the chat: %+v", rc)
	}
	// Either one turning read receipts off hides Read from Alice.
	for _, who := range []User{bob, alice} {
		if err := s.SetReadReceipts(ctx, who.ID, false); err != nil {
			t.Fatal(err)
		}
		if rc := receipts(); rc != (Receipts{DeliveredThrough: m3.ID}) {
			t.Errorf("%s turned read receipts off: %+v", who.Username, rc)
		}
		if err := s.SetReadReceipts(ctx, who.ID, true); err != nil {
			t.Fatal(err)
		}
	}
	s.drainEvents()
	if err := s.SetReadReceipts(ctx, bob.ID, true); err != nil || len(s.drainEvents()) != 0 {
		t.Errorf("setting what was set announced something: %v", err)
	}
}

// Every kind of change takes the next number in one sequence, in commit
// order, and each person catches up with exactly the changes they see.
func TestChangesOfEveryKindAreNumberedInOrder(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	alice, bob := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob")
	mustBefriend(t, s, alice, bob)
	m := mustSend(t, s, alice, bob, "hello")
	s.drainEvents()
	do := []func() error{
		func() error { return s.EditMessage(ctx, alice.ID, bob.ID, m.ID, "hello!") },
		func() error { return s.React(ctx, bob.ID, alice.ID, m.ID, "👍") },
		func() error { return s.MarkRead(ctx, bob.ID, alice.ID) },
		func() error { return s.HideMessage(ctx, bob.ID, alice.ID, m.ID) },
		func() error { return s.DeleteForEveryone(ctx, alice.ID, bob.ID, m.ID) },
	}
	for i, f := range do {
		if err := f(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	var seqs []int64
	for _, e := range s.drainEvents() {
		switch e := e.(type) {
		case MessageChanged:
			seqs = append(seqs, e.Seq)
		case MessageHidden:
			seqs = append(seqs, e.Seq)
		case ChatChanged:
			seqs = append(seqs, e.Seq)
		}
	}
	if len(seqs) != len(do) {
		t.Fatalf("%d numbered events for %d changes", len(seqs), len(do))
	}
	for i := 1; i < len(seqs); i++ {
		if seqs[i] <= seqs[i-1] {
			t.Errorf("changes numbered %v", seqs)
		}
	}
	if seqs[0] <= m.ID {
		t.Errorf("the first change after message %d is numbered %d", m.ID, seqs[0])
	}
	want := map[User][]Change{
		alice: {{Kind: ChangeMessageEdited, MessageID: m.ID}, {Kind: ChangeReaction, MessageID: m.ID}, {Kind: ChangeMessageDeleted, MessageID: m.ID}},
		bob:   {{Kind: ChangeMessageEdited, MessageID: m.ID}, {Kind: ChangeReaction, MessageID: m.ID}, {Kind: ChangeMessageHidden, MessageID: m.ID}, {Kind: ChangeMessageDeleted, MessageID: m.ID}},
	}
	for u, w := range want {
		peer := map[User]User{alice: bob, bob: alice}[u]
		got := messageChanges(t, s, u, peer, m.ID)
		if len(got) != len(w) {
			t.Errorf("%s: %v, want %v", u.Username, got, w)
			continue
		}
		for i := range w {
			if got[i] != w[i] {
				t.Errorf("%s: %v, want %v", u.Username, got, w)
				break
			}
		}
	}
}
