package hub

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

func TestPairIsTheSameFromEitherSide(t *testing.T) {
	for _, c := range [][2]int64{{1, 2}, {2, 1}, {7, 300}, {300, 7}} {
		p := PairOf(c[0], c[1])
		if p != PairOf(c[1], c[0]) {
			t.Errorf("PairOf(%d,%d) = %v, PairOf(%d,%d) = %v", c[0], c[1], p, c[1], c[0], PairOf(c[1], c[0]))
		}
		if p.Low > p.High {
			t.Errorf("%v is not sorted", p)
		}
		if p.Other(c[0]) != c[1] || p.Other(c[1]) != c[0] {
			t.Errorf("%v.Other is wrong", p)
		}
	}
}

// conn registers a connection and returns it.
func conn(t *testing.T, h *Hub, user int64, pair Pair, name string) *Conn {
	t.Helper()
	c := h.NewConn()
	c.User, c.Pair, c.Data = user, pair, name
	if err := h.Register(c); err != nil {
		t.Fatal(err)
	}
	return c
}

// drain returns the frames waiting on c.
func drain(c *Conn) []string {
	var got []string
	for _, f := range c.Take() {
		got = append(got, string(f.Data()))
	}
	return got
}

func frame(s string) *Frame { return NewFrame([]byte(s)) }

func all(f *Frame) func(*Conn) *Frame { return func(*Conn) *Frame { return f } }

// publishToPair offers each connection on conversation p, of either person,
// the frame pick chooses, as the server does for a new message: one Publish
// to each person, picking by the connection's conversation.
func publishToPair(h *Hub, p Pair, pick func(*Conn) *Frame) {
	for _, user := range []int64{p.Low, p.High} {
		h.Publish(user, func(c *Conn) *Frame {
			if c.Pair != p {
				return nil
			}
			return pick(c)
		})
	}
}

func TestFanOutReachesExactlyTheRightConnections(t *testing.T) {
	h := New(Options{})
	ab := PairOf(1, 2)
	aTab1 := conn(t, h, 1, ab, "A on A-B")
	aTab2 := conn(t, h, 1, Pair{}, "A on the chat list")
	aTab3 := conn(t, h, 1, PairOf(1, 3), "A on A-C")
	bTab := conn(t, h, 2, PairOf(2, 1), "B on B-A")
	cTab := conn(t, h, 3, PairOf(3, 1), "C on C-A")
	dTab := conn(t, h, 4, PairOf(3, 4), "D on D-C")
	everyone := []*Conn{aTab1, aTab2, aTab3, bTab, cTab, dTab}

	check := func(what string, want map[*Conn][]string) {
		t.Helper()
		for _, c := range everyone {
			if got := drain(c); !slices.Equal(got, want[c]) {
				t.Errorf("%s: %s got %q, want %q", what, c.Data, got, want[c])
			}
		}
	}

	h.Publish(1, all(frame("to A")))
	check("Publish to user 1", map[*Conn][]string{aTab1: {"to A"}, aTab2: {"to A"}, aTab3: {"to A"}})

	publishToPair(h, PairOf(2, 1), all(frame("in A-B")))
	check("to pair (B, A)", map[*Conn][]string{aTab1: {"in A-B"}, bTab: {"in A-B"}})

	// pick chooses per connection: here, one frame per viewer.
	publishToPair(h, ab, func(c *Conn) *Frame {
		if c.User == 1 {
			return frame("mine")
		}
		return frame("theirs")
	})
	check("per-viewer frames", map[*Conn][]string{aTab1: {"mine"}, bTab: {"theirs"}})

	h.Publish(1, func(c *Conn) *Frame {
		if c.Pair == ab {
			return nil
		}
		return frame("not on A-B")
	})
	check("pick skips", map[*Conn][]string{aTab2: {"not on A-B"}, aTab3: {"not on A-B"}})

	h.Unregister(aTab1)
	publishToPair(h, ab, all(frame("after A left")))
	check("after unregister", map[*Conn][]string{bTab: {"after A left"}})
	if h.Viewing(1, ab) || !h.Viewing(2, ab) || h.Viewing(3, ab) {
		t.Errorf("Viewing: A %v B %v C %v; want false true false", h.Viewing(1, ab), h.Viewing(2, ab), h.Viewing(3, ab))
	}
}

