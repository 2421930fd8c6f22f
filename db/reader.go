package db

import (
	"context"
	"database/sql"
	"fmt"
)

// Reader runs the store's reads. Store's own Reader takes a pooled read
// connection for each; the one a Snapshot passes runs them all in one
// read transaction, so they see the database at one moment.
type Reader struct{ q querier }

// querier is what reads run on: the pool or one transaction of it.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Snapshot runs fn with a Reader whose reads all see the database as it
// was at the first of them: nothing committed meanwhile shows in one and
// not another. A page and the change number it is current to (LastSeq)
// are read together this way.
func (s *Store) Snapshot(ctx context.Context, fn func(Reader) error) error {
	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("db: snapshot: %w", err)
	}
	defer tx.Rollback()
	return fn(Reader{q: tx})
}
