package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mattn/go-sqlite3"
)

// ErrClosed is returned for a write submitted after Close.
var ErrClosed = errors.New("db: store closed")

// writer is the single path by which anything is written.
//
// One goroutine owns the only write connection. Callers submit a job and
// wait. The goroutine takes every job that is waiting, runs them in one
// transaction (each inside its own savepoint, so one job's error undoes only
// that job), commits once, then answers each caller. While a commit is being
// fsynced, new jobs queue up and form the next batch: the busier the server,
// the more writes share each fsync (group commit), with no added delay when
// it is idle.
//
// Jobs run statements on the SQLite driver connection directly, each
// prepared once (see Tx): this is the path every message takes, and
// database/sql's per-call bookkeeping cost as much as SQLite's own work.
type writer struct {
	conn     *sql.Conn // held for the writer's lifetime
	maxBatch int
	jobs     chan *job
	stopped  chan struct{}
	events   chan<- []Event // nil: nobody listens

	// stmts are the prepared statements of driverConn.
	driverConn *sqlite3.SQLiteConn
	stmts      map[string]*sqlite3.SQLiteStmt

	mu      sync.RWMutex
	closed  bool
	pending sync.WaitGroup

	stats struct {
		batches, jobs     atomic.Int64
		busyNanos, commit atomic.Int64 // time in transactions; in COMMIT
	}
}

// job is one write: fn, or a message to store with others (send). Its
// outcome goes to done, or to the send's callback.
type job struct {
	ctx  context.Context
	fn   func(*Tx) error
	send *sendJob
	done chan error
}

// finish reports the job's outcome to whoever waits for it.
func (j *job) finish(err error) {
	if j.send != nil && j.send.done != nil {
		if err == nil {
			err = j.send.err
		}
		j.send.done(j.send.msg, j.send.duplicate, err)
		return
	}
	j.done <- err
}

// WriterStats counts the writer's work since Open, for the profiler page.
type WriterStats struct {
	Batches int64 // transactions committed or rolled back
	Jobs    int64 // writes they held
	// Busy is the time spent inside transactions, Commit the part of it
	// spent committing (writing the log and its fsync).
	Busy, Commit time.Duration
}

// WriterStats reports how the writer has been grouping writes.
func (s *Store) WriterStats() WriterStats {
	w := s.w
	return WriterStats{
		Batches: w.stats.batches.Load(), Jobs: w.stats.jobs.Load(),
		Busy: time.Duration(w.stats.busyNanos.Load()), Commit: time.Duration(w.stats.commit.Load()),
	}
}

func startWriter(db *sql.DB, maxBatch int, events chan<- []Event) (*writer, error) {
	conn, err := db.Conn(context.Background())
	if err != nil {
		return nil, fmt.Errorf("db: writer connection: %w", err)
	}
	w := &writer{
		conn:     conn,
		maxBatch: maxBatch,
		jobs:     make(chan *job, maxBatch),
		stopped:  make(chan struct{}),
		events:   events,
	}
	go w.run()
	return w, nil
}

// do runs fn inside a write transaction and returns once that transaction
// has committed (fn's changes are on disk) or been rolled back. fn may share
// the transaction with other callers' jobs; it must only use tx and must not
// block on anything but the database.
func (w *writer) do(ctx context.Context, fn func(*Tx) error) error {
	return w.submit(&job{ctx: ctx, fn: fn, done: make(chan error, 1)})
}

// send stores a message like do, in a transaction it may share with other
// messages; its outcome is in sj.
func (w *writer) send(ctx context.Context, sj *sendJob) error {
	if err := w.submit(&job{ctx: ctx, send: sj, done: make(chan error, 1)}); err != nil {
		return err
	}
	return sj.err
}

// sendLater queues a message and returns without waiting: sj.done is
// called, on the writer's goroutine, once it is stored or refused.
func (w *writer) sendLater(ctx context.Context, sj *sendJob) error {
	return w.submit(&job{ctx: ctx, send: sj})
}

func (w *writer) submit(j *job) error {
	ctx := j.ctx
	w.mu.RLock()
	if w.closed {
		w.mu.RUnlock()
		return ErrClosed
	}
	w.pending.Add(1)
	w.mu.RUnlock()
	defer w.pending.Done()

	select {
	case w.jobs <- j:
	case <-ctx.Done():
		return ctx.Err()
	}
	if j.done == nil {
		return nil // the send's callback has the outcome
	}
	// Once queued, wait for the outcome even if ctx ends: returning early
	// would leave the caller unsure whether its write committed.
	return <-j.done
}

// close lets every submitted job finish, then stops the goroutine and
// gives the connection back.
func (w *writer) close() error {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	w.pending.Wait()
	close(w.jobs)
	<-w.stopped
	w.conn.Raw(func(any) error {
		for _, st := range w.stmts {
			st.Close()
		}
		return nil
	})
	return w.conn.Close()
}

