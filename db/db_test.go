package db

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"chat/files"
)

// testStore is a store on a fresh file in a temporary directory, with the
// test reading its events: the outcome of each message it queues, and the
// changes drainEvents returns.
type testStore struct {
	*Store
	events chan []Event
	files  *files.Dir // where the messages' files are

	mu       sync.Mutex
	cond     *sync.Cond          // signalled when a batch has been read
	reading  bool                // a sender is waiting on events for everyone
	log      []Event             // read from events, not yet drained
	outcomes map[sendKey][]Event // outcomes of queued messages, not yet taken
}

type sendKey struct {
	from     int64
	clientID string
}

// mustOpen opens a test store and closes it when the test ends.
func mustOpen(tb testing.TB) *testStore {
	tb.Helper()
	events := make(chan []Event, 1000)
	dir := tb.TempDir()
	fs, err := files.Open(filepath.Join(dir, "files"))
	if err != nil {
		tb.Fatal(err)
	}
	s, err := Open(context.Background(), filepath.Join(dir, "chat.db"), Options{Events: events, Files: fs})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Error(err)
		}
	})
	ts := newTestStore(s, events)
	ts.files = fs
	return ts
}

func newTestStore(s *Store, events chan []Event) *testStore {
	ts := &testStore{Store: s, events: events, outcomes: map[sendKey][]Event{}}
	ts.cond = sync.NewCond(&ts.mu)
	return ts
}

// keep files a batch of events: every one in the log, outcomes by message.
// Callers hold s.mu.
func (s *testStore) keep(batch []Event) {
	for _, e := range batch {
		s.log = append(s.log, e)
		switch e := e.(type) {
		case MessageSent:
			k := sendKey{e.Message.SenderID, e.Message.ClientID}
			s.outcomes[k] = append(s.outcomes[k], e)
		case MessageDuplicate:
			k := sendKey{e.Message.SenderID, e.Message.ClientID}
			s.outcomes[k] = append(s.outcomes[k], e)
		case MessageRefused:
			k := sendKey{e.From, e.ClientID}
			s.outcomes[k] = append(s.outcomes[k], e)
		}
	}
}

// send queues a message and waits for its outcome: the stored message, or
// the earlier one for a duplicate, and the refusal's error. Senders may
// call it at once; each gets its own outcome.
func (s *testStore) send(ctx context.Context, in NewMessage) (msg Message, dup bool, err error) {
	if err := s.QueueMessage(ctx, in); err != nil {
		return Message{}, false, err
	}
	k := sendKey{in.From.ID, in.ClientID}
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.outcomes[k]) == 0 {
		if s.reading {
			s.cond.Wait()
			continue
		}
		// One waiter at a time reads the next batch, for everyone; the
		// others go on as soon as their outcome is in.
		s.reading = true
		s.mu.Unlock()
		batch, ok := <-s.events
		s.mu.Lock()
		s.reading = false
		s.cond.Broadcast()
		if !ok {
			return Message{}, false, ErrClosed
		}
		s.keep(batch)
	}
	e := s.outcomes[k][0]
	s.outcomes[k] = s.outcomes[k][1:]
	switch e := e.(type) {
	case MessageSent:
		return e.Message, false, nil
	case MessageDuplicate:
		return e.Message, true, nil
	default:
		return Message{}, false, e.(MessageRefused).Err
	}
}

// drainEvents returns the events delivered since the last drain. Writes
// hand their events over before they return, so nothing is in flight.
func (s *testStore) drainEvents() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.reading {
		s.cond.Wait()
	}
	for {
		select {
		case batch := <-s.events:
			s.keep(batch)
			continue
		default:
		}
		out := s.log
		s.log = nil
		return out
	}
}

// mustCreateUser creates a user with a placeholder password hash.
func mustCreateUser(tb testing.TB, s *testStore, username string) User {
	tb.Helper()
	u, err := s.CreateUser(context.Background(), NewUser{Username: username, DisplayName: "Name of " + username, PasswordHash: "x"})
	if err != nil {
		tb.Fatalf("create %s: %v", username, err)
	}
	return u
}

