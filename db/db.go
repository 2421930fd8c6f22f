// Package db owns the SQLite database: the connection settings, the embedded
// migrations and every SQL statement of the application.
//
// Reads go through a pool of read-only connections (reader.go). Writes go
// through one connection owned by the writer goroutine (writer.go), so
// concurrent requests queue in Go instead of failing with "database is
// locked", and writes that arrive together share one transaction and one
// fsync. Every change that open pages show is numbered in commit order
// (changes.go) and reported on Options.Events once committed.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"runtime"
	"strings"
	"time"

	_ "github.com/mattn/go-sqlite3" // the driver, registered with its functions in search.go
)

// Synchronous modes accepted by Options.
//
// FULL is the default: in WAL mode it fsyncs the log at every commit, so a
// message the user saw as sent survives a power cut. NORMAL fsyncs only at
// checkpoints and may lose the last commits on power loss (never corrupts).
// Group commit (writer.go) shares one fsync among every write waiting at the
// same moment, which is what makes FULL affordable; NORMAL stays selectable
// so the cost of durability can be measured.
const (
	SynchronousFull   = "FULL"
	SynchronousNormal = "NORMAL"
)

// Options tune Open. The zero value is what the server uses.
type Options struct {
	// Synchronous is SynchronousFull (default) or SynchronousNormal.
	Synchronous string
	// MaxBatch caps how many writes share one transaction (default 512).
	MaxBatch int
	// Events, if set, receives what each transaction did, in commit order,
	// for live updates: the changes it committed and the outcome of every
	// message queued (QueueMessage). The writer waits when it is full, so
	// its reader must keep up; Close closes it after the last write.
	Events chan<- []Event
	// Files is where the files that messages carry are kept (package
	// files): the store removes each once no message names it. Without
	// it, messages cannot carry files.
	Files FileRemover
	// Observer, if set, is told of every commit.
	Observer Observer
}

// Observer is told of each transaction the writer commits, for the
// operator's metrics: how long the commit took (writing the log and its
// fsync), how many writes it held and how many messages it stored. It is
// called on the writer's goroutine: it must not block.
type Observer interface {
	Committed(took time.Duration, writes, messages int)
}

// FileRemover removes a file that messages carried, by its name (its
// SHA-256); one that is not there is no error.
type FileRemover interface {
	Remove(sha256 string) error
}

// Store is the application's database.
type Store struct {
	// Reader holds the reads; they run on the pool of read connections,
	// each on its own, or together in a Snapshot.
	Reader
	read  *sql.DB
	write *sql.DB
	w     *writer
}

// Open opens (creating if needed) the SQLite file at path, applies pending
// migrations and starts the writer.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	sync := opts.Synchronous
	if sync == "" {
		sync = SynchronousFull
	}
	if sync != SynchronousFull && sync != SynchronousNormal {
		return nil, fmt.Errorf("db: unknown synchronous mode %q", sync)
	}
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = 512
	}

	// The database holds everyone's messages: only the server's user
	// reads it. SQLite gives its log files the same mode.
	if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
		f.Close()
	} else if !errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("db: create %s: %w", path, err)
	}
	write, err := sql.Open(driverName, dsn(path, sync, false))
	if err != nil {
		return nil, fmt.Errorf("db: open %s: %w", path, err)
	}
	// One connection: SQLite allows one writer at a time anyway, and holding
	// it here means waiting happens in Go, never as SQLITE_BUSY.
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)

	read, err := sql.Open(driverName, dsn(path, sync, true))
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("db: open %s: %w", path, err)
	}
	n := 2 * runtime.GOMAXPROCS(0)
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	read.SetConnMaxIdleTime(5 * time.Minute)

	s := &Store{Reader: Reader{q: read}, read: read, write: write}
	if err := migrate(ctx, write); err != nil {
		s.closeConns()
		return nil, err
	}
	if s.w, err = startWriter(write, opts.MaxBatch, opts.Events, opts.Files, opts.Observer); err != nil {
		s.closeConns()
		return nil, err
	}
	// Files left unnamed when the server stopped: holds that expired
	// meanwhile.
	if err := s.w.do(ctx, func(tx *Tx) error { return tx.removeUnusedFiles() }); err != nil {
		s.Close()
		return nil, fmt.Errorf("db: remove unused files: %w", err)
	}
	return s, nil
}

// dsn builds the connection string. Every pragma lives here, so every pooled
// connection gets the same settings, not only the first one.
func dsn(path, sync string, readOnly bool) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "5000")
	q.Set("_foreign_keys", "on")
	q.Set("_synchronous", sync)
	q.Set("_stmt_cache_size", "64")
	if readOnly {
		q.Set("_query_only", "on")
	} else {
		// Take the write lock at BEGIN rather than at the first write, so a
		// transaction never has to upgrade its lock and fail half-way.
		q.Set("_txlock", "immediate")
	}
	// SQLite reads "file:" names as URIs: escape what would end the path.
	return "file:" + uriPath.Replace(path) + "?" + q.Encode()
}

var uriPath = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")

// Close waits for queued writes, closes Options.Events, then closes every
// connection. It checkpoints the WAL so the database file is complete on
// its own.
func (s *Store) Close() error {
	werr := s.w.close()
	_, err := s.write.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	return errors.Join(werr, err, s.closeConns())
}

func (s *Store) closeConns() error {
	return errors.Join(s.read.Close(), s.write.Close())
}

// now is the clock every stored timestamp comes from, in Unix milliseconds.
func now() int64 { return time.Now().UnixMilli() }
