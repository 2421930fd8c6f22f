package db

import (
	"context"
	"errors"
	"testing"
)

func TestUnreadRules(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	alice, bob, carol := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob"), mustCreateUser(t, s, "carol")
	mustBefriend(t, s, alice, bob)
	mustBefriend(t, s, carol, bob)

	mustSend(t, s, alice, bob, "1")
	mustSend(t, s, alice, bob, "2")
	mustSend(t, s, carol, bob, "3")
	if got := chatList(t, s, bob); got != "carol:3:1 alice:2:2" {
		t.Errorf("bob's list = %q", got)
	}
	// Bob has the chat with Alice open: her message is not unread.
	if _, _, err := s.send(ctx, NewMessage{From: alice, To: bob, ClientID: "v", Body: "seen", RecipientViewing: true}); err != nil {
		t.Fatal(err)
	}
	if got := chatList(t, s, bob); got != "alice:seen:2 carol:3:1" {
		t.Errorf("bob's list after a message he watched arrive = %q", got)
	}
	s.drainEvents()

	if err := s.MarkRead(ctx, bob.ID, alice.ID); err != nil {
		t.Fatal(err)
	}
	if got := chatList(t, s, bob); got != "alice:seen:0 carol:3:1" {
		t.Errorf("after reading alice's chat: %q", got)
	}
	// Reading tells Alice's pages too: Bob has received and read her
	// messages up to the newest.
	ev := s.drainEvents()
	last := int64(count(t, s, `SELECT last_message_id FROM chat_boxes WHERE owner_id = ? AND peer_id = ?`, bob.ID, alice.ID))
	if len(ev) != 2 || withoutSeq(ev[0]) != (ChatChanged{Owner: bob.ID, Peer: alice.ID, UnreadTotal: 1}) ||
		withoutSeq(ev[1]) != (Receipt{Reader: bob.ID, Sender: alice.ID, DeliveredThrough: last, ReadThrough: last}) {
		t.Errorf("events = %v", ev)
	}
	if err := s.MarkRead(ctx, bob.ID, alice.ID); err != nil {
		t.Fatal(err)
	}
	if ev := s.drainEvents(); len(ev) != 0 {
		t.Errorf("reading a read chat announced %v", ev)
	}
	checkUnreadTotals(t, s)
}

