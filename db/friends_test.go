package db

import (
	"context"
	"errors"
	"testing"
)

// areFriends asks the store how a stands to b, as the pages do; it also
// checks that b sees the same.
func areFriends(tb testing.TB, s *testStore, a, b User) (bool, error) {
	tb.Helper()
	ctx := context.Background()
	ab, err := s.PersonByUsername(ctx, a.ID, b.Username)
	if err != nil {
		tb.Fatal(err)
	}
	ba, err := s.PersonByUsername(ctx, b.ID, a.Username)
	if err != nil {
		tb.Fatal(err)
	}
	if (ab.Relation == RelationFriend) != (ba.Relation == RelationFriend) {
		tb.Errorf("%s and %s disagree on being friends", a.Username, b.Username)
	}
	return ab.Relation == RelationFriend, nil
}

func TestFriendRequestLifecycle(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	alice, bob, carol := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob"), mustCreateUser(t, s, "carol")
	s.drainEvents()

	out, err := s.SendFriendRequest(ctx, alice.ID, bob.ID)
	if err != nil || out != RequestSent {
		t.Fatalf("request: %v, %v", out, err)
	}
	if got := s.drainEvents(); len(got) != 1 || got[0] != (FriendsChanged{A: alice.ID, B: bob.ID}) {
		t.Errorf("events = %v", got)
	}
	in, outgoing, err := s.FriendRequests(ctx, bob.ID)
	if err != nil || len(in) != 1 || len(outgoing) != 0 || in[0].Other != alice {
		t.Fatalf("bob's requests: in %v out %v err %v", in, outgoing, err)
	}
	_, aliceOut, _ := s.FriendRequests(ctx, alice.ID)
	if len(aliceOut) != 1 || aliceOut[0].Other != bob || aliceOut[0].ID != in[0].ID {
		t.Fatalf("alice's outgoing: %v", aliceOut)
	}
	if n, _ := s.IncomingRequestCount(ctx, bob.ID); n != 1 {
		t.Errorf("bob's count = %d", n)
	}

	// Carol cannot answer or cancel a request that is not hers.
	if _, err := s.AnswerFriendRequest(ctx, carol.ID, in[0].ID, true); !errors.Is(err, ErrNotFound) {
		t.Errorf("carol accepting alice->bob: %v, want ErrNotFound", err)
	}
	if _, err := s.CancelFriendRequest(ctx, carol.ID, in[0].ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("carol cancelling alice->bob: %v, want ErrNotFound", err)
	}
	// Nor can Alice accept her own request.
	if _, err := s.AnswerFriendRequest(ctx, alice.ID, in[0].ID, true); !errors.Is(err, ErrNotFound) {
		t.Errorf("alice accepting her own request: %v, want ErrNotFound", err)
	}
	if ok, _ := areFriends(t, s, alice, bob); ok {
		t.Fatal("forged answers made them friends")
	}
	if len(s.drainEvents()) != 0 {
		t.Error("refused actions announced changes")
	}

	other, err := s.AnswerFriendRequest(ctx, bob.ID, in[0].ID, true)
	if err != nil || other != alice {
		t.Fatalf("accept: %v, %v", other, err)
	}
	if ok, _ := areFriends(t, s, bob, alice); !ok {
		t.Fatal("not friends after accepting")
	}
	if n := count(t, s, `SELECT COUNT(*) FROM friend_requests`); n != 0 {
		t.Errorf("%d requests left after accepting", n)
	}
	for _, u := range []User{alice, bob} {
		friends, _ := s.Friends(ctx, u.ID)
		if len(friends) != 1 {
			t.Errorf("%s has %d friends", u.Username, len(friends))
		}
	}

	if err := s.RemoveFriend(ctx, bob.ID, alice.ID); err != nil {
		t.Fatal(err)
	}
	if ok, _ := areFriends(t, s, alice, bob); ok {
		t.Error("still friends after removal")
	}
	if err := s.RemoveFriend(ctx, bob.ID, alice.ID); !errors.Is(err, ErrNotFriends) {
		t.Errorf("removing a non-friend: %v, want ErrNotFriends", err)
	}
}

