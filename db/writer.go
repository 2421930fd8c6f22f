package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
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
type writer struct {
	db       *sql.DB
	maxBatch int
	jobs     chan *job
	stopped  chan struct{}
	events   chan<- []Event // nil: nobody listens

	mu      sync.RWMutex
	closed  bool
	pending sync.WaitGroup
}

type job struct {
	ctx  context.Context
	fn   func(*Tx) error
	done chan error
}

// Tx is the transaction a job runs in. Emit records what changed, for the
// live updates that follow the commit.
type Tx struct {
	*sql.Tx
	events []Event
}

// emit records e; it is delivered only if the job succeeds and the batch
// commits.
func (tx *Tx) emit(e Event) { tx.events = append(tx.events, e) }

func startWriter(db *sql.DB, maxBatch int, events chan<- []Event) *writer {
	w := &writer{
		db:       db,
		maxBatch: maxBatch,
		jobs:     make(chan *job, maxBatch),
		stopped:  make(chan struct{}),
		events:   events,
	}
	go w.run()
	return w
}

// do runs fn inside a write transaction and returns once that transaction
// has committed (fn's changes are on disk) or been rolled back. fn may share
// the transaction with other callers' jobs; it must only use tx and must not
// block on anything but the database.
func (w *writer) do(ctx context.Context, fn func(*Tx) error) error {
	w.mu.RLock()
	if w.closed {
		w.mu.RUnlock()
		return ErrClosed
	}
	w.pending.Add(1)
	w.mu.RUnlock()
	defer w.pending.Done()

	j := &job{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case w.jobs <- j:
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once queued, wait for the outcome even if ctx ends: returning early
	// would leave the caller unsure whether its write committed.
	return <-j.done
}

// close lets every submitted job finish, then stops the goroutine.
func (w *writer) close() {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	w.pending.Wait()
	close(w.jobs)
	<-w.stopped
}

func (w *writer) run() {
	defer close(w.stopped)
	batch := make([]*job, 0, w.maxBatch)
	for j := range w.jobs {
		batch = append(batch[:0], j)
	fill:
		for len(batch) < w.maxBatch {
			select {
			case j, ok := <-w.jobs:
				if !ok {
					break fill
				}
				batch = append(batch, j)
			default:
				break fill
			}
		}
		w.runBatch(batch)
		clear(batch)
	}
}

// runBatch runs jobs in one transaction, hands the committed batch's events
// to the listener in commit order, then answers each job.
func (w *writer) runBatch(batch []*job) {
	errs := make([]error, len(batch))
	var events []Event
	commitErr := w.inTx(func(tx *sql.Tx) error {
		for i, j := range batch {
			t := &Tx{Tx: tx}
			if errs[i] = runJob(t, j); errs[i] == nil {
				events = append(events, t.events...)
			}
		}
		return nil
	})
	if commitErr == nil && len(events) > 0 && w.events != nil {
		w.events <- events
	}
	for i, j := range batch {
		if commitErr != nil && errs[i] == nil {
			errs[i] = commitErr
		}
		j.done <- errs[i]
	}
}

func (w *writer) inTx(body func(*sql.Tx) error) error {
	// The batch is not tied to any one caller's context: a caller that gives
	// up must not roll back the others' writes.
	ctx := context.Background()
	tx, err := w.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("db: begin: %w", err)
	}
	if err := body(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("db: commit: %w", err)
	}
	return nil
}

// runJob runs one job inside a savepoint, undoing its changes if it fails.
func runJob(tx *Tx, j *job) error {
	if err := j.ctx.Err(); err != nil {
		return err
	}
	if _, err := tx.Exec(`SAVEPOINT job`); err != nil {
		return fmt.Errorf("db: savepoint: %w", err)
	}
	jobErr := j.fn(tx)
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
