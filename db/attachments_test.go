package db

import (
	"context"
	"errors"
	"testing"
)

// putFile puts content in place as an upload does (written, held, then
// kept) and returns its name and hold.
func putFile(tb testing.TB, s *testStore, content string) (string, []int64) {
	tb.Helper()
	t, err := s.files.Create()
	if err != nil {
		tb.Fatal(err)
	}
	defer t.Discard()
	if _, err := t.Write([]byte(content)); err != nil {
		tb.Fatal(err)
	}
	sum, err := t.Finish()
	if err != nil {
		tb.Fatal(err)
	}
	hold, err := s.HoldFiles(context.Background(), sum)
	if err != nil {
		tb.Fatal(err)
	}
	if err := t.Keep(); err != nil {
		tb.Fatal(err)
	}
	return sum, hold
}

// sendFile sends a message carrying f and returns it as stored.
func sendFile(tb testing.TB, s *testStore, from, to User, clientID string, f File) Message {
	tb.Helper()
	m, err := s.SendMessage(context.Background(), NewMessage{From: from, To: to, ClientID: clientID, File: &f})
	if err != nil {
		tb.Fatalf("send %s: %v", f.Name, err)
	}
	return m
}

func release(tb testing.TB, s *testStore, hold []int64) {
	tb.Helper()
	if err := s.ReleaseFiles(context.Background(), hold); err != nil {
		tb.Fatal(err)
	}
}

func TestAFileIsStoredOnceAndRemovedWhenNoMessageNamesIt(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	alice, bob := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob")
	mustBefriend(t, s, alice, bob)

	sum, hold := putFile(t, s, "%PDF-1.4 the report")
	first := sendFile(t, s, alice, bob, "c-first", File{SHA256: sum, Name: "report.pdf", Type: "application/pdf", Size: 19})
	release(t, s, hold)
	// The same bytes again, under another name: one file on disk, named
	// by both messages.
	again, hold := putFile(t, s, "%PDF-1.4 the report")
	if again != sum {
		t.Fatalf("the same bytes are named %s, then %s", sum, again)
	}
	second := sendFile(t, s, bob, alice, "c-second", File{SHA256: sum, Name: "copy.pdf", Type: "application/pdf", Size: 19})
	release(t, s, hold)
	if !s.files.Has(sum) {
		t.Fatal("the file named by two messages is not on disk")
	}
	for _, c := range []struct {
		reader User
		m      Message
		name   string
	}{{bob, first, "report.pdf"}, {alice, first, "report.pdf"}, {alice, second, "copy.pdf"}} {
		got, err := s.MessageByID(ctx, c.reader.ID, c.m.SenderID+c.m.RecipientID-c.reader.ID, c.m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.File == nil || got.File.SHA256 != sum || got.File.Name != c.name || got.File.Size != 19 || got.File.Type != "application/pdf" {
			t.Errorf("%s reads message %d's file as %+v", c.reader.Username, c.m.ID, got.File)
		}
	}
	if list := chatList(t, s, bob); list == "" {
		t.Error("bob's chat list is empty")
	}

	// Deleted for everyone: that message names it no more; the other does.
	if err := s.DeleteForEveryone(ctx, alice.ID, bob.ID, first.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.MessageByID(ctx, bob.ID, alice.ID, first.ID); got.File != nil {
		t.Errorf("a message deleted for everyone still carries %+v", got.File)
	}
	if !s.files.Has(sum) {
		t.Fatal("the file went while another message names it")
	}
	// Both delete the chat: no message is left, nor the file.
	if err := s.DeleteChat(ctx, alice.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	if !s.files.Has(sum) {
		t.Fatal("the file went while bob's copy of the chat holds it")
	}
	if err := s.DeleteChat(ctx, bob.ID, alice.ID); err != nil {
		t.Fatal(err)
	}
	if s.files.Has(sum) {
		t.Error("the file is still on disk after both deleted the chat")
	}
}

func TestAnImageAndItsThumbnailGoWhenBothDeleteItForThemselves(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	alice, bob := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob")
	mustBefriend(t, s, alice, bob)
	img, hold := putFile(t, s, "image bytes")
	thumb, thumbHold := putFile(t, s, "thumbnail bytes")
	m := sendFile(t, s, alice, bob, "c-img", File{SHA256: img, Name: "cat.jpg", Type: "image/jpeg", Size: 11, Width: 800, Height: 600, Thumb: thumb})
	release(t, s, append(hold, thumbHold...))
	got, err := s.MessageByID(ctx, bob.ID, alice.ID, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.File.IsImage() || got.File.Thumb != thumb || got.File.Width != 800 || got.File.Height != 600 {
		t.Errorf("the image reads as %+v", got.File)
	}
	if err := s.HideMessage(ctx, alice.ID, bob.ID, m.ID); err != nil {
		t.Fatal(err)
	}
	if !s.files.Has(img) || !s.files.Has(thumb) {
		t.Fatal("deleted for alice only, the image left the disk")
	}
	if err := s.HideMessage(ctx, bob.ID, alice.ID, m.ID); err != nil {
		t.Fatal(err)
	}
	if s.files.Has(img) || s.files.Has(thumb) {
		t.Error("deleted by both, the image or its thumbnail is still on disk")
	}
}

func TestHeldFilesStayUntilTheLastHoldEnds(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	alice, carol := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "carol")

	// Two uploads of the same bytes at once: the first one's end leaves
	// it for the second.
	sum, first := putFile(t, s, "same bytes")
	_, second := putFile(t, s, "same bytes")
	release(t, s, first)
	if !s.files.Has(sum) {
		t.Fatal("the file went while another upload holds it")
	}
	// The second one's message is refused (they are not friends): its
	// file goes with the hold.
	_, err := s.SendMessage(ctx, NewMessage{From: alice, To: carol, ClientID: "c-refused", File: &File{SHA256: sum, Name: "x.bin", Type: "application/octet-stream", Size: 10}})
	if !errors.Is(err, ErrNotFriends) {
		t.Fatalf("a message to a stranger: %v", err)
	}
	release(t, s, second)
	if s.files.Has(sum) {
		t.Error("the file of a refused message stayed on disk")
	}

	// A hold the server never released (it stopped) ends when it expires:
	// the next write that looks at files removes it.
	left, _ := putFile(t, s, "left behind")
	err = s.w.do(ctx, func(tx *Tx) error {
		_, err := tx.Exec(`UPDATE file_holds SET expires = 0`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if !s.files.Has(left) {
		t.Fatal("the file went before any write looked")
	}
	_, hold := putFile(t, s, "another upload")
	release(t, s, hold)
	if s.files.Has(left) {
		t.Error("a file whose hold expired is still on disk")
	}
}
