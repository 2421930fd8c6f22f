package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"

	"github.com/mattn/go-sqlite3"
)

// Backups, made beside a running server: SQLite's online backup copies
// the database as one consistent snapshot while the server goes on
// writing (in WAL mode a reader does not hold writers up).

// Backup copies the database at src, as it is at one moment, to a new
// file dst (mode 0600), which must not exist.
func Backup(ctx context.Context, src, dst string) error {
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("db: backup: %w", err)
	}
	f, err := os.OpenFile(dst, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("db: backup: %w", err)
	}
	f.Close()
	from, err := sql.Open(driverName, "file:"+src+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		return fmt.Errorf("db: backup: %w", err)
	}
	defer from.Close()
	to, err := sql.Open(driverName, "file:"+dst)
	if err != nil {
		return fmt.Errorf("db: backup: %w", err)
	}
	defer to.Close()
	fromConn, err := from.Conn(ctx)
	if err != nil {
		return fmt.Errorf("db: backup: %w", err)
	}
	defer fromConn.Close()
	toConn, err := to.Conn(ctx)
	if err != nil {
		return fmt.Errorf("db: backup: %w", err)
	}
	defer toConn.Close()
	err = toConn.Raw(func(dc any) error {
		return fromConn.Raw(func(sc any) error {
			d, ok1 := dc.(*sqlite3.SQLiteConn)
			s, ok2 := sc.(*sqlite3.SQLiteConn)
			if !ok1 || !ok2 {
				return errors.New("not SQLite connections")
			}
			b, err := d.Backup("main", s, "main")
			if err != nil {
				return err
			}
			// Every page in one step: one snapshot of the source.
			if _, err := b.Step(-1); err != nil {
				b.Close()
				return err
			}
			return b.Finish()
		})
	})
	if err != nil {
		os.Remove(dst)
		return fmt.Errorf("db: backup: %w", err)
	}
	return nil
}

// Check runs SQLite's integrity check on the database at path.
func Check(ctx context.Context, path string) error {
	d, err := sql.Open(driverName, "file:"+path+"?mode=ro")
	if err != nil {
		return fmt.Errorf("db: check: %w", err)
	}
	defer d.Close()
	var result string
	if err := d.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&result); err != nil {
		return fmt.Errorf("db: check: %w", err)
	}
	if result != "ok" {
		return fmt.Errorf("db: check: %s", result)
	}
	return nil
}

// FilesNamed lists the files (package files) the database at path
// names: messages' files and thumbnails, and profile pictures.
func FilesNamed(ctx context.Context, path string) ([]string, error) {
	d, err := sql.Open(driverName, "file:"+path+"?mode=ro")
	if err != nil {
		return nil, fmt.Errorf("db: files named: %w", err)
	}
	defer d.Close()
	rows, err := d.QueryContext(ctx, `
		SELECT sha256 FROM attachments UNION SELECT thumb FROM attachments WHERE thumb IS NOT NULL
		UNION SELECT avatar FROM users WHERE avatar IS NOT NULL UNION SELECT avatar_small FROM users WHERE avatar_small IS NOT NULL`)
	if err != nil {
		return nil, fmt.Errorf("db: files named: %w", err)
	}
	sums, err := collect(rows, func(s *string) []any { return []any{s} })
	if err != nil {
		return nil, fmt.Errorf("db: files named: %w", err)
	}
	return sums, nil
}
