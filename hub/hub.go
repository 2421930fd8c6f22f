// Package hub keeps track of who is connected to what: each live
// connection (a browser tab; its type T is the owner's) by the user it
// belongs to, the conversation it has open and the login it came from.
// It says who is online, telling its owner on a channel each time that
// changes, and lets the owner reach every tab of a user.
//
// The hub knows nothing of HTTP, SQL, sessions or sockets: it holds the
// owner's tabs and never writes to them.
package hub

import (
	"errors"
	"sync"
	"time"
)

// ErrStopped is returned by Register once the hub has stopped.
var ErrStopped = errors.New("hub: stopped")

// Pair identifies the conversation between two users: their ids in sorted
// order, so A's view and B's view of it are the same key.
type Pair struct{ Low, High int64 }

// PairOf returns the conversation key of a and b, in either order.
func PairOf(a, b int64) Pair {
	if a > b {
		a, b = b, a
	}
	return Pair{a, b}
}

// Options tune a hub. The zero value is usable.
type Options struct {
	// OfflineAfter is how long a user with no tab left still counts as
	// online, so a page reload does not flicker them offline and back
	// (default 3s).
	OfflineAfter time.Duration
	// Presence, if set, receives the id of each user whose online state
	// changed; Online says the new state. The hub waits while it is full,
	// so its reader must keep up until Stop returns.
	Presence chan<- int64
}

// Hub is the registry of live tabs.
type Hub[T comparable] struct {
	opts Options

	mu      sync.RWMutex
	stopped bool
	done    chan struct{} // closed by Stop
	tabs    map[T]place
	users   map[int64]*userTabs[T]
	pairs   map[Pair]map[T]struct{}
	// timers announce users going offline after OfflineAfter; Stop waits
	// for them.
	timers sync.WaitGroup
}

// place is where a tab belongs, and whether the browser shows it.
type place struct {
	user    int64
	pair    Pair
	group   int64
	visible bool
}

type userTabs[T comparable] struct {
	tabs   map[T]struct{}
	online bool        // as last announced
	timer  *time.Timer // pending offline announcement
}

// New returns a running hub; Stop ends it.
func New[T comparable](opts Options) *Hub[T] {
	if opts.OfflineAfter <= 0 {
		opts.OfflineAfter = 3 * time.Second
	}
	return &Hub[T]{
		opts:  opts,
		done:  make(chan struct{}),
		tabs:  map[T]place{},
		users: map[int64]*userTabs[T]{},
		pairs: map[Pair]map[T]struct{}{},
	}
}

// Register adds tab t of user, with conversation pair open (zero if none),
// from login group, hidden until SetVisible. The user comes online if this
// is their first tab.
func (h *Hub[T]) Register(t T, user int64, pair Pair, group int64) error {
	h.mu.Lock()
	if h.stopped {
		h.mu.Unlock()
		return ErrStopped
	}
	h.tabs[t] = place{user: user, pair: pair, group: group}
	u := h.users[user]
	if u == nil {
		u = &userTabs[T]{tabs: map[T]struct{}{}}
		h.users[user] = u
	}
	u.tabs[t] = struct{}{}
	if pair != (Pair{}) {
		set := h.pairs[pair]
		if set == nil {
			set = map[T]struct{}{}
			h.pairs[pair] = set
		}
		set[t] = struct{}{}
	}
	if u.timer != nil {
		// Back within the grace period: they never went offline.
		if u.timer.Stop() {
			h.timers.Done()
		}
		u.timer = nil
	}
	announce := !u.online
	u.online = true
	h.mu.Unlock()

	if announce {
		h.announce(user)
	}
	return nil
}

// Unregister removes t. When it was its user's last tab, they go offline
// after OfflineAfter unless a tab of theirs registers meanwhile.
func (h *Hub[T]) Unregister(t T) {
	h.mu.Lock()
	defer h.mu.Unlock()
	p, ok := h.tabs[t]
	if !ok {
		return
	}
	delete(h.tabs, t)
	if set := h.pairs[p.pair]; set != nil {
		delete(set, t)
		if len(set) == 0 {
			delete(h.pairs, p.pair)
		}
	}
	u := h.users[p.user]
	delete(u.tabs, t)
	if len(u.tabs) > 0 || h.stopped {
		return
	}
	h.timers.Add(1)
	user := p.user
	u.timer = time.AfterFunc(h.opts.OfflineAfter, func() {
		defer h.timers.Done()
		h.goOffline(user)
	})
}

// goOffline announces that user went offline if they still have no tab.
func (h *Hub[T]) goOffline(user int64) {
	h.mu.Lock()
	u := h.users[user]
	if u == nil || len(u.tabs) > 0 || h.stopped {
		h.mu.Unlock()
		return
	}
	delete(h.users, user)
	h.mu.Unlock()
	h.announce(user)
}

// announce tells the owner that user's online state changed.
func (h *Hub[T]) announce(user int64) {
	if h.opts.Presence == nil {
		return
	}
	select {
	case h.opts.Presence <- user:
	case <-h.done:
	}
}

// Online reports whether user counts as online: a tab open now, or within
// the grace period after their last one closed.
func (h *Hub[T]) Online(user int64) bool {
	h.mu.RLock()
	defer h.mu.RUnlock()
	u := h.users[user]
	return u != nil && u.online
}

// SetVisible records whether the browser shows tab t, and reports
// whether that changed.
func (h *Hub[T]) SetVisible(t T, visible bool) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	p, ok := h.tabs[t]
	if !ok || p.visible == visible {
		return false
	}
	p.visible = visible
	h.tabs[t] = p
	return true
}

// Viewing reports whether user sees conversation p: open in a tab the
// browser shows.
func (h *Hub[T]) Viewing(user int64, p Pair) bool {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for t := range h.pairs[p] {
		if place := h.tabs[t]; place.user == user && place.visible {
			return true
		}
	}
	return false
}

// Each calls fn with every tab of user at this moment. fn runs under the
// hub's read lock: it must not block or call the hub.
func (h *Hub[T]) Each(user int64, fn func(T)) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if u := h.users[user]; u != nil {
		for t := range u.tabs {
			fn(t)
		}
	}
}

// Group returns the tabs registered from login group.
func (h *Hub[T]) Group(group int64) []T {
	h.mu.RLock()
	defer h.mu.RUnlock()
	var out []T
	for t, p := range h.tabs {
		if p.group == group {
			out = append(out, t)
		}
	}
	return out
}

// Counts are how many tabs are open, and how many people have one.
func (h *Hub[T]) Counts() (tabs, people int) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.tabs), len(h.users)
}

// Running reports whether the hub takes tabs: it has not been stopped.
func (h *Hub[T]) Running() bool {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return !h.stopped
}

// Stop refuses new tabs, cancels pending offline announcements and
// returns, once none is running, every tab still registered: the owner
// closes them.
func (h *Hub[T]) Stop() []T {
	h.mu.Lock()
	if h.stopped {
		h.mu.Unlock()
		return nil
	}
	h.stopped = true
	close(h.done)
	out := make([]T, 0, len(h.tabs))
	for t := range h.tabs {
		out = append(out, t)
	}
	for _, u := range h.users {
		if u.timer != nil && u.timer.Stop() {
			h.timers.Done()
		}
		u.timer = nil
	}
	h.mu.Unlock()
	h.timers.Wait()
	return out
}
