// Package files keeps the files people send on disk, each under the
// SHA-256 of its bytes, so the same file sent twice is stored once.
//
// A file arrives as a Temp: written to a temporary file while its bytes
// are counted and hashed, flushed to disk (Finish), then put in place
// under its hash (Keep). Nothing half-written is ever found under a hash:
// the rename is the last step, and what a crash leaves in the temporary
// directory is removed by the next Open.
//
// The package knows nothing of messages or people: the store (db) records
// which messages name a file and removes it once none does, and the
// handlers decide who may read it.
package files

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrBadName is returned for a name that is not a SHA-256 in hex.
var ErrBadName = errors.New("files: not a SHA-256 name")

// Dir is a directory of files named by their SHA-256: <root>/ab/abcdef…,
// spread over 256 subdirectories, and <root>/tmp for files arriving.
type Dir struct {
	root string
}

// Open opens (creating if needed) the directory at root, and removes
// what interrupted uploads left in its temporary directory.
func Open(root string) (*Dir, error) {
	d := &Dir{root: root}
	if err := os.MkdirAll(d.tmp(), 0o700); err != nil {
		return nil, fmt.Errorf("files: %w", err)
	}
	left, err := os.ReadDir(d.tmp())
	if err != nil {
		return nil, fmt.Errorf("files: %w", err)
	}
	for _, e := range left {
		if err := os.Remove(filepath.Join(d.tmp(), e.Name())); err != nil {
			return nil, fmt.Errorf("files: %w", err)
		}
	}
	return d, nil
}

func (d *Dir) tmp() string { return filepath.Join(d.root, "tmp") }

// path is where the file named sum lives.
func (d *Dir) path(sum string) (string, error) {
	if !ValidName(sum) {
		return "", ErrBadName
	}
	return filepath.Join(d.root, sum[:2], sum), nil
}

// ValidName reports whether name is a SHA-256 in lower-case hex, as files
// are named.
func ValidName(name string) bool {
	if len(name) != 2*sha256.Size {
		return false
	}
	for _, c := range name {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// Open opens the file named sum for reading.
func (d *Dir) Open(sum string) (*os.File, error) {
	p, err := d.path(sum)
	if err != nil {
		return nil, err
	}
	return os.Open(p)
}

// Has reports whether a file named sum is in place.
func (d *Dir) Has(sum string) bool {
	p, err := d.path(sum)
	if err != nil {
		return false
	}
	_, err = os.Stat(p)
	return err == nil
}

// Remove removes the file named sum; one that is not there is no error.
func (d *Dir) Remove(sum string) error {
	p, err := d.path(sum)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("files: %w", err)
	}
	return nil
}

// Create starts a file: write its bytes to the Temp, then Finish and Keep
// it, or Discard it. Discard is safe after Keep, so it can be deferred.
func (d *Dir) Create() (*Temp, error) {
	f, err := os.CreateTemp(d.tmp(), "upload-*")
	if err != nil {
		return nil, fmt.Errorf("files: %w", err)
	}
	return &Temp{dir: d, f: f, h: sha256.New()}, nil
}

// Temp is a file being written: its bytes are hashed and counted as they
// come.
type Temp struct {
	dir  *Dir
	f    *os.File
	h    hash.Hash
	size int64
	sum  string // set by Finish
	gone bool   // kept or discarded: the temporary file is no more
}

// Write adds p to the file.
func (t *Temp) Write(p []byte) (int, error) {
	n, err := t.f.Write(p)
	t.h.Write(p[:n])
	t.size += int64(n)
	return n, err
}

// Size is the number of bytes written so far.
func (t *Temp) Size() int64 { return t.size }

// ReadAt reads back what was written, for checking it before it is kept.
func (t *Temp) ReadAt(p []byte, off int64) (int, error) { return t.f.ReadAt(p, off) }

// Finish flushes the file to disk and returns its name (its SHA-256 in
// hex): nothing more can be written.
func (t *Temp) Finish() (string, error) {
	if t.sum != "" {
		return t.sum, nil
	}
	if err := t.f.Sync(); err != nil {
		return "", fmt.Errorf("files: %w", err)
	}
	t.sum = hex.EncodeToString(t.h.Sum(nil))
	return t.sum, nil
}

// Keep puts the finished file in place under its name, durably: renamed,
// and the directory that holds it flushed. When a file of that name is
// already there (the same bytes were sent before), that one stays and
// this copy is dropped.
func (t *Temp) Keep() error {
	if t.sum == "" {
		return errors.New("files: keep before finish")
	}
	p, err := t.dir.path(t.sum)
	if err != nil {
		return err
	}
	if err := t.f.Close(); err != nil {
		return fmt.Errorf("files: %w", err)
	}
	if _, err := os.Stat(p); err == nil {
		t.Discard()
		return nil
	}
	dir := filepath.Dir(p)
	if err := os.Mkdir(dir, 0o700); err == nil {
		// A new subdirectory is itself an entry of the root.
		if err := syncDir(t.dir.root); err != nil {
			return err
		}
	} else if !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("files: %w", err)
	}
	if err := os.Rename(t.f.Name(), p); err != nil {
		return fmt.Errorf("files: %w", err)
	}
	t.gone = true
	return syncDir(dir)
}

// Discard removes the file, unless it was kept.
func (t *Temp) Discard() {
	if t.gone {
		return
	}
	t.gone = true
	t.f.Close()
	os.Remove(t.f.Name())
}

// syncDir flushes a directory's entries to disk: a rename is durable only
// once its directory is.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("files: %w", err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("files: sync %s: %w", dir, err)
	}
	return nil
}

// At is the directory at root as it is, for reading and copying from:
// unlike Open it creates nothing and removes nothing, as the server may
// be writing there.
func At(root string) *Dir { return &Dir{root: root} }

// Names lists the files in place.
func (d *Dir) Names() ([]string, error) {
	paths, err := filepath.Glob(filepath.Join(d.root, "[0-9a-f][0-9a-f]", "*"))
	if err != nil {
		return nil, fmt.Errorf("files: %w", err)
	}
	var names []string
	for _, p := range paths {
		if name := filepath.Base(p); ValidName(name) {
			names = append(names, name)
		}
	}
	return names, nil
}

// CopyTo copies the file named sum into to, as a file arriving there is
// kept: flushed and renamed into place.
func (d *Dir) CopyTo(to *Dir, sum string) error {
	src, err := d.Open(sum)
	if err != nil {
		return err
	}
	defer src.Close()
	t, err := to.Create()
	if err != nil {
		return err
	}
	defer t.Discard()
	if _, err := io.Copy(t, src); err != nil {
		return fmt.Errorf("files: %w", err)
	}
	got, err := t.Finish()
	if err != nil {
		return err
	}
	if got != sum {
		return fmt.Errorf("files: %s holds bytes whose hash is %s", sum, got)
	}
	return t.Keep()
}
