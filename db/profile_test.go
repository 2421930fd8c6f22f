package db

import (
	"context"
	"testing"
)

func TestProfileSettingsAndLastSeenBothWays(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	alice, bob := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob")
	mustBefriend(t, s, alice, bob)
	s.drainEvents()

	if err := s.SetDisplayName(ctx, alice.ID, "爱丽丝"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetDisplayName(ctx, alice.ID, "爱丽丝"); err != nil {
		t.Fatal(err)
	}
	if ev := s.drainEvents(); len(ev) != 1 || ev[0] != (ProfileChanged{User: alice.ID}) {
		t.Errorf("events %v: one change, the same name again is none", ev)
	}
	if peers, _ := s.Peers(ctx, alice.ID); len(peers) != 1 || peers[0] != bob.ID {
		t.Errorf("alice is seen by %v", peers)
	}

	// Last seen shows while both show it.
	if err := s.SetLastSeen(ctx, alice.ID, 1_700_000_000_000); err != nil {
		t.Fatal(err)
	}
	seen := func() int64 {
		p, err := s.PersonByUsername(ctx, bob.ID, "alice")
		if err != nil {
			t.Fatal(err)
		}
		return p.LastSeen
	}
	if got := seen(); got != 1_700_000_000_000 {
		t.Errorf("bob sees alice last seen at %d", got)
	}
	if err := s.SetShowLastSeen(ctx, bob.ID, false); err != nil {
		t.Fatal(err)
	}
	if got := seen(); got != 0 {
		t.Error("with his own last seen off, bob still sees alice's")
	}
	if on, _ := s.ShowLastSeen(ctx, bob.ID); on {
		t.Error("the setting did not stay off")
	}
	if err := s.SetShowLastSeen(ctx, bob.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetShowLastSeen(ctx, alice.ID, false); err != nil {
		t.Fatal(err)
	}
	if got := seen(); got != 0 {
		t.Error("alice hides hers, yet bob sees it")
	}

	// Sounds and language are each person's own.
	if on, _ := s.Sounds(ctx, alice.ID); !on {
		t.Error("sounds are not on at first")
	}
	if err := s.SetSounds(ctx, alice.ID, false); err != nil {
		t.Fatal(err)
	}
	if on, _ := s.Sounds(ctx, alice.ID); on {
		t.Error("sounds stayed on")
	}
	if on, _ := s.Sounds(ctx, bob.ID); !on {
		t.Error("bob's sounds went off with alice's")
	}
	if err := s.SetLanguage(ctx, alice.ID, "zh"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateSession(ctx, alice.ID, []byte("alice-token"), 3600e9, ""); err != nil {
		t.Fatal(err)
	}
	if ss, _ := s.SessionByToken(ctx, []byte("alice-token")); ss.Language != "zh" {
		t.Errorf("alice's login says language %q", ss.Language)
	}
}
