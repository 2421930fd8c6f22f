package files

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func write(t *testing.T, d *Dir, content string) *Temp {
	t.Helper()
	tmp, err := d.Create()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(tmp, content); err != nil {
		t.Fatal(err)
	}
	return tmp
}

func TestAFileIsKeptUnderItsHashOnce(t *testing.T) {
	root := filepath.Join(t.TempDir(), "files")
	d, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	want := sha256.Sum256([]byte("hello"))
	for range 2 {
		tmp := write(t, d, "hello")
		sum, err := tmp.Finish()
		if err != nil {
			t.Fatal(err)
		}
		if sum != hex.EncodeToString(want[:]) || tmp.Size() != 5 {
			t.Fatalf("named %s, %d bytes", sum, tmp.Size())
		}
		if err := tmp.Keep(); err != nil {
			t.Fatal(err)
		}
		tmp.Discard() // after Keep: nothing to do
	}
	f, err := d.Open(hex.EncodeToString(want[:]))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(f)
	f.Close()
	if string(got) != "hello" {
		t.Errorf("read back %q", got)
	}
	kept, _ := filepath.Glob(filepath.Join(root, "*", "*"))
	if len(kept) != 1 {
		t.Errorf("files on disk: %v", kept)
	}
	if left, _ := os.ReadDir(filepath.Join(root, "tmp")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if err := d.Remove(hex.EncodeToString(want[:])); err != nil || d.Has(hex.EncodeToString(want[:])) {
		t.Errorf("removed: %v, still there: %v", err, d.Has(hex.EncodeToString(want[:])))
	}
	if err := d.Remove(hex.EncodeToString(want[:])); err != nil {
		t.Errorf("removing a file that is not there: %v", err)
	}
}

func TestDiscardedAndInterruptedFilesLeaveNothing(t *testing.T) {
	root := filepath.Join(t.TempDir(), "files")
	d, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	write(t, d, "cut off halfway").Discard()
	if left, _ := os.ReadDir(filepath.Join(root, "tmp")); len(left) != 0 {
		t.Errorf("a discarded file left %v", left)
	}
	// A server that stopped mid-upload left one: the next Open removes it.
	write(t, d, "the server stopped here")
	if _, err := Open(root); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(filepath.Join(root, "tmp")); len(left) != 0 {
		t.Errorf("Open left %v", left)
	}
}

func TestNamesThatAreNotHashesAreRefused(t *testing.T) {
	d, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"", "../../etc/passwd", "ABCDEF" + string(make([]byte, 58)), "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg"} {
		if _, err := d.Open(name); !errors.Is(err, ErrBadName) {
			t.Errorf("Open(%q): %v", name, err)
		}
		if err := d.Remove(name); !errors.Is(err, ErrBadName) {
			t.Errorf("Remove(%q): %v", name, err)
		}
	}
}
