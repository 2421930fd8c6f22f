// Command chatload measures the chat server the way browsers use it.
//
// It signs people up (or reuses them) through the real forms, makes them
// friends, opens their pages' websockets with the session cookie and this
// site's Origin, sends messages with the same ws-send JSON the composer
// sends (client ids included), and times each message from send to its
// arrival on the other person's socket. The server runs as its own process:
// chatload builds and starts it (or measures one given by -url and -pid).
//
// Modes:
//
//	all     the headline: SQLite insert rates, throughput at FULL and
//	        NORMAL, latency at half the peak, the chat page, idle sockets
//	        against a bare gorilla pump
//	smoke   a few people for a few seconds; fails unless every message
//	        arrived exactly once (run by CI)
//	idle    hold -idle sockets, report memory per socket
//	closed  closed-loop throughput with -sockets sockets
//	open    open-loop at -rate messages a second: latency
//	sweep   open-loop at several rates, for docs/latency.svg
//	crash   kill the server (SIGKILL) -kills times while people send, and
//	        check that every acknowledged message was stored once,
//	        unchanged; fails on any loss (run by CI with -kills 3)
//
// Everything targets loopback, is bounded by -timeout and stops by itself.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"runtime/debug"
	"time"
)

type options struct {
	mode       string
	url        string
	pid        int
	dataDir    string
	sockets    int
	idle       int
	duration   time.Duration
	warmup     time.Duration
	rate       float64
	perPerson  float64
	repeat     int
	rates      string
	jsonOut    string
	timeout    time.Duration
	verbose    bool
	cpuProfile string
	bare       string // internal: run the bare pump server on this address
	kills      int
	seed       uint64
	// readReceipts is "on" or "off": the chatting people's setting.
	readReceipts string
	// typing sends a typing frame before every message.
	typing bool
}

func main() {
	quietCollector()
	var o options
	flag.StringVar(&o.mode, "mode", "all", "all, smoke, idle, closed, open, sweep or crash")
	flag.StringVar(&o.url, "url", "", "measure the server at this loopback URL instead of starting one (give -pid for memory and CPU)")
	flag.IntVar(&o.pid, "pid", 0, "process id of the server given by -url")
	flag.StringVar(&o.dataDir, "data", "data/load", "data directory of the started server; people created here are reused")
	flag.IntVar(&o.sockets, "sockets", 10000, "sockets open during throughput and latency runs (two per conversation)")
	flag.IntVar(&o.idle, "idle", 50000, "sockets held by the idle run (0: no idle run)")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "length of each measured run")
	flag.DurationVar(&o.warmup, "warmup", 2*time.Second, "time before each run is measured")
	flag.Float64Var(&o.rate, "rate", 0, "open-loop rate in messages a second (0: half the measured peak)")
	flag.IntVar(&o.repeat, "repeat", 2, "closed-loop runs of each synchronous mode in -mode all, taking turns; passes over -rates in -mode sweep")
	flag.Float64Var(&o.perPerson, "per-person", 10, "most messages a second one person sends in the closed loop (the server refuses more)")
	flag.StringVar(&o.rates, "rates", "1000,2000,4000,6000,8000,10000,12000", "rates for -mode sweep")
	flag.StringVar(&o.jsonOut, "json", "", "also write the figures as JSON to this file")
	flag.DurationVar(&o.timeout, "timeout", 30*time.Minute, "stop everything after this long")
	flag.BoolVar(&o.verbose, "v", false, "say what each phase does")
	flag.StringVar(&o.cpuProfile, "cpuprofile", "", "save CPU profiles of the server's measured windows under this prefix")
	flag.StringVar(&o.bare, "bare-server", "", "internal: serve a bare gorilla read+write pump on this address")
	flag.IntVar(&o.kills, "kills", 20, "times -mode crash kills the server")
	flag.Uint64Var(&o.seed, "seed", 0, "seed of -mode crash's random kill moments (0: a new one, printed)")
	flag.StringVar(&o.readReceipts, "read-receipts", "on", "the chatting people's read receipts setting: on or off")
	flag.BoolVar(&o.typing, "typing", true, "send a typing frame before every message, as a page does while its person types")
	flag.Parse()
	if o.readReceipts != "on" && o.readReceipts != "off" {
		log.Fatalf("-read-receipts is on or off, not %q", o.readReceipts)
	}
	log.SetFlags(log.Ltime)

	if o.bare != "" {
		if err := serveBare(o.bare); err != nil {
			log.Fatal(err)
		}
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()

	if err := run(ctx, o); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("stopped after -timeout %v: %w", o.timeout, err)
		}
		log.Fatal(err)
	}
}

func run(ctx context.Context, o options) error {
	if o.mode != "smoke" {
		if err := raiseFileLimit(max(o.idle, o.sockets) + 4096); err != nil {
			log.Printf("could not raise the open-file limit: %v", err)
		}
	}
	r := &report{Machine: machine(), SpeedBefore: cpuSpeed()}
	var err error
	switch o.mode {
	case "smoke":
		err = runSmoke(ctx, o, r)
	case "all":
		err = runAll(ctx, o, r)
	case "idle":
		err = runIdle(ctx, o, r)
	case "closed", "open":
		err = runLoad(ctx, o, r)
	case "sweep":
		err = runSweep(ctx, o, r)
	case "crash":
		err = runCrash(ctx, o, r)
	default:
		err = fmt.Errorf("unknown -mode %q", o.mode)
	}
	if err != nil {
		return err
	}
	r.SpeedAfter = cpuSpeed()
	r.print(os.Stdout)
	if o.jsonOut != "" {
		if err := r.writeJSON(o.jsonOut); err != nil {
			return err
		}
	}
	if r.Crash != nil {
		return r.Crash.failed()
	}
	return nil
}

// quietCollector keeps the generator's own garbage collector out of the
// measured windows: its pauses stop the socket readers, and a paused reader
// stamps a message late, which reads as server latency (traced: a quarter
// of the messages over 8 ms at 8,200 msg/s arrived during one of its cycles).
// Unless GOGC is set, it collects only when its heap nears 2 GiB (a window
// allocates a few hundred MB) and before each window (see measure).
func quietCollector() {
	if os.Getenv("GOGC") != "" {
		return
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(2 << 30)
}