// commitDelay is how long the writer waits for more writes before a
// transaction when the last one was shared: several writers are active,
// so more are likely to arrive, and a commit (one fsync) saved shortens
// everyone's wait more than the delay lengthens it. A writer alone is
// never delayed.
const commitDelay = 250 * time.Microsecond

func (w *writer) run() {
	defer close(w.stopped)
	batch := make([]*job, 0, w.maxBatch)
	delay := time.NewTimer(time.Hour)
	delay.Stop()
	shared := false // the last batch held more than one write
	for j := range w.jobs {
		batch = append(batch[:0], j)
		if shared {
			delay.Reset(commitDelay)
		}
	fill:
		for len(batch) < w.maxBatch {
			select {
			case j, ok := <-w.jobs:
				if !ok {
					break fill
				}
				batch = append(batch, j)
				continue
			default:
			}
			if !shared {
				break
			}
			select {
			case j, ok := <-w.jobs:
				if !ok {
					break fill
				}
				batch = append(batch, j)
			case <-delay.C:
				break fill
			}
		}
		if shared && !delay.Stop() {
			select { // drain a fire that raced with the batch filling up
			case <-delay.C:
			default:
			}
		}
		shared = len(batch) > 1
		w.runBatch(batch)
		clear(batch)
	}
}

// runBatch runs jobs in one transaction, hands the committed batch's events
// to the listener in commit order, then answers each job.
func (w *writer) runBatch(batch []*job) {
	errs := make([]error, len(batch))
	var events []Event
	start := time.Now()
	commitErr := w.conn.Raw(func(dc any) error {
		tx, err := w.begin(dc.(*sqlite3.SQLiteConn))
		if err != nil {
			return err
		}
		for i := 0; i < len(batch); {
			// Messages in a row are stored together, in one savepoint.
			n := 1
			if batch[i].send != nil {
				for i+n < len(batch) && batch[i+n].send != nil {
					n++
				}
			}
			err := tx.runJobs(batch[i : i+n])
			for k := i; k < i+n; k++ {
				errs[k] = err
			}
			if err == nil {
				events = append(events, tx.events...)
			}
			tx.events = tx.events[:0]
			i += n
		}
		c := time.Now()
		defer func() { w.stats.commit.Add(int64(time.Since(c))) }()
		return tx.commit()
	})
	w.stats.busyNanos.Add(int64(time.Since(start)))
	w.stats.batches.Add(1)
	w.stats.jobs.Add(int64(len(batch)))
	if commitErr == nil && len(events) > 0 && w.events != nil {
		w.events <- events
	}
	for i, j := range batch {
		if commitErr != nil && errs[i] == nil {
			errs[i] = commitErr
		}
		j.finish(errs[i])
	}
}

// Tx is the transaction a job runs in: statements run on the driver
// connection, prepared once and reused.
type Tx struct {
	w      *writer
	events []Event
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

// runJobs runs one job, or several message jobs together, inside a
// savepoint, undoing their changes if it fails.
func (tx *Tx) runJobs(jobs []*job) error {
	var run func() error
	if jobs[0].send != nil {
		var sends []*sendJob
		for _, j := range jobs {
			// A caller who gave up before the batch began is not stored.
			if err := j.ctx.Err(); err != nil {
				j.send.err = err
				continue
			}
			sends = append(sends, j.send)
		}
		run = func() error { return tx.storeMessages(sends) }
	} else {
		if err := jobs[0].ctx.Err(); err != nil {
			return err
		}
		run = func() error { return jobs[0].fn(tx) }
	}
	if _, err := tx.Exec(`SAVEPOINT job`); err != nil {
		return fmt.Errorf("db: savepoint: %w", err)
	}
	jobErr := run()
	if jobErr != nil {
		if _, err := tx.Exec(`ROLLBACK TO job`); err != nil {
			return errors.Join(jobErr, fmt.Errorf("db: rollback to savepoint: %w", err))
		}
	}
	if _, err := tx.Exec(`RELEASE job`); err != nil {
		return errors.Join(jobErr, fmt.Errorf("db: release savepoint: %w", err))
	}
	return jobErr
}

// emit records e; it is delivered only if the job succeeds and the batch
// commits.
func (tx *Tx) emit(e Event) { tx.events = append(tx.events, e) }

func (tx *Tx) stmt(query string) (*sqlite3.SQLiteStmt, error) {
	if st, ok := tx.w.stmts[query]; ok {
		return st, nil
	}
	st, err := tx.w.driverConn.Prepare(query)
	if err != nil {
		return nil, err
	}
	tx.w.stmts[query] = st.(*sqlite3.SQLiteStmt)
	return tx.w.stmts[query], nil
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

// query runs a statement and returns its rows, which the caller closes.
func (tx *Tx) query(query string, args ...any) (driver.Rows, error) {
	st, err := tx.stmt(query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(noCancel, driverArgs(args))
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
	if len(dest) != len(r.vals) {
		return fmt.Errorf("db: scan: %d destinations for %d columns", len(dest), len(r.vals))
	}
	for i, v := range r.vals {
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