func TestFriendRequestEdgeCases(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	alice, bob := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob")

	if _, err := s.SendFriendRequest(ctx, alice.ID, alice.ID); !errors.Is(err, ErrSelf) {
		t.Errorf("request to yourself: %v", err)
	}
	if _, err := s.SendFriendRequest(ctx, alice.ID, 9999); !errors.Is(err, ErrNotFound) {
		t.Errorf("request to nobody: %v", err)
	}
	if _, err := s.SendFriendRequest(ctx, alice.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SendFriendRequest(ctx, alice.ID, bob.ID); !errors.Is(err, ErrRequestPending) {
		t.Errorf("second request: %v", err)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM friend_requests`); n != 1 {
		t.Errorf("%d requests stored", n)
	}

	// Crossing requests: Bob asks Alice while her request waits.
	out, err := s.SendFriendRequest(ctx, bob.ID, alice.ID)
	if err != nil || out != BecameFriends {
		t.Fatalf("crossing request: %v, %v", out, err)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM friend_requests`); n != 0 {
		t.Errorf("%d requests left after crossing", n)
	}
	if _, err := s.SendFriendRequest(ctx, alice.ID, bob.ID); !errors.Is(err, ErrAlreadyFriends) {
		t.Errorf("request to a friend: %v", err)
	}
}

func TestAnsweringACancelledRequest(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	alice, bob := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob")
	if _, err := s.SendFriendRequest(ctx, alice.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	in, _, _ := s.FriendRequests(ctx, bob.ID)
	if _, err := s.CancelFriendRequest(ctx, alice.ID, in[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AnswerFriendRequest(ctx, bob.ID, in[0].ID, true); !errors.Is(err, ErrNotFound) {
		t.Errorf("accepting a cancelled request: %v, want ErrNotFound", err)
	}
	if ok, _ := areFriends(t, s, alice, bob); ok {
		t.Error("friends after accepting a cancelled request")
	}

	// Declining leaves no friendship and no request.
	if _, err := s.SendFriendRequest(ctx, alice.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	in, _, _ = s.FriendRequests(ctx, bob.ID)
	if _, err := s.AnswerFriendRequest(ctx, bob.ID, in[0].ID, false); err != nil {
		t.Fatal(err)
	}
	if ok, _ := areFriends(t, s, alice, bob); ok || count(t, s, `SELECT COUNT(*) FROM friend_requests`) != 0 {
		t.Error("declining left a friendship or a request")
	}
}

func TestSearchPeople(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	me := mustCreateUser(t, s, "annie")
	anna := mustCreateUser(t, s, "Anna")
	andy := mustCreateUser(t, s, "andy")
	ant := mustCreateUser(t, s, "ant_man")
	mustCreateUser(t, s, "bob")
	mustCreateUser(t, s, "antXman")

	if _, err := s.SendFriendRequest(ctx, me.ID, anna.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SendFriendRequest(ctx, andy.ID, me.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SendFriendRequest(ctx, ant.ID, me.ID); err != nil {
		t.Fatal(err)
	}
	in, _, _ := s.FriendRequests(ctx, me.ID)
	if _, err := s.AnswerFriendRequest(ctx, me.ID, in[1].ID, true); err != nil { // ant_man
		t.Fatal(err)
	}

	got, err := s.SearchPeople(ctx, me.ID, "AN", 10)
	if err != nil {
		t.Fatal(err)
	}
	// I am found too, first, so searching my own name does not say that
	// nobody matches.
	want := map[string]Relation{"annie": RelationSelf, "andy": RelationReceived, "Anna": RelationSent, "ant_man": RelationFriend, "antXman": RelationNone}
	if len(got) != len(want) || got[0].Username != "annie" {
		t.Fatalf("search AN found %v", got)
	}
	for _, p := range got {
		if r, ok := want[p.Username]; !ok || r != p.Relation {
			t.Errorf("%s: relation %v, want %v", p.Username, p.Relation, r)
		}
		if (p.Relation == RelationSent || p.Relation == RelationReceived) && p.RequestID == 0 {
			t.Errorf("%s: no request id", p.Username)
		}
	}
	// "_" is a literal underscore, not a LIKE wildcard.
	got, _ = s.SearchPeople(ctx, me.ID, "ant_", 10)
	if len(got) != 1 || got[0].Username != "ant_man" {
		t.Errorf("search ant_ found %v", got)
	}
	if got, _ := s.SearchPeople(ctx, me.ID, "%", 10); len(got) != 0 {
		t.Errorf("search %% found %v", got)
	}
	p, err := s.PersonByUsername(ctx, me.ID, "ANNA")
	if err != nil || p.Relation != RelationSent {
		t.Errorf("PersonByUsername(ANNA) = %+v, %v", p, err)
	}
	if _, err := s.PersonByUsername(ctx, me.ID, "nobody"); !errors.Is(err, ErrNotFound) {
		t.Errorf("PersonByUsername(nobody) = %v", err)
	}
}

// Each change between two people says who did what, so the other can be
// told.
func TestFriendChangesSayWhatHappened(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	alice, bob, carol := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob"), mustCreateUser(t, s, "carol")
	s.drainEvents()
	step := func(what string, do func() error, want FriendsChanged) {
		t.Helper()
		if err := do(); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if got := s.drainEvents(); len(got) != 1 || got[0] != want {
			t.Errorf("%s: events %+v, want %+v", what, got, want)
		}
	}
	var id int64
	step("alice asks bob", func() error { _, err := s.SendFriendRequest(ctx, alice.ID, bob.ID); return err },
		FriendsChanged{A: alice.ID, B: bob.ID, What: FriendRequested})
	in, _, _ := s.FriendRequests(ctx, bob.ID)
	id = in[0].ID
	step("bob declines", func() error { _, err := s.AnswerFriendRequest(ctx, bob.ID, id, false); return err },
		FriendsChanged{A: bob.ID, B: alice.ID, What: FriendDeclined})
	step("carol asks alice", func() error { _, err := s.SendFriendRequest(ctx, carol.ID, alice.ID); return err },
		FriendsChanged{A: carol.ID, B: alice.ID, What: FriendRequested})
	step("alice asks carol back", func() error { _, err := s.SendFriendRequest(ctx, alice.ID, carol.ID); return err },
		FriendsChanged{A: alice.ID, B: carol.ID, What: FriendsMade})
	step("carol ends it", func() error { return s.RemoveFriend(ctx, carol.ID, alice.ID) },
		FriendsChanged{A: carol.ID, B: alice.ID, What: FriendRemoved})
	step("alice asks bob again", func() error { _, err := s.SendFriendRequest(ctx, alice.ID, bob.ID); return err },
		FriendsChanged{A: alice.ID, B: bob.ID, What: FriendRequested})
	_, out, _ := s.FriendRequests(ctx, alice.ID)
	step("and withdraws", func() error { _, err := s.CancelFriendRequest(ctx, alice.ID, out[0].ID); return err },
		FriendsChanged{A: alice.ID, B: bob.ID, What: FriendCancelled})
}