func count(tb testing.TB, s *testStore, query string, args ...any) int {
	tb.Helper()
	var n int
	if err := s.read.QueryRow(query, args...).Scan(&n); err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestMigrationsApplyOnceAndAreIdempotentOnRestart(t *testing.T) {
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "chat.db")
	type row struct {
		version   int
		name      string
		appliedAt int64
	}
	readVersions := func() []row {
		s, err := Open(context.Background(), path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		rows, err := s.read.Query(`SELECT version, name, applied_at FROM schema_migrations ORDER BY version`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.version, &r.name, &r.appliedAt); err != nil {
				t.Fatal(err)
			}
			out = append(out, r)
		}
		return out
	}

	first := readVersions()
	if len(first) != len(ms) {
		t.Fatalf("applied %d migrations, want %d", len(first), len(ms))
	}
	for i, r := range first {
		if r.version != i+1 || r.name != ms[i].name {
			t.Errorf("migration %d recorded as %d %q, want %d %q", i, r.version, r.name, i+1, ms[i].name)
		}
	}
	time.Sleep(2 * time.Millisecond) // a re-applied migration would get a new applied_at
	second := readVersions()
	if fmt.Sprint(first) != fmt.Sprint(second) {
		t.Errorf("reopening changed schema_migrations:\n first %v\nsecond %v", first, second)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chat.db")
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.w.do(context.Background(), func(tx *Tx) error {
		_, err := tx.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(context.Background(), path, Options{}); err == nil {
		t.Fatal("opened a database from a newer program")
	}
}

func TestConnectionSettings(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	want := map[string]string{
		"journal_mode": "wal",
		"foreign_keys": "1",
		"synchronous":  "2", // FULL
		"busy_timeout": "5000",
	}
	// Hold several pooled read connections at once, so each is a different
	// one, not the first one again.
	for i := 0; i < 3; i++ {
		conn, err := s.read.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		for pragma, w := range want {
			var got string
			if err := conn.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != w {
				t.Errorf("read connection %d: %s = %s, want %s", i, pragma, got, w)
			}
		}
	}
	var sync int
	err := s.w.do(ctx, func(tx *Tx) error { return tx.QueryRow("PRAGMA synchronous").Scan(&sync) })
	if err != nil || sync != 2 {
		t.Errorf("write connection: synchronous = %d, %v; want 2 (FULL)", sync, err)
	}
	if _, err := s.read.Exec(`DELETE FROM users`); err == nil {
		t.Error("a read connection accepted a write")
	}
}

func TestUsernamesAreUniqueIgnoringCase(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	alice := mustCreateUser(t, s, "Alice")

	for _, name := range []string{"Alice", "alice", "ALICE", "aLiCe"} {
		_, err := s.CreateUser(ctx, NewUser{Username: name, DisplayName: "x", PasswordHash: "x"})
		if !errors.Is(err, ErrUsernameTaken) {
			t.Errorf("CreateUser(%q) = %v, want ErrUsernameTaken", name, err)
		}
	}
	if n := count(t, s, `SELECT COUNT(*) FROM users`); n != 1 {
		t.Errorf("%d users stored, want 1", n)
	}
	got, err := s.UserByUsername(ctx, "ALICE")
	if err != nil || got != alice {
		t.Errorf("UserByUsername(ALICE) = %+v, %v; want %+v", got, err, alice)
	}
	if _, err := s.UserByUsername(ctx, "bob"); !errors.Is(err, ErrNotFound) {
		t.Errorf("UserByUsername(bob) = %v, want ErrNotFound", err)
	}
}

func TestDisplayNamesKeepAnyScript(t *testing.T) {
	s := mustOpen(t)
	u, err := s.CreateUser(context.Background(), NewUser{Username: "zhang", DisplayName: "张三 🐼", PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.UserByUsername(context.Background(), "zhang")
	if err != nil || got.DisplayName != "张三 🐼" || got.ID != u.ID {
		t.Errorf("got %+v, %v", got, err)
	}
}

// Many goroutines writing at once must all succeed: writes queue for the one
// writer connection instead of failing with "database is locked", and a
// failing write (a taken username) does not undo the others sharing its
// transaction.
func TestConcurrentWritersNeverSeeALockedDatabase(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	const writers, each = 32, 25

	var wg sync.WaitGroup
	errs := make(chan error, writers*each*3)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				u, err := s.CreateUser(ctx, NewUser{Username: fmt.Sprintf("u%d_%d", w, i), DisplayName: "x", PasswordHash: "x"})
				if err != nil {
					errs <- err
					continue
				}
				// Every third writer also collides with an existing name.
				if w%3 == 0 {
					if _, err := s.CreateUser(ctx, NewUser{Username: fmt.Sprintf("U%d_%d", w, i), DisplayName: "x", PasswordHash: "x"}); !errors.Is(err, ErrUsernameTaken) {
						errs <- fmt.Errorf("duplicate: got %v", err)
					}
				}
				if _, err := s.CreateSession(ctx, u.ID, []byte(fmt.Sprintf("token-%d-%d", w, i)), time.Hour, ""); err != nil {
					errs <- err
				}
				// Reads run alongside the writes.
				if _, err := s.UserByUsername(ctx, u.Username); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM users`); n != writers*each {
		t.Errorf("%d users, want %d", n, writers*each)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM sessions`); n != writers*each {
		t.Errorf("%d sessions, want %d", n, writers*each)
	}
}

func TestWriteAfterCloseFails(t *testing.T) {
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "chat.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(context.Background(), NewUser{Username: "late", DisplayName: "x", PasswordHash: "x"}); !errors.Is(err, ErrClosed) {
		t.Errorf("write after close = %v, want ErrClosed", err)
	}
}

func TestSessions(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	alice := mustCreateUser(t, s, "alice")

	id, err := s.CreateSession(ctx, alice.ID, []byte("secret-token"), time.Hour, "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36")
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.SessionByToken(ctx, []byte("secret-token"))
	if err != nil || got.ID != id || got.User != alice {
		t.Fatalf("SessionByToken = %+v, %v", got, err)
	}
	if _, err := s.SessionByToken(ctx, []byte("other-token")); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown token: %v, want ErrNotFound", err)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM sessions WHERE token_hash = ?`, []byte("secret-token")); n != 0 {
		t.Error("the token is stored in clear")
	}

	if err := s.DeleteSession(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionByToken(ctx, []byte("secret-token")); !errors.Is(err, ErrNotFound) {
		t.Errorf("after delete: %v, want ErrNotFound", err)
	}

	if _, err := s.CreateSession(ctx, alice.ID, []byte("short-lived"), -time.Second, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionByToken(ctx, []byte("short-lived")); !errors.Is(err, ErrNotFound) {
		t.Errorf("expired session: %v, want ErrNotFound", err)
	}
}

func TestPasswordChangeAndLogOutOthersEndEveryOtherSession(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	alice, bob := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob")
	laptop, _ := s.CreateSession(ctx, alice.ID, []byte("laptop"), time.Hour, "Mozilla/5.0 (Windows NT 10.0) Firefox/131.0")
	phone, _ := s.CreateSession(ctx, alice.ID, []byte("phone"), time.Hour, "Mozilla/5.0 (iPhone) Version/18.0 Safari/604.1")
	tablet, _ := s.CreateSession(ctx, alice.ID, []byte("tablet"), time.Hour, "Mozilla/5.0 (iPad) Safari/604.1")
	bobs, _ := s.CreateSession(ctx, bob.ID, []byte("bob"), time.Hour, "")

	// The laptop was last used an hour ago; touching it brings it first.
	if err := s.w.do(ctx, func(tx *Tx) error {
		_, err := tx.Exec(`UPDATE sessions SET last_active = last_active - 3600000 WHERE id = ?`, laptop)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	ds, err := s.Devices(ctx, alice.ID)
	if err != nil || len(ds) != 3 || ds[2].SessionID != laptop || ds[2].UserAgent != "Mozilla/5.0 (Windows NT 10.0) Firefox/131.0" {
		t.Fatalf("devices %+v, %v", ds, err)
	}
	if err := s.TouchSession(ctx, laptop); err != nil {
		t.Fatal(err)
	}
	if ds, _ := s.Devices(ctx, alice.ID); ds[0].SessionID != laptop || ds[0].LastActive < ds[0].CreatedAt {
		t.Errorf("after touching the laptop: %+v", ds)
	}

	ended, err := s.ChangePassword(ctx, alice.ID, laptop, "new hash")
	if err != nil || len(ended) != 2 || !slices.Contains(ended, phone) || !slices.Contains(ended, tablet) {
		t.Fatalf("ended %v, %v", ended, err)
	}
	for _, token := range []string{"phone", "tablet"} {
		if _, err := s.SessionByToken(ctx, []byte(token)); !errors.Is(err, ErrNotFound) {
			t.Errorf("the %s's login survived the password change: %v", token, err)
		}
	}
	for _, token := range []string{"laptop", "bob"} {
		if _, err := s.SessionByToken(ctx, []byte(token)); err != nil {
			t.Errorf("the %s's login ended: %v", token, err)
		}
	}
	if h, _ := s.PasswordHash(ctx, alice.ID); h != "new hash" {
		t.Errorf("hash %q", h)
	}

	// Log out other sessions, from a second login.
	again, _ := s.CreateSession(ctx, alice.ID, []byte("again"), time.Hour, "")
	ended, err = s.EndOtherSessions(ctx, alice.ID, again)
	if err != nil || !slices.Equal(ended, []int64{laptop}) {
		t.Errorf("ended %v, %v", ended, err)
	}
	if ds, _ := s.Devices(ctx, alice.ID); len(ds) != 1 || ds[0].SessionID != again {
		t.Errorf("left %+v", ds)
	}
	if ds, _ := s.Devices(ctx, bob.ID); len(ds) != 1 || ds[0].SessionID != bobs {
		t.Errorf("bob's logins %+v", ds)
	}
}