// A connection whose writer is stuck must not hold up the others: its
// queue fills, it is asked to close as too slow, and everyone else gets
// every frame.
func TestABlockedConnectionDoesNotDelayOthers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := New(Options{QueueSize: 4})
		stuck := conn(t, h, 1, Pair{}, "stuck")
		var received [3][]string
		var wg sync.WaitGroup
		for i := range received {
			c := conn(t, h, 1, Pair{}, fmt.Sprint("reader", i))
			ready := make(chan struct{}, 1)
			c.Wake = func() {
				select {
				case ready <- struct{}{}:
				default:
				}
			}
			wg.Go(func() {
				for range ready {
					for _, f := range c.Take() {
						received[i] = append(received[i], string(f.Data()))
						if string(f.Data()) == "last" {
							return
						}
					}
				}
			})
		}
		const n = 50
		start := time.Now()
		for i := 0; i < n; i++ {
			h.Publish(1, all(frame(fmt.Sprint(i))))
			synctest.Wait() // let the readers keep up, as fast writers would
		}
		h.Publish(1, all(frame("last")))
		if d := time.Since(start); d != 0 {
			t.Errorf("publishing waited %v", d)
		}
		wg.Wait()
		for i, got := range received {
			if len(got) != n+1 {
				t.Errorf("reader %d got %d frames, want %d", i, len(got), n+1)
			}
		}
		select {
		case <-stuck.Done():
			if code, _ := stuck.CloseCode(); code != CloseSlow {
				t.Errorf("stuck connection closed with %d, want %d", code, CloseSlow)
			}
		default:
			t.Error("the stuck connection was not asked to close")
		}
	})
}

func TestStopClosesEverythingAndLeavesNoGoroutine(t *testing.T) {
	// synctest fails the test if any goroutine started inside the bubble
	// is still blocked when the function returns.
	synctest.Test(t, func(t *testing.T) {
		h := New(Options{OfflineAfter: time.Minute})
		ctx, cancel := context.WithCancel(context.Background())
		stopped := make(chan struct{})
		go func() {
			h.Run(ctx)
			close(stopped)
		}()
		a := conn(t, h, 1, PairOf(1, 2), "a")
		b := conn(t, h, 2, PairOf(1, 2), "b")
		gone := conn(t, h, 3, Pair{}, "c")
		h.Unregister(gone) // leaves a pending offline timer

		cancel()
		<-stopped
		for _, c := range []*Conn{a, b} {
			select {
			case <-c.Done():
				if code, _ := c.CloseCode(); code != CloseRestart {
					t.Errorf("%s closed with %d, want %d", c.Data, code, CloseRestart)
				}
			default:
				t.Errorf("%s not asked to close", c.Data)
			}
		}
		if err := h.Register(h.NewConn()); err != ErrStopped {
			t.Errorf("Register after stop = %v, want ErrStopped", err)
		}
		// Nothing blocks after stop.
		h.Publish(1, all(frame("late")))
		h.Unregister(a)
		h.Unregister(b)
	})
}

