package hub

import (
	"fmt"
	"slices"
	"testing"
	"testing/synctest"
	"time"
)

// tab is the test's own kind of tab: a name.
type tab struct{ name string }

func register(t *testing.T, h *Hub[*tab], user int64, pair Pair, group int64, name string) *tab {
	t.Helper()
	tb := &tab{name}
	if err := h.Register(tb, user, pair, group); err != nil {
		t.Fatal(err)
	}
	return tb
}

// names lists the tabs Each gives for user, sorted.
func names(h *Hub[*tab], user int64) []string {
	var out []string
	h.Each(user, func(t *tab) { out = append(out, t.name) })
	slices.Sort(out)
	return out
}

func TestPairIsTheSameFromEitherSide(t *testing.T) {
	for _, c := range [][2]int64{{1, 2}, {2, 1}, {7, 300}, {300, 7}} {
		p := PairOf(c[0], c[1])
		if p != PairOf(c[1], c[0]) {
			t.Errorf("PairOf(%d,%d) = %v, PairOf(%d,%d) = %v", c[0], c[1], p, c[1], c[0], PairOf(c[1], c[0]))
		}
		if p.Low > p.High {
			t.Errorf("%v is not sorted", p)
		}
	}
}

func TestEachReachesExactlyTheUsersTabs(t *testing.T) {
	h := New[*tab](Options{})
	ab := PairOf(1, 2)
	a1 := register(t, h, 1, ab, 10, "A on A-B")
	register(t, h, 1, Pair{}, 10, "A on the chat list")
	register(t, h, 1, PairOf(1, 3), 11, "A on A-C")
	bTab := register(t, h, 2, PairOf(2, 1), 12, "B on B-A")
	register(t, h, 3, PairOf(3, 1), 13, "C on C-A")
	// Seen only where the browser shows the tab.
	if h.Viewing(1, ab) || h.Viewing(2, ab) {
		t.Error("a hidden tab counts as seeing its conversation")
	}
	for _, tb := range []*tab{a1, bTab} {
		if !h.SetVisible(tb, true) || h.SetVisible(tb, true) {
			t.Errorf("SetVisible(%s) does not report the change once", tb.name)
		}
	}

	if got := names(h, 1); !slices.Equal(got, []string{"A on A-B", "A on A-C", "A on the chat list"}) {
		t.Errorf("user 1's tabs: %q", got)
	}
	if got := names(h, 2); !slices.Equal(got, []string{"B on B-A"}) {
		t.Errorf("user 2's tabs: %q", got)
	}
	if got := names(h, 9); len(got) != 0 {
		t.Errorf("a user with no tab: %q", got)
	}
	if !h.Viewing(1, ab) || !h.Viewing(2, ab) || h.Viewing(3, ab) {
		t.Errorf("Viewing A-B: A %v B %v C %v; want true true false", h.Viewing(1, ab), h.Viewing(2, ab), h.Viewing(3, ab))
	}

	h.Unregister(a1)
	if got := names(h, 1); !slices.Equal(got, []string{"A on A-C", "A on the chat list"}) {
		t.Errorf("after unregistering: %q", got)
	}
	if h.Viewing(1, ab) || !h.Viewing(2, ab) {
		t.Errorf("after A left A-B: Viewing A %v B %v; want false true", h.Viewing(1, ab), h.Viewing(2, ab))
	}
	h.Unregister(a1) // twice is harmless
}

func TestGroupIsOneLoginsTabs(t *testing.T) {
	h := New[*tab](Options{})
	register(t, h, 1, Pair{}, 10, "login 10, first tab")
	register(t, h, 1, PairOf(1, 2), 10, "login 10, second tab")
	register(t, h, 1, Pair{}, 11, "login 11")
	register(t, h, 2, Pair{}, 12, "another person")
	var got []string
	for _, tb := range h.Group(10) {
		got = append(got, tb.name)
	}
	slices.Sort(got)
	if !slices.Equal(got, []string{"login 10, first tab", "login 10, second tab"}) {
		t.Errorf("group 10: %q", got)
	}
}

func TestStopReturnsEveryTabAndLeavesNoGoroutine(t *testing.T) {
	// synctest fails the test if any goroutine started inside the bubble
	// is still blocked when the function returns.
	synctest.Test(t, func(t *testing.T) {
		presence := make(chan int64) // nobody reads: Stop must not hang on it
		h := New[*tab](Options{OfflineAfter: time.Minute, Presence: presence})
		go func() { <-presence; <-presence; <-presence }() // the three coming online
		a := register(t, h, 1, PairOf(1, 2), 10, "a")
		b := register(t, h, 2, PairOf(1, 2), 11, "b")
		gone := register(t, h, 3, Pair{}, 12, "c")
		h.Unregister(gone) // leaves a pending offline announcement
		synctest.Wait()

		left := h.Stop()
		slices.SortFunc(left, func(x, y *tab) int { return int(x.name[0]) - int(y.name[0]) })
		if len(left) != 2 || left[0] != a || left[1] != b {
			t.Errorf("Stop returned %v, want a and b", left)
		}
		if err := h.Register(&tab{"late"}, 4, Pair{}, 13); err != ErrStopped {
			t.Errorf("Register after Stop = %v, want ErrStopped", err)
		}
		if again := h.Stop(); len(again) != 0 {
			t.Errorf("a second Stop returned %v", again)
		}
		// Nothing blocks after Stop.
		h.Unregister(a)
		h.Unregister(b)
		time.Sleep(2 * time.Minute)
	})
}

func TestPresence(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		presence := make(chan int64, 10)
		h := New[*tab](Options{OfflineAfter: 3 * time.Second, Presence: presence})
		took := func() []string {
			synctest.Wait()
			var got []string
			for {
				select {
				case user := <-presence:
					got = append(got, fmt.Sprintf("%d:%v", user, h.Online(user)))
				default:
					return got
				}
			}
		}

		tab1 := register(t, h, 7, Pair{}, 1, "tab1")
		if got := took(); !slices.Equal(got, []string{"7:true"}) {
			t.Fatalf("first tab announced %v", got)
		}
		tab2 := register(t, h, 7, Pair{}, 1, "tab2")
		h.Unregister(tab1)
		if got := took(); len(got) != 0 || !h.Online(7) {
			t.Fatalf("second tab / closing one of two: announced %v, online %v", got, h.Online(7))
		}

		// A reload: the last tab closes and a new one opens within the
		// grace period. No flicker.
		h.Unregister(tab2)
		time.Sleep(time.Second)
		tab3 := register(t, h, 7, Pair{}, 1, "tab3")
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
		h.Stop()
	})
}

// BenchmarkEachOfAPair visits the tabs of both people of a conversation,
// three each, as the live layer does for every message.
func BenchmarkEachOfAPair(b *testing.B) {
	h := New[*tab](Options{})
	p := PairOf(1, 2)
	for _, user := range []int64{1, 2} {
		for i := range 3 {
			if err := h.Register(&tab{fmt.Sprint(user, i)}, user, p, user); err != nil {
				b.Fatal(err)
			}
		}
	}
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		for _, user := range []int64{p.Low, p.High} {
			h.Each(user, func(*tab) { n++ })
		}
	}
	if n != 6*b.N {
		b.Fatalf("visited %d tabs, want %d", n, 6*b.N)
	}
}
