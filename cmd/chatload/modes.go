package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// harness starts servers for a run: built once, started per phase, or the
// one given by -url.
type harness struct {
	o   options
	bin string
	tmp string
}

func newHarness(ctx context.Context, o options) (*harness, error) {
	h := &harness{o: o}
	if o.url != "" {
		return h, nil
	}
	var err error
	if h.tmp, err = os.MkdirTemp("", "chatload-"); err != nil {
		return nil, err
	}
	logf(o, "building the server")
	if h.bin, err = buildServer(ctx, h.tmp); err != nil {
		return nil, err
	}
	return h, nil
}

func (h *harness) close() {
	if h.tmp != "" {
		os.RemoveAll(h.tmp)
	}
}

// start returns the server for a phase, with the given synchronous mode.
func (h *harness) start(ctx context.Context, dataDir, sync string) (*server, error) {
	if h.o.url != "" {
		if sync != "FULL" {
			return nil, errors.New("-url: the FULL/NORMAL comparison needs chatload to start the server")
		}
		host := strings.TrimPrefix(h.o.url, "http://")
		if !strings.HasPrefix(host, "127.") && !strings.HasPrefix(host, "localhost") {
			return nil, fmt.Errorf("-url %s: load runs target loopback only", h.o.url)
		}
		return &server{url: "http://" + host, host: host, pid: h.o.pid}, nil
	}
	logf(h.o, "starting the server (synchronous=%s, data %s)", sync, dataDir)
	return startServer(ctx, h.bin, dataDir, sync)
}

// startFresh starts the server on a copy of the data directory's
// database: every measured run begins from the same state (the people and
// friendships, no messages), so runs compare and the base does not grow.
func (h *harness) startFresh(ctx context.Context, sync string) (*server, error) {
	if h.o.url != "" {
		return h.start(ctx, h.o.dataDir, sync)
	}
	run := filepath.Join(h.o.dataDir, "run")
	if err := os.RemoveAll(run); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(run, 0o700); err != nil {
		return nil, err
	}
	for _, name := range []string{"chat.db", "session.key"} {
		if err := copyFile(filepath.Join(h.o.dataDir, name), filepath.Join(run, name)); err != nil {
			return nil, err
		}
	}
	return h.start(ctx, run, sync)
}

// basePeople starts the server on the base data directory, logs n people
// in there (in befriended pairs if pairs), and stops it: measured runs
// then start on fresh copies of that database.
func (h *harness) basePeople(ctx context.Context, n int, pairs bool) ([]*person, error) {
	s, err := h.start(ctx, h.o.dataDir, "FULL")
	if err != nil {
		return nil, err
	}
	defer s.stop()
	return h.people(ctx, s, h.o.dataDir, n, pairs)
}

// latencyRun is the open loop at -rate, or at half the peak just measured,
// into r.
func latencyRun(ctx context.Context, o options, r *report, room *room, peak throughput) error {
	r.Rate = o.rate
	if r.Rate == 0 {
		r.Rate = peak.PerSecond / 2
	}
	logf(o, "open loop at %.0f msg/s for %v", r.Rate, o.duration)
	lat, err := room.openLoop(ctx, r.Rate, o.warmup, o.duration)
	r.Latency = &lat
	return err
}

func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o600)
}

// people returns n logged-in people on s, in befriended pairs if pairs.
func (h *harness) people(ctx context.Context, s *server, dataDir string, n int, pairs bool) ([]*person, error) {
	logf(h.o, "logging in %d people", n)
	people, err := ensurePeople(ctx, s, filepath.Join(dataDir, "chatload-sessions.json"), n, h.o.verbose)
	if err != nil {
		return nil, err
	}
	if pairs {
		logf(h.o, "making %d pairs of friends", n/2)
		if err := befriend(ctx, s, people); err != nil {
			return nil, err
		}
		logf(h.o, "read receipts %s", h.o.readReceipts)
		if err := setReadReceipts(ctx, s, people, h.o.readReceipts == "on"); err != nil {
			return nil, err
		}
	}
	return people, nil
}

