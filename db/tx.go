package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"

	"github.com/mattn/go-sqlite3"
)

// Tx is the transaction a write runs in. Its statements run on the SQLite
// driver connection directly, each prepared once and kept for the
// connection's life: this is the path every message takes, and
// database/sql's bookkeeping per call cost as much as SQLite's own work.
type Tx struct {
	w      *writer
	events []Event
	// counted is set when a change other than a message took a number:
	// the transaction then stores the counter.
	counted bool
}

// begin starts a transaction on conn, taking the write lock at once.
func (w *writer) begin(conn *sqlite3.SQLiteConn) (*Tx, error) {
	if conn != w.driverConn {
		// A new driver connection (the pool replaced a broken one): its
		// statements start afresh.
		w.driverConn, w.stmts = conn, map[string]*sqlite3.SQLiteStmt{}
	}
	tx := &Tx{w: w}
	if _, err := tx.Exec(`BEGIN IMMEDIATE`); err != nil {
		return nil, fmt.Errorf("db: begin: %w", err)
	}
	return tx, nil
}

func (tx *Tx) commit() error {
	if _, err := tx.Exec(`COMMIT`); err != nil {
		tx.Exec(`ROLLBACK`)
		return fmt.Errorf("db: commit: %w", err)
	}
	return nil
}

// savepoint runs fn inside a savepoint, undoing its changes (and the
// events it recorded) if it fails.
func (tx *Tx) savepoint(fn func() error) error {
	if _, err := tx.Exec(`SAVEPOINT job`); err != nil {
		return fmt.Errorf("db: savepoint: %w", err)
	}
	recorded := len(tx.events)
	jobErr := fn()
	if jobErr != nil {
		tx.events = tx.events[:recorded]
		if _, err := tx.Exec(`ROLLBACK TO job`); err != nil {
			return errors.Join(jobErr, fmt.Errorf("db: rollback to savepoint: %w", err))
		}
	}
	if _, err := tx.Exec(`RELEASE job`); err != nil {
		return errors.Join(jobErr, fmt.Errorf("db: release savepoint: %w", err))
	}
	return jobErr
}

// emit records e; it is delivered only if its job succeeds and the
// transaction commits.
func (tx *Tx) emit(e Event) { tx.events = append(tx.events, e) }

func (tx *Tx) stmt(query string) (*sqlite3.SQLiteStmt, error) {
	if st, ok := tx.w.stmts[query]; ok {
		return st, nil
	}
	prepared, err := tx.w.driverConn.Prepare(query)
	if err != nil {
		return nil, err
	}
	st, ok := prepared.(*sqlite3.SQLiteStmt)
	if !ok {
		prepared.Close()
		return nil, fmt.Errorf("db: prepared statement is a %T", prepared)
	}
	tx.w.stmts[query] = st
	return st, nil
}

// Exec runs a statement and returns how many rows it changed.
func (tx *Tx) Exec(query string, args ...any) (int64, error) {
	st, err := tx.stmt(query)
	if err != nil {
		return 0, err
	}
	res, err := st.ExecContext(noCancel, driverArgs(args))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Query runs a statement and calls each with every row it returns, after
// scanning the row's columns into dest (the same for every row).
func (tx *Tx) Query(query string, args []any, dest []any, each func() error) error {
	st, err := tx.stmt(query)
	if err != nil {
		return err
	}
	rows, err := st.QueryContext(noCancel, driverArgs(args))
	if err != nil {
		return err
	}
	defer rows.Close()
	vals := make([]driver.Value, len(rows.Columns()))
	for {
		if err := rows.Next(vals); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return err
		}
		if err := scanValues(vals, dest); err != nil {
			return err
		}
		if err := each(); err != nil {
			return err
		}
	}
}

// QueryRow runs a statement that returns at most one row (or whose first
// row is all that matters).
func (tx *Tx) QueryRow(query string, args ...any) *Row {
	st, err := tx.stmt(query)
	if err != nil {
		return &Row{err: err}
	}
	rows, err := st.QueryContext(noCancel, driverArgs(args))
	if err != nil {
		return &Row{err: err}
	}
	defer rows.Close()
	vals := make([]driver.Value, len(rows.Columns()))
	if err := rows.Next(vals); err != nil {
		if errors.Is(err, io.EOF) {
			err = sql.ErrNoRows
		}
		return &Row{err: err}
	}
	return &Row{vals: vals}
}

// Row is the result of QueryRow.
type Row struct {
	vals []driver.Value
	err  error
}

// Scan copies the row's columns into dest, as database/sql's Row.Scan does
// for the types this package uses; sql.ErrNoRows when there was no row.
func (r *Row) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	return scanValues(r.vals, dest)
}

// scanValues is the one way the writer reads a row from the driver: each
// column into its destination, with an error (never a panic) when a column
// is not of the destination's type.
func scanValues(vals []driver.Value, dest []any) error {
	if len(dest) != len(vals) {
		return fmt.Errorf("db: scan: %d destinations for %d columns", len(dest), len(vals))
	}
	for i, v := range vals {
		if err := assign(dest[i], v); err != nil {
			return fmt.Errorf("db: scan column %d: %w", i, err)
		}
	}
	return nil
}

func assign(dest any, v driver.Value) error {
	switch d := dest.(type) {
	case *int64:
		n, ok := v.(int64)
		if !ok {
			return fmt.Errorf("%T is not an integer", v)
		}
		*d = n
	case *int:
		n, ok := v.(int64)
		if !ok {
			return fmt.Errorf("%T is not an integer", v)
		}
		*d = int(n)
	case *bool:
		n, ok := v.(int64)
		if !ok {
			return fmt.Errorf("%T is not a boolean", v)
		}
		*d = n != 0
	case *string:
		switch s := v.(type) {
		case string:
			*d = s
		case []byte:
			*d = string(s)
		default:
			return fmt.Errorf("%T is not text", v)
		}
	case *sql.NullInt64:
		return d.Scan(v)
	default:
		return fmt.Errorf("cannot scan into %T", dest)
	}
	return nil
}

// driverArgs numbers a statement's arguments for the driver, widening int
// to int64 as database/sql would.
func driverArgs(args []any) []driver.NamedValue {
	vals := make([]driver.NamedValue, len(args))
	for i, a := range args {
		if n, ok := a.(int); ok {
			a = int64(n)
		}
		vals[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	return vals
}

// noCancel is the context of the writer's statements. A job's own context
// is checked before its statements run; once they run, they finish, and a
// context that cannot end keeps the driver from watching it with a
// goroutine per statement.
var noCancel = context.Background()
