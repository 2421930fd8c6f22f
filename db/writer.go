package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mattn/go-sqlite3"
)

// ErrClosed is returned for a write submitted after Close.
var ErrClosed = errors.New("db: store closed")

// writer is the single path by which anything is written.
//
// One goroutine owns the only write connection. Callers submit a job. The
// goroutine takes every job that is waiting, runs them in one transaction
// (each inside its own savepoint, so one job's error undoes only that
// job), commits once, hands what the transaction did to Options.Events,
// then answers each caller that waits. While a commit is being fsynced,
// new jobs queue up and form the next batch: the busier the server, the
// more writes share each fsync (group commit), with no added delay when it
// is idle.
type writer struct {
	conn     *sql.Conn // held for the writer's lifetime
	maxBatch int
	jobs     chan *job
	stopped  chan struct{}
	events   chan<- []Event // nil: nobody listens
	files    FileRemover    // nil: messages carry no files
	observer Observer       // nil: nobody counts

	// seq is the last change number handed out (see changes.go). Only the
	// writer's goroutine touches it.
	seq int64

	// stmts are the prepared statements of driverConn (see Tx).
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

// job is one write: fn, whose outcome goes to done, or a message to store
// with others (send), whose outcome goes to Options.Events.
type job struct {
	ctx  context.Context
	fn   func(*Tx) error
	done chan error
	send *sendJob
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

func startWriter(db *sql.DB, maxBatch int, events chan<- []Event, dir FileRemover, observer Observer) (*writer, error) {
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
		files:    dir,
		observer: observer,
	}
	if w.seq, err = lastSeq(context.Background(), conn); err != nil {
		conn.Close()
		return nil, err
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

// queue adds a message to the next transaction and returns without
// waiting; its outcome goes to Options.Events.
func (w *writer) queue(ctx context.Context, sj *sendJob) error {
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
		return nil
	}
	// Once queued, wait for the outcome even if ctx ends: returning early
	// would leave the caller unsure whether its write committed.
	return <-j.done
}

// close lets every submitted job finish, stops the goroutine, gives the
// connection back and closes Options.Events: nothing more will come.
func (w *writer) close() error {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	w.pending.Wait()
	close(w.jobs)
	<-w.stopped
	if w.events != nil {
		close(w.events)
	}
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

// runBatch runs jobs in one transaction, hands what it did to the
// listener (the changes it committed, in commit order, and the outcome of
// every message), then answers each job that waits.
func (w *writer) runBatch(batch []*job) {
	errs := make([]error, len(batch))
	var events []Event
	seqBefore := w.seq
	start := time.Now()
	var committing time.Duration // in COMMIT: writing the log and its fsync
	commitErr := w.conn.Raw(func(dc any) error {
		conn, ok := dc.(*sqlite3.SQLiteConn)
		if !ok {
			return fmt.Errorf("db: writer connection is a %T", dc)
		}
		tx, err := w.begin(conn)
		if err != nil {
			return err
		}
		for i := 0; i < len(batch); {
			if batch[i].send == nil {
				errs[i] = tx.runJob(batch[i])
				i++
				continue
			}
			// Messages in a row are stored together, in one savepoint.
			n := 1
			for i+n < len(batch) && batch[i+n].send != nil {
				n++
			}
			tx.storeMessageJobs(batch[i : i+n])
			i += n
		}
		if tx.counted {
			if err := saveSeq(tx, w.seq); err != nil {
				tx.Exec(`ROLLBACK`)
				return err
			}
		}
		events = tx.events
		c := time.Now()
		defer func() {
			committing = time.Since(c)
			w.stats.commit.Add(int64(committing))
		}()
		return tx.commit()
	})
	w.stats.busyNanos.Add(int64(time.Since(start)))
	w.stats.batches.Add(1)
	w.stats.jobs.Add(int64(len(batch)))
	if commitErr != nil {
		// Nothing happened: every message is refused, and the numbers
		// handed out are free again.
		w.seq = seqBefore
		events = events[:0]
		for _, j := range batch {
			if j.send != nil {
				events = append(events, j.send.refused(commitErr))
			}
		}
	}
	if w.observer != nil && commitErr == nil {
		messages := 0
		for _, e := range events {
			if _, ok := e.(MessageSent); ok {
				messages++
			}
		}
		w.observer.Committed(committing, len(batch), messages)
	}
	if len(events) > 0 && w.events != nil {
		w.events <- events
	}
	for i, j := range batch {
		if j.done == nil {
			continue
		}
		if j.send != nil {
			errs[i] = j.send.err
		}
		if commitErr != nil && errs[i] == nil {
			errs[i] = commitErr
		}
		j.done <- errs[i]
	}
}

// runJob runs one job in a savepoint of its own.
func (tx *Tx) runJob(j *job) error {
	if err := j.ctx.Err(); err != nil {
		return err
	}
	return tx.savepoint(func() error { return j.fn(tx) })
}