// runSmoke is a short run that fails unless every message arrived exactly
// once: a few people, a few seconds, a fresh database.
func runSmoke(ctx context.Context, o options, r *report) error {
	h, err := newHarness(ctx, o)
	if err != nil {
		return err
	}
	defer h.close()
	dir := o.dataDir
	if o.url == "" {
		dir = filepath.Join(h.tmp, "data")
	}
	s, err := h.start(ctx, dir, "FULL")
	if err != nil {
		return err
	}
	defer s.stop()
	people, err := h.people(ctx, s, dir, 6, true)
	if err != nil {
		return err
	}
	room, err := openConversations(ctx, s, people, h.o.typing)
	if err != nil {
		return err
	}
	defer room.close()
	t, err := room.closedLoop(ctx, o.perPerson, 500*time.Millisecond, 2*time.Second)
	if err != nil {
		return err
	}
	sent, missing, dups := room.settle(ctx)
	r.Sockets, r.ReadReceipts, r.Typing, r.Full = len(people), o.readReceipts, o.typing, &t
	r.Smoke = &smokeResult{Sent: sent, Missing: missing, Duplicates: dups}
	if sent == 0 || missing != 0 || dups != 0 || room.tally.refused.Load() != 0 {
		r.print(os.Stdout)
		return fmt.Errorf("smoke: %d sent, %d missing, %d duplicated, %d refused", sent, missing, dups, room.tally.refused.Load())
	}
	return s.stop()
}

// throughputRun opens the conversations and measures closed-loop
// throughput, then runs more (f) on the same sockets.
func (h *harness) throughputRun(ctx context.Context, sync string, people []*person, more func(*server, *room, throughput) error) (throughput, error) {
	s, err := h.startFresh(ctx, sync)
	if err != nil {
		return throughput{}, err
	}
	defer s.stop()
	logf(h.o, "opening %d conversation sockets", len(people))
	room, err := openConversations(ctx, s, people, h.o.typing)
	if err != nil {
		return throughput{}, err
	}
	defer room.close()
	if h.o.cpuProfile != "" {
		room.profile = fmt.Sprintf("%s.%s.closed", h.o.cpuProfile, strings.ToLower(sync))
	}
	logf(h.o, "closed loop for %v (synchronous=%s)", h.o.duration, sync)
	t, err := room.closedLoop(ctx, h.o.perPerson, h.o.warmup, h.o.duration)
	if err != nil {
		return t, err
	}
	if _, missing, dups := room.settle(ctx); missing != 0 || dups != 0 {
		return t, fmt.Errorf("closed loop (%s): %d messages missing, %d duplicated", sync, missing, dups)
	}
	if more != nil {
		if err := more(s, room, t); err != nil {
			return t, err
		}
	}
	return t, s.stop()
}

// runAll measures every figure of the headline table in one run.
func runAll(ctx context.Context, o options, r *report) error {
	for _, sync := range []string{"FULL", "NORMAL"} {
		logf(o, "SQLite insert rates (synchronous=%s)", sync)
		os.MkdirAll(o.dataDir, 0o700)
		rates, err := measureSQLite(ctx, o.dataDir, sync, 2*time.Second)
		if err != nil {
			return err
		}
		r.SQLite = append(r.SQLite, rates)
	}
	h, err := newHarness(ctx, o)
	if err != nil {
		return err
	}
	defer h.close()
	people, err := h.basePeople(ctx, max(o.sockets, 2)&^1, true)
	if err != nil {
		return err
	}
	r.Sockets, r.ReadReceipts, r.Typing = len(people), o.readReceipts, o.typing

	full, err := h.throughputRun(ctx, "FULL", people, func(s *server, room *room, peak throughput) error {
		if err := latencyRun(ctx, o, r, room, peak); err != nil {
			return err
		}
		logf(o, "timing the chat page")
		page, err := timeChatPage(ctx, s, people[0], people[1], 1000)
		r.Page = &page
		return err
	})
	if err != nil {
		return err
	}
	r.Full = &full
	// FULL and NORMAL take turns, o.repeat runs each, so that drift on a
	// shared machine falls on both alike; the ratio is of the means.
	r.FullRuns = []float64{full.PerSecond}
	for i := 0; i < o.repeat; i++ {
		normal, err := h.throughputRun(ctx, "NORMAL", people, nil)
		if err != nil {
			return err
		}
		if r.Normal == nil {
			r.Normal = &normal
		}
		r.NormalRuns = append(r.NormalRuns, normal.PerSecond)
		if len(r.FullRuns) < o.repeat {
			again, err := h.throughputRun(ctx, "FULL", people, nil)
			if err != nil {
				return err
			}
			r.FullRuns = append(r.FullRuns, again.PerSecond)
		}
	}
	r.FullOverNor = mean(r.FullRuns) / mean(r.NormalRuns)
	if o.idle == 0 {
		return nil
	}
	return idleRuns(ctx, h, people, r)
}

