package db

import (
	"context"
	"errors"
	"testing"
)

func TestABlockStopsMessagesRequestsAndPresenceBothWays(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	alice, bob, carol := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob"), mustCreateUser(t, s, "carol")
	mustBefriend(t, s, alice, bob)
	before := mustSend(t, s, alice, bob, "before the block")
	s.drainEvents()

	if err := s.Block(ctx, bob.ID, alice.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Block(ctx, bob.ID, alice.ID); err != nil {
		t.Fatalf("blocking again: %v", err)
	}
	if ev := s.drainEvents(); len(ev) != 1 || ev[0] != (FriendsChanged{A: bob.ID, B: alice.ID, What: FriendBlocked}) {
		t.Errorf("events %v", ev)
	}
	// Messages, either way, and what else adds to the conversation.
	if _, _, err := s.send(ctx, NewMessage{From: alice, To: bob, ClientID: "from-blocked", Body: "hello?"}); !errors.Is(err, ErrBlocked) {
		t.Errorf("alice's message: %v", err)
	}
	if _, err := s.SendMessage(ctx, NewMessage{From: bob, To: alice, ClientID: "from-blocker", Body: "hi"}); !errors.Is(err, ErrYouBlocked) {
		t.Errorf("bob's message: %v", err)
	}
	if err := s.React(ctx, alice.ID, bob.ID, before.ID, "👍"); !errors.Is(err, ErrBlocked) {
		t.Errorf("alice's reaction: %v", err)
	}
	// History stays, for both.
	for _, who := range []User{alice, bob} {
		if h := history(t, s, who, User{ID: alice.ID + bob.ID - who.ID}); h != "before the block" {
			t.Errorf("%s's history: %q", who.Username, h)
		}
	}
	// Who blocked whom, as each sees the other.
	if p, _ := s.PersonByUsername(ctx, bob.ID, "alice"); !p.Blocked || p.BlockedViewer || p.Relation != RelationFriend {
		t.Errorf("bob sees alice as %+v", p)
	}
	if p, _ := s.PersonByUsername(ctx, alice.ID, "bob"); p.Blocked || !p.BlockedViewer {
		t.Errorf("alice sees bob as %+v", p)
	}
	if b, _ := s.Blocks(ctx, alice.ID); !b.OfMe[bob.ID] || len(b.ByMe) != 0 || !b.Hidden(bob.ID) || b.Hidden(carol.ID) {
		t.Errorf("alice's blocks %+v", b)
	}
	if b, _ := s.Blocks(ctx, bob.ID); !b.ByMe[alice.ID] || len(b.OfMe) != 0 {
		t.Errorf("bob's blocks %+v", b)
	}

	// A stranger blocked cannot ask to be friends, nor be asked.
	if err := s.Block(ctx, bob.ID, carol.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SendFriendRequest(ctx, carol.ID, bob.ID); !errors.Is(err, ErrBlocked) {
		t.Errorf("carol's request: %v", err)
	}
	if _, err := s.SendFriendRequest(ctx, bob.ID, carol.ID); !errors.Is(err, ErrYouBlocked) {
		t.Errorf("bob's request: %v", err)
	}
	if err := s.Block(ctx, bob.ID, bob.ID); !errors.Is(err, ErrSelf) {
		t.Errorf("blocking oneself: %v", err)
	}

	// Unblocked: writing works again; what was refused stays refused.
	s.drainEvents()
	if err := s.Unblock(ctx, bob.ID, alice.ID); err != nil {
		t.Fatal(err)
	}
	if ev := s.drainEvents(); len(ev) != 1 || ev[0] != (FriendsChanged{A: bob.ID, B: alice.ID, What: FriendUnblocked}) {
		t.Errorf("events %v", ev)
	}
	mustSend(t, s, alice, bob, "after")
	if h := history(t, s, bob, alice); h != "before the block,after" {
		t.Errorf("bob's history after unblocking: %q", h)
	}
}