func TestDeleteChatBoxIsPerPersonAndComesBack(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	alice, bob := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob")
	mustBefriend(t, s, alice, bob)
	mustSend(t, s, alice, bob, "a1")
	b1 := mustSend(t, s, bob, alice, "b1")
	s.drainEvents()

	if err := s.DeleteChat(ctx, alice.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	if ev := s.drainEvents(); len(ev) != 1 || withoutSeq(ev[0]) != (ChatChanged{Owner: alice.ID, Peer: bob.ID, Deleted: true}) {
		t.Errorf("events = %v", ev)
	}
	if got := chatList(t, s, alice); got != "" {
		t.Errorf("alice's list after deleting: %q", got)
	}
	if msgs, _, _ := s.MessagesBefore(ctx, alice.ID, bob.ID, 0, 50); len(msgs) != 0 {
		t.Errorf("alice still sees %q", bodies(msgs))
	}
	if n, _ := s.UnreadTotal(ctx, alice.ID); n != 0 {
		t.Errorf("alice's unread total = %d after deleting the chat it was in", n)
	}
	// Bob's side is untouched.
	if got := chatList(t, s, bob); got != "alice:b1:1" {
		t.Errorf("bob's list: %q", got)
	}
	if msgs, _, _ := s.MessagesBefore(ctx, bob.ID, alice.ID, 0, 50); bodies(msgs) != "a1,b1" {
		t.Errorf("bob sees %q", bodies(msgs))
	}
	if n := count(t, s, `SELECT COUNT(*) FROM messages`); n != 2 {
		t.Errorf("one side deleting removed messages: %d left", n)
	}
	if err := s.DeleteChat(ctx, alice.ID, bob.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleting a deleted chat: %v", err)
	}

	// A new message brings Alice's box back with only what came after.
	mustSend(t, s, bob, alice, "b2")
	var back MessageSent
	for _, e := range s.drainEvents() {
		if m, ok := e.(MessageSent); ok {
			back = m
		}
	}
	if back.Recipient.ClearedThrough != b1.ID || back.Sender.ClearedThrough != 0 {
		t.Errorf("history starts after %d for alice and %d for bob; want %d and 0", back.Recipient.ClearedThrough, back.Sender.ClearedThrough, b1.ID)
	}
	if got := chatList(t, s, alice); got != "bob:b2:1" {
		t.Errorf("alice's list after a new message: %q", got)
	}
	if msgs, _, _ := s.MessagesBefore(ctx, alice.ID, bob.ID, 0, 50); bodies(msgs) != "b2" {
		t.Errorf("alice sees %q, want only b2", bodies(msgs))
	}
	if msgs, _, _ := s.MessagesBefore(ctx, bob.ID, alice.ID, 0, 50); bodies(msgs) != "a1,b1,b2" {
		t.Errorf("bob sees %q", bodies(msgs))
	}
	checkUnreadTotals(t, s)
}

func TestMessagesGoneOnceBothDeleted(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	alice, bob, carol := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob"), mustCreateUser(t, s, "carol")
	mustBefriend(t, s, alice, bob)
	mustBefriend(t, s, alice, carol)
	mustSend(t, s, alice, bob, "old1")
	mustSend(t, s, bob, alice, "old2")
	mustSend(t, s, alice, carol, "other pair")
	if err := s.DeleteChat(ctx, alice.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	mustSend(t, s, bob, alice, "between") // after Alice's deletion, before Bob's
	if err := s.DeleteChat(ctx, bob.ID, alice.ID); err != nil {
		t.Fatal(err)
	}
	// Both deleted old1 and old2: they are gone from the database. "between"
	// is still in Alice's box (she has not deleted it again).
	if n := count(t, s, `SELECT COUNT(*) FROM messages WHERE body IN ('old1', 'old2')`); n != 0 {
		t.Errorf("%d messages both people deleted are still stored", n)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM messages WHERE body IN ('between', 'other pair')`); n != 2 {
		t.Errorf("purge removed messages someone can still see: %d of 2 left", n)
	}
	if msgs, _, _ := s.MessagesBefore(ctx, alice.ID, bob.ID, 0, 50); bodies(msgs) != "between" {
		t.Errorf("alice sees %q", bodies(msgs))
	}
	if err := s.DeleteChat(ctx, alice.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM messages WHERE user_low = ? AND user_high = ?`, min(alice.ID, bob.ID), max(alice.ID, bob.ID)); n != 0 {
		t.Errorf("%d messages left after both deleted everything", n)
	}
	checkUnreadTotals(t, s)
}

// A muted chat still counts unread; the owner's side of each message says
// it is muted, so it does not alert them.
func TestMuteIsPerPersonAndCountsUnread(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	alice, bob := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob")
	mustBefriend(t, s, alice, bob)
	if err := s.SetMuted(ctx, alice.ID, bob.ID, true); !errors.Is(err, ErrNotFound) {
		t.Errorf("muting a chat that does not exist yet: %v", err)
	}
	mustSend(t, s, bob, alice, "first")
	s.drainEvents()
	if err := s.SetMuted(ctx, alice.ID, bob.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetMuted(ctx, alice.ID, bob.ID, true); err != nil { // again: no change
		t.Fatal(err)
	}
	ev := s.drainEvents()
	if len(ev) != 1 || ev[0].(ChatMuted).Muted != true || ev[0].(ChatMuted).Owner != alice.ID || ev[0].(ChatMuted).Seq == 0 {
		t.Errorf("events %+v, want one ChatMuted", ev)
	}
	mustSend(t, s, bob, alice, "second")
	for _, e := range s.drainEvents() {
		if m, ok := e.(MessageSent); ok && (!m.Recipient.Muted || m.Sender.Muted) {
			t.Errorf("alice's side muted %v, bob's %v; want true, false", m.Recipient.Muted, m.Sender.Muted)
		}
	}
	if info, _ := s.Chat(ctx, alice.ID, bob.ID); !info.Muted || info.Unread != 2 {
		t.Errorf("alice's chat: %+v, want muted with 2 unread", info)
	}
	if info, _ := s.Chat(ctx, bob.ID, alice.ID); info.Muted {
		t.Error("muting is not per person")
	}
	if err := s.SetMuted(ctx, alice.ID, bob.ID, false); err != nil {
		t.Fatal(err)
	}
	if info, _ := s.Chat(ctx, alice.ID, bob.ID); info.Muted {
		t.Error("still muted after unmuting")
	}
}