// idleRuns holds o.idle sockets on the chat server, then on a bare pump.
func idleRuns(ctx context.Context, h *harness, people []*person, r *report) error {
	o := h.o
	s, err := h.startFresh(ctx, "FULL")
	if err != nil {
		return err
	}
	if limit := socketLimit(); o.idle > limit {
		fmt.Fprintf(os.Stderr, "the open-file limit allows %d sockets per process (raising it needs CAP_SYS_RESOURCE): holding %d instead of %d\n", limit, limit, o.idle)
		o.idle = limit
	}
	logf(o, "holding %d idle sockets on the chat server", o.idle)
	idle, err := holdIdle(ctx, s, people, "page=chats", o.idle, o)
	s.stop()
	if err != nil {
		return err
	}
	r.Idle = &idle
	if o.url != "" {
		return nil
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	bare, err := startBare(ctx, filepath.Join(h.tmp, "bare.log"), self)
	if err != nil {
		return err
	}
	defer bare.stop()
	logf(o, "holding %d idle sockets on a bare gorilla pump", o.idle)
	b, err := holdIdle(ctx, bare, nil, "", o.idle, o)
	if err != nil {
		return err
	}
	r.Bare = &b
	r.IdleRatio = idle.PerSocketKiB / b.PerSocketKiB
	return nil
}

func runIdle(ctx context.Context, o options, r *report) error {
	h, err := newHarness(ctx, o)
	if err != nil {
		return err
	}
	defer h.close()
	people, err := h.basePeople(ctx, min(o.idle, 10000), false)
	if err != nil {
		return err
	}
	return idleRuns(ctx, h, people, r)
}

// runLoad is -mode closed or open on its own.
func runLoad(ctx context.Context, o options, r *report) error {
	h, err := newHarness(ctx, o)
	if err != nil {
		return err
	}
	defer h.close()
	people, err := h.basePeople(ctx, max(o.sockets, 2)&^1, true)
	if err != nil {
		return err
	}
	r.Sockets, r.ReadReceipts, r.Typing = len(people), o.readReceipts, o.typing
	t, err := h.throughputRun(ctx, "FULL", people, func(_ *server, room *room, peak throughput) error {
		if o.mode != "open" {
			return nil
		}
		return latencyRun(ctx, o, r, room, peak)
	})
	r.Full = &t
	return err
}

// runSweep measures latency at each of -rates, for the plot.
func runSweep(ctx context.Context, o options, r *report) error {
	var rates []float64
	for _, f := range strings.Split(o.rates, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil {
			return fmt.Errorf("-rates: %w", err)
		}
		rates = append(rates, v)
	}
	h, err := newHarness(ctx, o)
	if err != nil {
		return err
	}
	defer h.close()
	people, err := h.basePeople(ctx, max(o.sockets, 2)&^1, true)
	if err != nil {
		return err
	}
	r.Sockets, r.ReadReceipts, r.Typing = len(people), o.readReceipts, o.typing
	s, err := h.startFresh(ctx, "FULL")
	if err != nil {
		return err
	}
	defer s.stop()
	room, err := openConversations(ctx, s, people, h.o.typing)
	if err != nil {
		return err
	}
	defer room.close()
	// Each pass goes through every rate, so that a noisy moment on a shared
	// machine shows as two passes disagreeing rather than as a bend in one.
	for pass := 1; pass <= max(o.repeat, 1); pass++ {
		for _, rate := range rates {
			if o.cpuProfile != "" {
				room.profile = fmt.Sprintf("%s.open%.0f.%d", o.cpuProfile, rate, pass)
			}
			logf(o, "pass %d: open loop at %.0f msg/s", pass, rate)
			t, err := room.openLoop(ctx, rate, o.warmup, o.duration)
			if err != nil {
				return err
			}
			r.Sweep = append(r.Sweep, sweepPoint{Pass: pass, Offered: rate, Result: t})
			room.settle(ctx)
		}
	}
	return nil
}

func mean(xs []float64) float64 {
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}
