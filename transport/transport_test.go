package transport

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// Many sockets, frames queued on them from many goroutines at once, some
// clients that never read, some that hang up, some the server closes: each
// reading client gets every frame once, in the order each sender sent
// them; the others are dropped; Close stops everything.
func TestManySendersAndClosingSocketsUnderLoad(t *testing.T) {
	before := runtime.NumGoroutine()
	// Pings every 100 ms: the idlers never answer and are dropped after
	// PongWait; the readers answer, so they stay however busy it gets.
	ts := newTestServer(t, Options{QueueSize: 1 << 20, PingPeriod: 100 * time.Millisecond, PongWait: 3 * time.Second})
	const readers, idlers, leavers, closed = 60, 20, 10, 10
	var all []*client
	for range readers {
		all = append(all, ts.dial(t, 0, true))
	}
	for range idlers {
		all = append(all, ts.dial(t, 2048, false))
	}
	for range leavers + closed {
		all = append(all, ts.dial(t, 0, true))
	}
	leaving, closing := all[readers+idlers:readers+idlers+leavers], all[readers+idlers+leavers:]

	const senders, each = 6, 120
	var wg sync.WaitGroup
	for k := range senders {
		wg.Go(func() {
			for i := range each {
				// Frames of up to 1 KiB fill the idlers' buffers soon.
				f := NewFrame([]byte(fmt.Sprintf("%d:%d:%s", k, i, strings.Repeat("x", rand.N(1024)))))
				for _, c := range all {
					c.sock.Send(f)
				}
				time.Sleep(time.Duration(rand.N(1000)) * time.Microsecond)
				if i == each/2 && k == 0 {
					for _, c := range leaving {
						c.conn.Close() // the page went away
					}
					for _, c := range closing {
						c.sock.Close(4000, "closed by the server")
					}
				}
			}
		})
	}
	wg.Wait()

	for i, c := range all[:readers] {
		c.waitFor("every frame", func(frames []string, _ error) bool { return len(frames) >= senders*each })
		next := make([]int, senders)
		for _, f := range c.frames {
			parts := strings.SplitN(f, ":", 3)
			k, _ := strconv.Atoi(parts[0])
			n, _ := strconv.Atoi(parts[1])
			if n != next[k] {
				t.Fatalf("reader %d: from sender %d got frame %d, want %d", i, k, n, next[k])
			}
			next[k]++
		}
		if len(c.frames) != senders*each {
			t.Errorf("reader %d got %d frames, want %d", i, len(c.frames), senders*each)
		}
	}
	for _, c := range closing {
		if code := c.closeCode(); code != 4000 {
			t.Errorf("a socket the server closed saw code %d, want 4000", code)
		}
	}
	for i, c := range append(slices.Clone(all[readers:readers+idlers]), leaving...) {
		select {
		case <-c.sock.gone:
		case <-time.After(30 * time.Second):
			t.Fatalf("socket %d of the idle or departed clients is still open", i)
		}
	}

	ts.pool.Close()
	for _, c := range all[:readers] {
		if code := c.closeCode(); code != CloseRestart {
			t.Errorf("on Close a reader saw code %d, want %d", code, CloseRestart)
		}
	}
	ts.Close()
	for _, c := range all {
		c.conn.Close()
	}
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > before+2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before+2 {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines after Close, %d before:\n%s", n, before, buf[:runtime.Stack(buf, true)])
	}
}

// Clients that stop reading must not hold up anyone else. 100 of them,
// with small buffers, that would be let take a minute to read anything
// (WriteWait), are sent a stream of 12 KB frames (a friend writing long
// messages) while two healthy sockets exchange short ones: the healthy
// ones get every frame while the others are stuck, and the others are
// dropped once their queues fill.
func TestSlowReadersDoNotHoldUpOthers(t *testing.T) {
	ts := newTestServer(t, Options{QueueSize: 128, WriteWait: time.Minute, PongWait: time.Minute})
	var slow []*client
	for range 100 {
		slow = append(slow, ts.dial(t, 2048, false))
	}
	healthy := []*client{ts.dial(t, 0, true), ts.dial(t, 0, true)}
	stop := streamTo(slow, 10*time.Millisecond)

	delays := exchange(healthy, 200)
	t.Logf("healthy sockets next to %d that read nothing: delivery p50 %v, p99 %v (not a pass/fail figure; BenchmarkSlowReaders compares)",
		len(slow), delays[len(delays)/2], delays[len(delays)*99/100])
	// The stream goes on until every slow socket has more queued than it
	// may: each is dropped.
	for i, c := range slow {
		select {
		case <-c.sock.gone:
		case <-time.After(30 * time.Second):
			t.Fatalf("slow socket %d was not dropped", i)
		}
	}
	stop()
	for _, c := range healthy {
		if c.closed != nil {
			t.Errorf("a healthy socket closed: %v", c.closed)
		}
	}
}

