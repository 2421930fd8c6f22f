package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sync"
	"time"
)

// room is a set of open conversations: people in pairs, each with their
// conversation page open on the other.
type room struct {
	srv     *server
	convs   []*conversation
	tally   *tally
	wg      sync.WaitGroup
	profile string // save a CPU profile of the next measured window here
}

// openConversations opens one conversation page per person: n people in
// n/2 pairs, each socket on its peer's chat.
func openConversations(ctx context.Context, s *server, people []*person, typing bool) (*room, error) {
	r := &room{srv: s, convs: make([]*conversation, len(people)), tally: &tally{}}
	for i, p := range people {
		r.convs[i] = &conversation{me: p, peer: people[i^1], typing: typing, arrived: make(chan struct{}, 1)}
	}
	err := parallel(ctx, len(people), 64, func(i int) error {
		c := r.convs[i]
		conn, err := dial(ctx, s, c.me.cookie, "page=chat&peer="+c.peer.name+"&after=0&visible=1", i)
		if err != nil {
			return err
		}
		c.conn = conn
		return nil
	})
	for _, c := range r.convs {
		if c.conn == nil {
			continue
		}
		r.wg.Go(func() { c.read(r.tally, r.peerOf) })
	}
	if err != nil {
		r.close()
		return nil, err
	}
	return r, nil
}

func (r *room) peerOf(c *conversation) *conversation { return r.convs[c.me.index^1] }

func (r *room) close() {
	for _, c := range r.convs {
		if c.conn != nil {
			c.conn.Close()
		}
	}
	r.wg.Wait()
}

// throughput is what a run measured.
type throughput struct {
	Messages  int64         `json:"messages"`
	Seconds   float64       `json:"seconds"`
	PerSecond float64       `json:"per_second"`
	P50       time.Duration `json:"p50_ns"`
	P99       time.Duration `json:"p99_ns"`
	P999      time.Duration `json:"p999_ns"`
	CPUPer1k  float64       `json:"server_cpu_seconds_per_1000"`
	// LoadCPUPer1k is this generator's own CPU time per 1,000 messages:
	// it shares the machine with the server.
	LoadCPUPer1k float64 `json:"generator_cpu_seconds_per_1000"`
	// The server's writer over the window: writes per transaction, and
	// the share of the time it was inside a transaction, and committing.
	WritesPerCommit float64 `json:"writes_per_commit"`
	WriterBusy      float64 `json:"writer_busy_fraction"`
	CommitShare     float64 `json:"writer_commit_fraction"`
}

// measure records arrivals in a window after warmup and summarises them,
// with the server's CPU time over the same window (and a CPU profile of it
// when r.profile names a file).
func (r *room) measure(ctx context.Context, warmup, duration time.Duration) (throughput, error) {
	runtime.GC() // the generator's own, during the warmup (see quietCollector)
	start := time.Now().Add(warmup)
	end := start.Add(duration)
	r.tally.window(start, end)
	select {
	case <-ctx.Done():
		return throughput{}, ctx.Err()
	case <-time.After(time.Until(start)):
	}
	profiled := make(chan struct{})
	if r.profile != "" {
		path := r.profile
		r.profile = ""
		go func() {
			defer close(profiled)
			if err := r.srv.profile(context.WithoutCancel(ctx), duration, path); err != nil {
				fmt.Fprintf(os.Stderr, "profile: %v\n", err)
			}
		}()
	} else {
		close(profiled)
	}
	defer func() { <-profiled }()
	cpu0, err := r.srv.cpu()
	if err != nil {
		return throughput{}, err
	}
	w0 := r.srv.writerStats()
	self0 := selfCPU()
	select {
	case <-ctx.Done():
		return throughput{}, ctx.Err()
	case <-time.After(time.Until(end)):
	}
	cpu1, err := r.srv.cpu()
	if err != nil {
		return throughput{}, err
	}
	w1 := r.srv.writerStats()
	self1 := selfCPU()
	r.tally.mu.Lock()
	defer r.tally.mu.Unlock()
	r.tally.recording = false
	t := throughput{Messages: r.tally.inWindow, Seconds: duration.Seconds()}
	t.PerSecond = float64(t.Messages) / t.Seconds
	if t.Messages > 0 {
		t.CPUPer1k = (cpu1 - cpu0).Seconds() / float64(t.Messages) * 1000
		t.LoadCPUPer1k = (self1 - self0).Seconds() / float64(t.Messages) * 1000
	}
	if batches := w1.Batches - w0.Batches; batches > 0 {
		t.WritesPerCommit = float64(w1.Jobs-w0.Jobs) / float64(batches)
		t.WriterBusy = (w1.Busy - w0.Busy).Seconds() / duration.Seconds()
		t.CommitShare = (w1.Commit - w0.Commit).Seconds() / duration.Seconds()
	}
	lat := r.tally.latencies
	slices.Sort(lat)
	t.P50, t.P99, t.P999 = percentile(lat, 0.50), percentile(lat, 0.99), percentile(lat, 0.999)
	return t, nil
}

