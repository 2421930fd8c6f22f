package main

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"chat/db"
	"chat/files"
)

// A backup taken while messages are being stored holds every message
// acknowledged before it began, and the files they name; it restores into
// an empty directory only, and the restored database checks whole.
func TestABackupUnderLoadHoldsEveryAcknowledgedMessage(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	fileDir, err := files.Open(filepath.Join(data, "files"))
	if err != nil {
		t.Fatal(err)
	}
	store, err := db.Open(ctx, filepath.Join(data, "chat.db"), db.Options{Files: fileDir})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	alice, _ := store.CreateUser(ctx, db.NewUser{Username: "alice", DisplayName: "Alice", PasswordHash: "x"})
	bob, _ := store.CreateUser(ctx, db.NewUser{Username: "bob", DisplayName: "Bob", PasswordHash: "x"})
	store.SendFriendRequest(ctx, alice.ID, bob.ID)
	if out, err := store.SendFriendRequest(ctx, bob.ID, alice.ID); err != nil || out != db.BecameFriends {
		t.Fatalf("befriend: %v %v", out, err)
	}
	// A message with a file.
	tmp, _ := fileDir.Create()
	tmp.Write([]byte("%PDF-1.4 the plan"))
	sum, _ := tmp.Finish()
	hold, _ := store.HoldFiles(ctx, sum)
	if err := tmp.Keep(); err != nil {
		t.Fatal(err)
	}
	withFile, err := store.SendMessage(ctx, db.NewMessage{From: alice, To: bob, ClientID: "with-file", Body: "the plan", File: &db.File{SHA256: sum, Name: "plan.pdf", Type: "application/pdf", Size: 17}})
	if err != nil {
		t.Fatal(err)
	}
	store.ReleaseFiles(ctx, hold)

	// The load: two senders, each message acknowledged once committed.
	var mu sync.Mutex
	acked := []int64{withFile.ID}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for s, pair := range [][2]db.User{{alice, bob}, {bob, alice}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				m, err := store.SendMessage(ctx, db.NewMessage{From: pair[0], To: pair[1], ClientID: fmt.Sprintf("load-%d-%d", s, i), Body: fmt.Sprint("message ", i)})
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				acked = append(acked, m.ID)
				mu.Unlock()
			}
		}()
	}
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 100 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	mu.Lock()
	before := append([]int64(nil), acked...)
	mu.Unlock()

	backup := filepath.Join(dir, "backup.db")
	var out, errOut bytes.Buffer
	if code := runCommand([]string{"backup", "-data", data, backup}, &out, &errOut); code != 0 {
		t.Fatalf("backup: %d %s", code, errOut.String())
	}
	close(stop)
	wg.Wait()
	if !strings.Contains(out.String(), "1 files") {
		t.Errorf("backup said %q", out.String())
	}

	restored := filepath.Join(dir, "restored")
	if code := runCommand([]string{"restore", "-data", restored, backup}, &out, &errOut); code != 0 {
		t.Fatalf("restore: %d %s", code, errOut.String())
	}
	if code := runCommand([]string{"restore", "-data", restored, backup}, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "not empty") {
		t.Errorf("restoring into a directory in use: %d %q", code, errOut.String())
	}
	if err := db.Check(ctx, filepath.Join(restored, "chat.db")); err != nil {
		t.Fatal(err)
	}
	copyDir, err := files.Open(filepath.Join(restored, "files"))
	if err != nil {
		t.Fatal(err)
	}
	copyStore, err := db.Open(ctx, filepath.Join(restored, "chat.db"), db.Options{Files: copyDir})
	if err != nil {
		t.Fatal(err)
	}
	defer copyStore.Close()
	for _, id := range before {
		if _, err := copyStore.MessageByID(ctx, alice.ID, bob.ID, id); err != nil {
			t.Fatalf("message %d, acknowledged before the backup, is not in it: %v", id, err)
		}
	}
	if m, err := copyStore.MessageByID(ctx, bob.ID, alice.ID, withFile.ID); err != nil || m.File == nil || !copyDir.Has(m.File.SHA256) {
		t.Errorf("the file of %+v is not restored: %v", m, err)
	}
	t.Logf("%d messages acknowledged before the backup, all in it", len(before))
}