// streamTo sends 12 KB frames to the clients every interval until the
// returned function is called.
func streamTo(clients []*client, interval time.Duration) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		body := strings.Repeat("m", 12<<10)
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for i := 0; ; i++ {
			f := NewFrame([]byte(fmt.Sprint(i, ":", body)))
			for _, c := range clients {
				c.sock.Send(f)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

// exchange sends n short frames, 2 ms apart, to the healthy clients,
// waits until they have them all, in order, and returns how long each
// took to arrive, sorted.
func exchange(healthy []*client, n int) []time.Duration {
	start := make([]int, len(healthy))
	for i, c := range healthy {
		c.mu.Lock()
		start[i] = len(c.frames)
		c.mu.Unlock()
	}
	var sent []time.Time
	for i := range n {
		f := NewFrame([]byte(fmt.Sprint(i, ":", strings.Repeat("s", 200))))
		sent = append(sent, time.Now())
		for _, c := range healthy {
			c.sock.Send(f)
		}
		time.Sleep(2 * time.Millisecond)
	}
	var delays []time.Duration
	for k, c := range healthy {
		c.waitFor("every frame", func(frames []string, _ error) bool { return len(frames) >= start[k]+n })
		c.mu.Lock()
		for i := range n {
			if !strings.HasPrefix(c.frames[start[k]+i], fmt.Sprint(i, ":")) {
				c.t.Fatalf("frame %d is %.10q", i, c.frames[start[k]+i])
			}
			delays = append(delays, c.times[start[k]+i].Sub(sent[i]))
		}
		c.mu.Unlock()
	}
	slices.Sort(delays)
	return delays
}

// BenchmarkSlowReaders measures what the test above checks, side by side:
// the delivery latency of two healthy sockets alone, and next to 100
// clients that read nothing while a stream of 12 KB frames is sent to
// them. Each op is one short frame to the healthy pair.
func BenchmarkSlowReaders(b *testing.B) {
	for _, n := range []int{0, 100} {
		b.Run(fmt.Sprint("slow=", n), func(b *testing.B) {
			ts := newTestServer(b, Options{QueueSize: 1 << 20, WriteWait: time.Minute, PongWait: time.Minute})
			var slow []*client
			for range n {
				slow = append(slow, ts.dial(b, 2048, false))
			}
			healthy := []*client{ts.dial(b, 0, true), ts.dial(b, 0, true)}
			stop := streamTo(slow, 10*time.Millisecond)
			defer stop()
			var delays []time.Duration
			for b.Loop() {
				delays = append(delays, exchange(healthy, 1)...)
			}
			slices.Sort(delays)
			b.ReportMetric(float64(delays[len(delays)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(delays[len(delays)*99/100].Microseconds()), "p99-µs")
		})
	}
}

// A full queue closes the socket with "try again later", so the page
// reconnects and catches up, instead of making anyone wait.
func TestAFullQueueClosesWithTryAgain(t *testing.T) {
	ts := newTestServer(t, Options{QueueSize: 4, Writers: 1})
	c := ts.dial(t, 0, false)
	// The one writer is kept busy on another socket's frames meanwhile?
	// No need: queue five frames before any write can start by holding
	// the socket's state as a writer would.
	c.sock.state.Store(writing)
	for i := range 5 {
		c.sock.Send(NewFrame([]byte(fmt.Sprint(i))))
	}
	c.sock.turn()
	go c.read()
	if code := c.closeCode(); code != CloseTryAgain {
		t.Errorf("closed with %d, want %d", code, CloseTryAgain)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.frames) != 0 {
		t.Errorf("got %q before the close; the queue is dropped", c.frames)
	}
}

func TestReadLimitAndOrigin(t *testing.T) {
	ts := newTestServer(t, Options{ReadLimit: 1024})
	c := ts.dial(t, 0, true)
	if err := c.conn.WriteMessage(websocket.TextMessage, make([]byte, 2048)); err != nil {
		t.Fatal(err)
	}
	if code := c.closeCode(); code != CloseTooBig {
		t.Errorf("an oversized frame closed the socket with %d, want %d", code, CloseTooBig)
	}

	u := "ws" + strings.TrimPrefix(ts.URL, "http")
	for _, origin := range []string{"https://evil.example", "", "null"} {
		h := map[string][]string{}
		if origin != "" {
			h["Origin"] = []string{origin}
		}
		_, resp, err := websocket.DefaultDialer.Dial(u, h)
		if err == nil || resp == nil || resp.StatusCode != 403 {
			t.Errorf("Origin %q: err %v, response %v; want 403", origin, err, resp)
		}
	}
}

func TestCloseRefusesNewSockets(t *testing.T) {
	ts := newTestServer(t, Options{})
	c := ts.dial(t, 0, true)
	ts.pool.Close()
	if code := c.closeCode(); code != CloseRestart {
		t.Errorf("an open socket closed with %d, want %d", code, CloseRestart)
	}
	u := "ws" + strings.TrimPrefix(ts.URL, "http")
	conn, _, err := websocket.DefaultDialer.Dial(u, map[string][]string{"Origin": {ts.URL}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_, _, err = conn.ReadMessage()
	if ce, ok := err.(*websocket.CloseError); !ok || ce.Code != CloseRestart {
		t.Errorf("a socket opened after Close got %v, want close %d", err, CloseRestart)
	}
}

// Sockets that open at the same moment, as every page does when it
// reconnects after a restart, are pinged spread over the period, each
// once, instead of all in one burst.
func TestPingsOfSocketsOpenedTogetherAreSpread(t *testing.T) {
	p := newPool(Options{})
	const sockets = 1200
	for range sockets {
		if _, ok := p.add(nil); !ok {
			t.Fatal("refused")
		}
	}
	ticks := int(p.opts.PingPeriod / pingTick)
	fair := sockets / ticks // pings per tick if perfectly even
	start := time.Now()
	total, busiest := 0, 0
	// The ticks of one period: every socket is due exactly once.
	for k := 1; k <= ticks; k++ {
		n := p.markPings(start.Add(time.Duration(k) * pingTick))
		total += n
		busiest = max(busiest, n)
	}
	if total != sockets {
		t.Errorf("%d pings over one period for %d sockets, want one each", total, sockets)
	}
	// Random first pings: a tick gets about fair of them; four times that
	// is far out in the tail (all at once would be 1200).
	if busiest > 4*fair {
		t.Errorf("one tick pinged %d sockets; even spread is %d a tick", busiest, fair)
	}
	if got := len(p.ready); got != sockets {
		t.Errorf("%d sockets waiting for a writer, want %d", got, sockets)
	}
}