func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*q + 0.5)
	return sorted[min(i, len(sorted)-1)]
}

// closedLoop has every person send a message, wait until their peer has
// it, and send the next, as fast as the server lets them: no faster than
// perPerson messages a second each, the server's own limit for one person.
func (r *room) closedLoop(ctx context.Context, perPerson float64, warmup, duration time.Duration) (throughput, error) {
	ctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	errs := make(chan error, len(r.convs))
	gap := time.Duration(float64(time.Second) / perPerson)
	for _, c := range r.convs {
		wg.Go(func() {
			var last time.Time
			for {
				if wait := time.Until(last.Add(gap)); wait > 0 {
					select {
					case <-time.After(wait):
					case <-ctx.Done():
						return
					}
				}
				last = time.Now()
				c.nextSeq++
				if err := c.send(c.nextSeq); err != nil {
					errs <- err
					return
				}
				select {
				case <-c.arrived:
				case <-ctx.Done():
					return
				case <-time.After(30 * time.Second):
					errs <- fmt.Errorf("%s's message %d never reached %s", c.me.name, c.nextSeq, c.peer.name)
					return
				}
			}
		})
	}
	t, err := r.measure(ctx, warmup, duration)
	stop()
	wg.Wait()
	close(errs)
	for e := range errs {
		err = errors.Join(err, e)
	}
	return t, err
}

// openLoop sends rate messages a second, spread over everyone in turn,
// whatever the server's answers: the latency at that load.
func (r *room) openLoop(ctx context.Context, rate float64, warmup, duration time.Duration) (throughput, error) {
	ctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- r.dispatch(ctx, rate)
	}()
	t, err := r.measure(ctx, warmup, duration)
	stop()
	if derr := <-done; derr != nil && !errors.Is(derr, context.Canceled) {
		err = errors.Join(err, derr)
	}
	return t, err
}

// dispatch sends at rate until ctx ends. Sends to one socket go out one at
// a time; several workers keep a slow socket from holding up the rest.
func (r *room) dispatch(ctx context.Context, rate float64) error {
	const workers = 16
	queue := make(chan *conversation, 4096)
	var wg sync.WaitGroup
	var firstErr error
	var errOnce sync.Once
	for w := 0; w < workers; w++ {
		wg.Go(func() {
			for c := range queue {
				c.writeMu.Lock()
				c.nextSeq++
				seq := c.nextSeq
				c.writeMu.Unlock()
				if err := c.send(seq); err != nil {
					errOnce.Do(func() { firstErr = err })
				}
			}
		})
	}
	start := time.Now()
	sent, next := 0, 0
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case now := <-tick.C:
			due := int(rate * now.Sub(start).Seconds())
			for ; sent < due; sent++ {
				// Each person's sends stay in order: a person is handed
				// out again only after a full round of everyone.
				c := r.convs[next]
				next = (next + 1) % len(r.convs)
				select {
				case queue <- c:
				case <-ctx.Done():
					break loop
				}
			}
		}
	}
	close(queue)
	wg.Wait()
	return firstErr
}

// settle waits until every sent message has arrived, then reports what was
// missing or repeated.
func (r *room) settle(ctx context.Context) (sent, missing, duplicates int64) {
	deadline := time.Now().Add(10 * time.Second)
	for {
		sent, missing = 0, 0
		for _, c := range r.convs {
			peer := r.peerOf(c)
			sent += int64(c.nextSeq)
			missing += int64(c.nextSeq) - peer.lastFromPeer.Load()
		}
		missing -= r.tally.refused.Load()
		if missing <= 0 || time.Now().After(deadline) || ctx.Err() != nil {
			return sent, max(missing, 0) + r.tally.gaps.Load(), r.tally.duplicates.Load()
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func logf(o options, format string, args ...any) {
	if o.verbose {
		fmt.Fprintf(os.Stderr, format+"\n", args...)
	}
}
