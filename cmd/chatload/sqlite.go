package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"time"

	_ "github.com/mattn/go-sqlite3"
)

// sqliteRates is how fast SQLite alone inserts message-shaped rows on this
// disk, with the server's settings.
type sqliteRates struct {
	Synchronous string  `json:"synchronous"`
	SingleRow   float64 `json:"single_row_per_second"`
	Batched     float64 `json:"batched_rows_per_second"`
	BatchSize   int     `json:"batch_size"`
}

// measureSQLite inserts into a scratch database in dir for d per mode:
// one row per transaction, then batchSize rows per transaction.
func measureSQLite(ctx context.Context, dir, sync string, d time.Duration) (sqliteRates, error) {
	const batchSize = 100
	r := sqliteRates{Synchronous: sync, BatchSize: batchSize}
	tmp, err := os.MkdirTemp(dir, "sqlite-rate-")
	if err != nil {
		return r, err
	}
	defer os.RemoveAll(tmp)
	dsn := fmt.Sprintf("file:%s?_journal_mode=WAL&_synchronous=%s&_busy_timeout=5000&_foreign_keys=on&_txlock=immediate&_stmt_cache_size=64",
		filepath.Join(tmp, "rate.db"), sync)
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return r, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	// The same shape and indexes as the messages table.
	if _, err := db.Exec(`CREATE TABLE messages (
		id INTEGER PRIMARY KEY, user_low INTEGER NOT NULL, user_high INTEGER NOT NULL,
		sender_id INTEGER NOT NULL, client_id TEXT NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL) STRICT;
		CREATE INDEX messages_pair ON messages (user_low, user_high, id);
		CREATE UNIQUE INDEX messages_client ON messages (sender_id, client_id);`); err != nil {
		return r, err
	}
	n := 0
	insert := func(tx *sql.Tx) error {
		n++
		_, err := tx.Exec(`INSERT INTO messages (user_low, user_high, sender_id, client_id, body, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			n%1000, n%1000+1, n%1000, fmt.Sprintf("rate-%09d", n), "chatload 1 2 1700000000000000000", time.Now().UnixMilli())
		return err
	}
	rate := func(perTx int) (float64, error) {
		start := time.Now()
		rows := 0
		for time.Since(start) < d && ctx.Err() == nil {
			tx, err := db.Begin()
			if err != nil {
				return 0, err
			}
			for i := 0; i < perTx; i++ {
				if err := insert(tx); err != nil {
					tx.Rollback()
					return 0, err
				}
			}
			if err := tx.Commit(); err != nil {
				return 0, err
			}
			rows += perTx
		}
		return float64(rows) / time.Since(start).Seconds(), ctx.Err()
	}
	if r.SingleRow, err = rate(1); err != nil {
		return r, err
	}
	r.Batched, err = rate(batchSize)
	return r, err
}
