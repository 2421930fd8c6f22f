package db

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
)

func TestADeletedAccountLeavesItsPeersTheirCopies(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	alice, bob, carol := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob"), mustCreateUser(t, s, "carol")
	mustBefriend(t, s, alice, bob)
	mustBefriend(t, s, alice, carol)
	kept := mustSend(t, s, alice, bob, "bob keeps this")
	hiddenByBob := mustSend(t, s, alice, bob, "bob deleted this for himself")
	mustSend(t, s, bob, alice, "bob's answer")
	if err := s.HideMessage(ctx, bob.ID, alice.ID, hiddenByBob.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.React(ctx, alice.ID, bob.ID, kept.ID, "👍"); err != nil {
		t.Fatal(err)
	}
	// Carol deleted her chat: nobody else holds what alice wrote her,
	// nor the file it carried.
	sum, hold := putFile(t, s, "alice's photo for carol")
	sendFile(t, s, alice, carol, "c-file", File{SHA256: sum, Name: "p.bin", Type: "application/octet-stream", Size: 23})
	release(t, s, hold)
	if err := s.DeleteChat(ctx, carol.ID, alice.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateSession(ctx, alice.ID, []byte("alice's login"), 3600e9, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SendFriendRequest(ctx, alice.ID, mustCreateUser(t, s, "dave").ID); err != nil {
		t.Fatal(err)
	}
	s.drainEvents()

	ended, err := s.DeleteAccount(ctx, alice.ID)
	if err != nil || len(ended) != 1 {
		t.Fatalf("ended %v, %v", ended, err)
	}
	ev := s.drainEvents()
	if len(ev) != 1 || len(ev[0].(AccountDeleted).Peers) != 3 {
		t.Errorf("events %+v", ev)
	}
	// Bob's copy: what he held, from "Deleted account", without alice's
	// reaction; the message he had deleted for himself is gone.
	if h := history(t, s, bob, alice); h != "bob keeps this,bob's answer" {
		t.Errorf("bob's copy: %q", h)
	}
	if d, _ := s.Details(ctx, bob.ID, alice.ID, []Message{kept}); len(d.Reactions[kept.ID]) != 0 {
		t.Errorf("alice's reaction stayed: %+v", d.Reactions)
	}
	if list := chatList(t, s, bob); list == "" {
		t.Error("bob's chat list lost the conversation")
	}
	p, err := s.PersonByUsername(ctx, bob.ID, "alice")
	if err != nil || !p.Deleted || p.DisplayName != "" || p.Relation != RelationNone {
		t.Errorf("bob sees alice as %+v, %v", p, err)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM messages WHERE ? IN (user_low, user_high) AND ? IN (user_low, user_high)`, alice.ID, carol.ID); n != 0 {
		t.Errorf("%d messages nobody holds stayed", n)
	}
	if s.files.Has(sum) {
		t.Error("the file only alice's deleted message named is still on disk")
	}
	for _, table := range []string{"chat_boxes WHERE owner_id", "sessions WHERE user_id", "reactions WHERE user_id", "hidden_messages WHERE owner_id",
		"friend_requests WHERE from_id", "friendships WHERE user_low"} {
		if n := count(t, s, `SELECT COUNT(*) FROM `+table+` = ?`, alice.ID); n != 0 {
			t.Errorf("%d rows of %s stayed", n, table)
		}
	}
	// The search index holds nothing only alice held: the messages gone
	// are gone from it; people search does not find her.
	if found, _, _ := s.Search(ctx, bob.ID, "deleted", 0, 10); len(found) != 0 {
		t.Errorf("bob finds %+v", found)
	}
	if people, _ := s.SearchPeople(ctx, bob.ID, "ali", 10); len(people) != 0 {
		t.Errorf("people search finds %+v", people)
	}
	// She cannot log in, be asked, or be written to.
	if _, hash, _ := s.Credentials(ctx, "alice"); hash != "" {
		t.Error("a password hash stayed")
	}
	if _, err := s.SendFriendRequest(ctx, bob.ID, alice.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("a request to a deleted account: %v", err)
	}
	// Her username is held for UsernameHeld, then free.
	if _, err := s.CreateUser(ctx, NewUser{Username: "Alice", DisplayName: "Another", PasswordHash: "x"}); !errors.Is(err, ErrUsernameTaken) {
		t.Errorf("signing up as alice at once: %v", err)
	}
	if err := s.w.do(ctx, func(tx *Tx) error {
		_, err := tx.Exec(`UPDATE users SET deleted_at = deleted_at - ? WHERE id = ?`, UsernameHeld.Milliseconds(), alice.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, NewUser{Username: "alice", DisplayName: "Another", PasswordHash: "x"}); err != nil {
		t.Errorf("signing up as alice after 30 days: %v", err)
	}
	if h := history(t, s, bob, User{ID: alice.ID}); h != "bob keeps this,bob's answer" {
		t.Errorf("bob's copy after the name was taken again: %q", h)
	}
}

// Accounts deleted before names were said in each reader's language had
// their name stored in English; migrating empties it, as deleting does now.
func TestDeletedNamesStoredInEnglishAreEmptied(t *testing.T) {
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "chat.db")
	conn, err := sql.Open(driverName, path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx := context.Background()
	if _, err := conn.ExecContext(ctx, `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT`); err != nil {
		t.Fatal(err)
	}
	for _, m := range ms[:18] { // up to the one before
		if err := apply(ctx, conn, m); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := conn.ExecContext(ctx, `INSERT INTO users (username, display_name, password_hash, created_at, deleted_at)
		VALUES ('gone', 'Deleted account', '', 1, 2), ('here', 'Deleted account', 'x', 1, NULL)`); err != nil {
		t.Fatal(err)
	}
	conn.Close()

	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	gone, err := s.UserByUsername(ctx, "gone")
	if err != nil || gone.DisplayName != "" {
		t.Errorf("the deleted account is named %q (%v)", gone.DisplayName, err)
	}
	// Someone alive who chose that name keeps it.
	if here, err := s.UserByUsername(ctx, "here"); err != nil || here.DisplayName != "Deleted account" {
		t.Errorf("a living account is named %q (%v)", here.DisplayName, err)
	}
}
