package db

import (
	"context"
	"path/filepath"
	"testing"
)

// openAt opens a test store on path, which may already hold a database.
func openAt(tb testing.TB, path string) *testStore {
	tb.Helper()
	events := make(chan []Event, 100)
	s, err := Open(context.Background(), path, Options{Events: events})
	if err != nil {
		tb.Fatal(err)
	}
	return newTestStore(s, events)
}

// Every change takes the next number, whatever its kind; the numbers keep
// growing after the newest messages are purged and after a restart.
func TestChangeNumbersGrowAndAreNeverReused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "chat.db")
	s := openAt(t, path)
	alice, bob := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob")
	mustBefriend(t, s, alice, bob)
	m1 := mustSend(t, s, alice, bob, "one")
	if err := s.MarkRead(ctx, bob.ID, alice.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteChat(ctx, alice.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteChat(ctx, bob.ID, alice.ID); err != nil { // both deleted: m1 is purged
		t.Fatal(err)
	}
	var seqs []int64
	for _, e := range s.drainEvents() {
		switch e := e.(type) {
		case MessageSent:
			seqs = append(seqs, e.Message.ID)
		case ChatChanged:
			seqs = append(seqs, e.Seq)
		}
	}
	if len(seqs) != 4 || seqs[0] != m1.ID {
		t.Fatalf("numbers %v, want four beginning with the message's id %d", seqs, m1.ID)
	}
	for i := 1; i < len(seqs); i++ {
		if seqs[i] <= seqs[i-1] {
			t.Errorf("numbers out of order: %v", seqs)
		}
	}
	if last, err := s.LastSeq(ctx); err != nil || last != seqs[3] {
		t.Errorf("LastSeq = %d, %v; want %d", last, err, seqs[3])
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	again := openAt(t, path)
	defer again.Close()
	m2 := mustSend(t, again, alice, bob, "after the restart")
	if m2.ID <= seqs[3] {
		t.Errorf("a message after a restart got number %d, not after %d", m2.ID, seqs[3])
	}
}

// A deleted chat box is a kept change that only its owner sees.
func TestChangesAfterShowsADeletionToItsOwnerOnly(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	alice, bob := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob")
	mustBefriend(t, s, alice, bob)
	m := mustSend(t, s, alice, bob, "hello")
	if err := s.DeleteChat(ctx, alice.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	mine, err := s.ChangesAfter(ctx, alice.ID, bob.ID, m.ID)
	if err != nil || len(mine) != 1 || mine[0].Kind != ChangeChatDeleted || mine[0].Seq <= m.ID {
		t.Errorf("alice's changes after %d: %+v, %v", m.ID, mine, err)
	}
	if later, _ := s.ChangesAfter(ctx, alice.ID, bob.ID, mine[0].Seq); len(later) != 0 {
		t.Errorf("changes after the deletion: %+v", later)
	}
	if theirs, err := s.ChangesAfter(ctx, bob.ID, alice.ID, 0); err != nil || len(theirs) != 0 {
		t.Errorf("bob sees alice's deletion: %+v, %v", theirs, err)
	}
}

// Reads in one snapshot see the database at one moment: a message
// committed meanwhile shows neither in them nor in the number they are
// current to.
func TestSnapshotReadsAreOfOneMoment(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	alice, bob := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob")
	mustBefriend(t, s, alice, bob)
	first := mustSend(t, s, alice, bob, "before")
	err := s.Snapshot(ctx, func(r Reader) error {
		before, err := r.LastSeq(ctx)
		if err != nil {
			return err
		}
		mustSend(t, s, alice, bob, "during") // commits while the snapshot is open
		msgs, _, err := r.MessagesAfter(ctx, alice.ID, bob.ID, 0, 10)
		if err != nil {
			return err
		}
		last, err := r.LastSeq(ctx)
		if err != nil {
			return err
		}
		if bodies(msgs) != "before" || before != first.ID || last != before {
			t.Errorf("snapshot sees %q, current to %d then %d; want only the first message, current to %d", bodies(msgs), before, last, first.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if msgs, _, _ := s.MessagesAfter(ctx, alice.ID, bob.ID, 0, 10); bodies(msgs) != "before,during" {
		t.Errorf("after the snapshot: %q", bodies(msgs))
	}
}