func TestPresence(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var events []string
		var h *Hub
		h = New(Options{OfflineAfter: 3 * time.Second, OnPresence: func(user int64) {
			mu.Lock()
			defer mu.Unlock()
			events = append(events, fmt.Sprintf("%d:%v", user, h.Online(user)))
		}})
		took := func() []string {
			synctest.Wait()
			mu.Lock()
			defer mu.Unlock()
			e := events
			events = nil
			return e
		}

		tab1 := conn(t, h, 7, Pair{}, "tab1")
		if got := took(); !slices.Equal(got, []string{"7:true"}) {
			t.Fatalf("first connection announced %v", got)
		}
		tab2 := conn(t, h, 7, Pair{}, "tab2")
		h.Unregister(tab1)
		if got := took(); len(got) != 0 || !h.Online(7) {
			t.Fatalf("second tab / closing one of two: announced %v, online %v", got, h.Online(7))
		}

		// A reload: the last tab closes and a new one opens within the
		// grace period. No flicker.
		h.Unregister(tab2)
		time.Sleep(time.Second)
		tab3 := conn(t, h, 7, Pair{}, "tab3")
		time.Sleep(10 * time.Second)
		if got := took(); len(got) != 0 || !h.Online(7) {
			t.Fatalf("reload announced %v, online %v", got, h.Online(7))
		}

		// Closing the last tab: offline after the grace period, not before.
		h.Unregister(tab3)
		time.Sleep(2 * time.Second)
		if got := took(); len(got) != 0 || !h.Online(7) {
			t.Fatalf("offline too early: %v", got)
		}
		time.Sleep(2 * time.Second)
		if got := took(); !slices.Equal(got, []string{"7:false"}) {
			t.Fatalf("after the grace period announced %v", got)
		}
		if h.Online(7) || h.Connected(7) {
			t.Error("still online")
		}
	})
}

func TestCloseGroupClosesOnlyThatGroup(t *testing.T) {
	h := New(Options{})
	mk := func(user, group int64) *Conn {
		c := h.NewConn()
		c.User, c.Group = user, group
		if err := h.Register(c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	loginA1, loginA1b, loginA2, loginB := mk(1, 10), mk(1, 10), mk(1, 11), mk(2, 12)
	h.CloseGroup(10, 4001, "logged out")
	for c, want := range map[*Conn]bool{loginA1: true, loginA1b: true, loginA2: false, loginB: false} {
		select {
		case <-c.Done():
			if !want {
				t.Errorf("group %d closed", c.Group)
			} else if code, _ := c.CloseCode(); code != 4001 {
				t.Errorf("closed with %d", code)
			}
		default:
			if want {
				t.Errorf("group %d not closed", c.Group)
			}
		}
	}
}

// BenchmarkPublishToPair fans a message out to a conversation whose two
// people have three tabs each open on it, and each person's frame to
// their own tabs, as the server does: one Publish to each person.
func BenchmarkPublishToPair(b *testing.B) {
	h := New(Options{QueueSize: 1 << 20})
	p := PairOf(1, 2)
	var conns []*Conn
	for _, user := range []int64{1, 2} {
		for tab := 0; tab < 3; tab++ {
			c := h.NewConn()
			c.User, c.Pair = user, p
			if err := h.Register(c); err != nil {
				b.Fatal(err)
			}
			conns = append(conns, c)
		}
	}
	mine, theirs := frame("mine"), frame("theirs")
	pick := func(c *Conn) *Frame {
		if c.User == 1 {
			return mine
		}
		return theirs
	}
	b.ReportAllocs()
	for b.Loop() {
		publishToPair(h, p, pick)
		for _, c := range conns {
			c.Take()
		}
	}
}

func TestLazyFrameIsMadeOnceAndCutForKnownMessages(t *testing.T) {
	made := 0
	f := NewLazyFrame(7, func() ([]byte, int) {
		made++
		return []byte("list+message"), len("list")
	})
	if made != 0 {
		t.Fatal("made before it was needed")
	}
	if string(f.Data()) != "list+message" || string(f.Known()) != "list" || made != 1 {
		t.Errorf("Data %q Known %q, made %d times", f.Data(), f.Known(), made)
	}
	if k := f.Known(); cap(k) != len(k) {
		t.Error("Known can be appended to, over Data")
	}
}
