package db

import (
	"context"
	"fmt"
	"time"
)

// Attachments. A message may carry one file; the file is on disk under
// its SHA-256 (package files) and the attachments row names it for the
// message. A file lives as long as some message names it:
//
//   - An upload writes its file, then holds it (HoldFiles) and only then
//     puts it in place under its name; the message that names it is stored
//     next, and the hold released (ReleaseFiles). Between the two, the file
//     is in place but named by no message: the hold keeps it there.
//   - When an attachment goes (its message deleted for everyone, or by
//     both people), or a profile picture is replaced, a trigger puts its
//     files in file_checks.
//   - removeUnusedFiles, in the same transaction, removes from disk each
//     file to check that no attachment names and no hold keeps, and forgets
//     it. A crash after the removal and before the commit leaves the check
//     to the next one, which finds the file gone.
//
// The writer is the only one that removes files, one transaction at a time,
// so a file is never removed between an upload's hold and its message.

// File is the file a message carries.
type File struct {
	SHA256 string // its name on disk
	Name   string // as the sender's device called it
	Type   string // the media type it is served with
	Size   int64  // bytes
	// Images: the stored image's size in pixels and its thumbnail's file.
	Width, Height int
	Thumb         string
}

// IsImage reports whether the file is an image shown in the conversation.
func (f *File) IsImage() bool { return f != nil && f.Thumb != "" }

// fileHold is how long a hold keeps a file when it is never released:
// the server stopped between an upload and its message.
const fileHold = 10 * time.Minute

// HoldFiles keeps the files named sums on disk, whether or not a message
// names them, until ReleaseFiles(hold) or fileHold from now. An upload
// holds its files before it puts them in place.
func (s *Store) HoldFiles(ctx context.Context, sums ...string) (hold []int64, err error) {
	err = s.w.do(ctx, func(tx *Tx) error {
		hold = hold[:0]
		for _, sum := range sums {
			var id int64
			err := tx.QueryRow(`INSERT INTO file_holds (sha256, expires) VALUES (?, ?) RETURNING id`, sum, now()+fileHold.Milliseconds()).Scan(&id)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(`INSERT OR IGNORE INTO file_checks (sha256) VALUES (?)`, sum); err != nil {
				return err
			}
			hold = append(hold, id)
		}
		// Holds left by a server that stopped are released here.
		return tx.removeUnusedFiles()
	})
	return hold, wrapUnlessDomain("hold files", err)
}

// ReleaseFiles ends holds: their files are removed from disk unless a
// message names them (or another upload holds them).
func (s *Store) ReleaseFiles(ctx context.Context, hold []int64) error {
	err := s.w.do(ctx, func(tx *Tx) error {
		for _, id := range hold {
			if _, err := tx.Exec(`DELETE FROM file_holds WHERE id = ?`, id); err != nil {
				return err
			}
		}
		return tx.removeUnusedFiles()
	})
	return wrapUnlessDomain("release files", err)
}

// removeUnusedFiles removes from disk the files to check that no
// attachment names and no hold keeps. Every write that can leave a file
// unnamed calls it last.
func (tx *Tx) removeUnusedFiles() error {
	if tx.w.files == nil {
		// A store opened without the files (a command beside the
		// server) leaves them to the server's.
		return nil
	}
	if _, err := tx.Exec(`DELETE FROM file_holds WHERE expires <= ?`, now()); err != nil {
		return err
	}
	// Each check not held is done: the file is removed unless named.
	var unused []string
	var sum string
	var named bool
	err := tx.Query(`
		DELETE FROM file_checks
		WHERE NOT EXISTS (SELECT 1 FROM file_holds h WHERE h.sha256 = file_checks.sha256)
		RETURNING sha256, EXISTS (SELECT 1 FROM attachments a WHERE a.sha256 = file_checks.sha256)
			OR EXISTS (SELECT 1 FROM attachments a WHERE a.thumb = file_checks.sha256)
			OR EXISTS (SELECT 1 FROM users u WHERE u.avatar = file_checks.sha256)
			OR EXISTS (SELECT 1 FROM users u WHERE u.avatar_small = file_checks.sha256)`, nil, []any{&sum, &named}, func() error {
		if !named {
			unused = append(unused, sum)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, sum := range unused {
		if err := tx.w.files.Remove(sum); err != nil {
			return fmt.Errorf("db: remove file: %w", err)
		}
	}
	return nil
}
