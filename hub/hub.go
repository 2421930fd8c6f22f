// Package hub keeps track of live connections: which belong to which user
// and which have which conversation open. It fans frames out to them
// without ever waiting on a slow one, and tells its owner when a user comes
// online or goes offline.
//
// The hub moves bytes only. It knows nothing of HTTP, SQL or sessions: the
// caller renders frames, owns the sockets, and drains each connection's
// queue (Conn.Take, woken by Conn.Wake) onto its socket.
package hub

import (
	"context"
	"errors"
	"sync"
	"time"
)

// ErrStopped is returned by Register once the hub has stopped.
var ErrStopped = errors.New("hub: stopped")

// Close codes the hub asks a connection to close with (RFC 6455, 7.4).
const (
	// CloseSlow: the connection's queue was full. 1013 "try again later"
	// makes the browser reconnect and catch up.
	CloseSlow = 1013
	// CloseRestart: the hub stopped. 1012 "service restart" makes the
	// browser reconnect to the server that replaces this one.
	CloseRestart = 1012
)

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

// Other returns the member of p who is not user.
func (p Pair) Other(user int64) int64 {
	if p.Low == user {
		return p.High
	}
	return p.Low
}

// Frame is one message for a socket. Frames are shared by every connection
// they are sent to. Their bytes are fixed when the frame is made, or made
// once, by whichever writer needs them first (NewLazyFrame): then the
// cost of producing them falls on the writers, not on the publisher.
type Frame struct {
	// Seq orders frames whose content may also arrive by another path (a
	// catch-up after reconnecting). A connection that has already
	// delivered Seq sends Known instead (nothing if empty). 0 means
	// "always deliver Data".
	Seq int64

	once    sync.Once
	produce func() (data []byte, known int)
	data    []byte
	known   int
}

// NewFrame returns a frame of data.
func NewFrame(data []byte) *Frame {
	f := &Frame{data: data}
	f.once.Do(func() {})
	return f
}

// NewLazyFrame returns a frame whose bytes produce makes when first
// needed: data, and how long a prefix of it is Known. produce runs on a
// writer's goroutine and must only use what it captured.
func NewLazyFrame(seq int64, produce func() (data []byte, known int)) *Frame {
	return &Frame{Seq: seq, produce: produce}
}

func (f *Frame) get() {
	f.once.Do(func() { f.data, f.known = f.produce() })
}

// Data is the whole frame.
func (f *Frame) Data() []byte {
	f.get()
	return f.data
}

// Known is what to send instead of Data to a connection that already has
// message Seq.
func (f *Frame) Known() []byte {
	f.get()
	return f.data[:f.known:f.known]
}

// Options tune a hub. The zero value is usable.
type Options struct {
	// QueueSize is how many frames may wait for a connection's writer
	// before the connection is dropped as too slow (default 128). The queue
	// takes memory only while frames wait.
	QueueSize int
	// OfflineAfter is how long a user with no connection left still counts
	// as online, so a page reload does not flicker them offline and back
	// (default 3s).
	OfflineAfter time.Duration
	// OnPresence, if set, is told each time a user's online state changes.
	// It runs without any hub lock held, possibly on a timer goroutine; it
	// must not block for long. Read the current state with Online.
	OnPresence func(user int64)
}

// Hub is the registry of live connections.
type Hub struct {
	opts Options

	mu      sync.RWMutex
	stopped bool
	users   map[int64]*userConns
	pairs   map[Pair]map[*Conn]struct{}
	// timers run presence callbacks after OfflineAfter; Run waits for them.
	timers sync.WaitGroup
}

type userConns struct {
	conns  map[*Conn]struct{}
	online bool        // as last announced
	timer  *time.Timer // pending offline announcement
}

// New returns a hub. Call Run to give it a lifetime.
func New(opts Options) *Hub {
	if opts.QueueSize <= 0 {
		opts.QueueSize = 128
	}
	if opts.OfflineAfter <= 0 {
		opts.OfflineAfter = 3 * time.Second
	}
	return &Hub{
		opts:  opts,
		users: map[int64]*userConns{},
		pairs: map[Pair]map[*Conn]struct{}{},
	}
}

// Conn is one live connection (one browser tab).
type Conn struct {
	// User is who is connected. Pair is the conversation the connection
	// has open, zero if none. Group lets the caller close a set of
	// connections together (CloseGroup). Data is the caller's own. All are
	// set before Register and not changed after.
	User  int64
	Pair  Pair
	Group int64
	Data  any
	// Wake, if set, is called after a frame is queued and when the
	// connection is asked to close, so the caller's writer can act. It
	// must not block.
	Wake func()

	mu       sync.Mutex
	queue    []*Frame
	maxQueue int
	done     chan struct{}
	once     sync.Once
	code     int
	reason   string
}

// NewConn returns a connection ready to register. The caller sets its
// fields first.
func (h *Hub) NewConn() *Conn {
	return &Conn{maxQueue: h.opts.QueueSize, done: make(chan struct{})}
}

// Take empties the connection's queue and returns what waited in it,
// oldest first: the caller's writer sends each frame to the socket.
func (c *Conn) Take() []*Frame {
	c.mu.Lock()
	defer c.mu.Unlock()
	q := c.queue
	c.queue = nil
	return q
}

// Done is closed when the hub wants the connection closed: it was too slow,
// its group was closed, or the hub stopped. CloseCode says why.
func (c *Conn) Done() <-chan struct{} { return c.done }

// CloseCode returns the websocket close code and reason the hub asked for.
// Valid once Done is closed.
func (c *Conn) CloseCode() (int, string) { return c.code, c.reason }

// kick asks the connection to close. Only the first call counts.
func (c *Conn) kick(code int, reason string) {
	c.once.Do(func() {
		c.code, c.reason = code, reason
		close(c.done)
		if c.Wake != nil {
			c.Wake()
		}
	})
}

// offer queues f without blocking; a connection whose queue is full is
// kicked instead of waited for.
func (c *Conn) offer(f *Frame) {
	c.mu.Lock()
	full := len(c.queue) >= c.maxQueue
	if !full {
		c.queue = append(c.queue, f)
	}
	c.mu.Unlock()
	if full {
		c.kick(CloseSlow, "too slow")
		return
	}
	if c.Wake != nil {
		c.Wake()
	}
}

// Offer queues a frame for this connection alone (an answer to something
// it sent), with the same rule as a publish.
func (c *Conn) Offer(f *Frame) { c.offer(f) }

// Register adds c. The user comes online if this is their first connection.
func (h *Hub) Register(c *Conn) error {
	h.mu.Lock()
	if h.stopped {
		h.mu.Unlock()
		return ErrStopped
	}
	u := h.users[c.User]
	if u == nil {
		u = &userConns{conns: map[*Conn]struct{}{}}
		h.users[c.User] = u
	}
	u.conns[c] = struct{}{}
	if c.Pair != (Pair{}) {
		set := h.pairs[c.Pair]
		if set == nil {
			set = map[*Conn]struct{}{}
			h.pairs[c.Pair] = set
		}
		set[c] = struct{}{}
	}
	if u.timer != nil {
		// A reconnect within the grace period: they never went offline.
		if u.timer.Stop() {
			h.timers.Done()
		}
		u.timer = nil
	}
	announce := !u.online
	u.online = true
	h.mu.Unlock()

	if announce && h.opts.OnPresence != nil {
		h.opts.OnPresence(c.User)
	}
	return nil
}

// Unregister removes c. When it was the user's last connection, they go
// offline after OfflineAfter unless they connect again meanwhile.
func (h *Hub) Unregister(c *Conn) {
	c.kick(1000, "")
	h.mu.Lock()
	defer h.mu.Unlock()
	u := h.users[c.User]
	if u == nil {
		return
	}
	if _, ok := u.conns[c]; !ok {
		return
	}
	delete(u.conns, c)
	if set := h.pairs[c.Pair]; set != nil {
		delete(set, c)
		if len(set) == 0 {
			delete(h.pairs, c.Pair)
		}
	}
	if len(u.conns) > 0 || h.stopped {
		return
	}
	h.timers.Add(1)
	user := c.User
	u.timer = time.AfterFunc(h.opts.OfflineAfter, func() {
		defer h.timers.Done()
		h.goOffline(user)
	})
}

// goOffline announces that user went offline if they still have no
// connection.
func (h *Hub) goOffline(user int64) {
	h.mu.Lock()
	u := h.users[user]
	if u == nil || len(u.conns) > 0 || h.stopped {
		h.mu.Unlock()
		return
	}
	delete(h.users, user)
	h.mu.Unlock()
	if h.opts.OnPresence != nil {
		h.opts.OnPresence(user)
	}
}

// Online reports whether user counts as online: connected now, or within
// the grace period after their last connection closed.
func (h *Hub) Online(user int64) bool {
	h.mu.RLock()
	defer h.mu.RUnlock()
	u := h.users[user]
	return u != nil && u.online
}

// Connected reports whether user has at least one connection now.
func (h *Hub) Connected(user int64) bool {
	h.mu.RLock()
	defer h.mu.RUnlock()
	u := h.users[user]
	return u != nil && len(u.conns) > 0
}

// Viewing reports whether user has conversation p open in any connection.
func (h *Hub) Viewing(user int64, p Pair) bool {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for c := range h.pairs[p] {
		if c.User == user {
			return true
		}
	}
	return false
}

// Conns returns the connections of user at this moment.
func (h *Hub) Conns(user int64) []*Conn {
	h.mu.RLock()
	defer h.mu.RUnlock()
	u := h.users[user]
	if u == nil {
		return nil
	}
	out := make([]*Conn, 0, len(u.conns))
	for c := range u.conns {
		out = append(out, c)
	}
	return out
}

// Publish queues, on each connection of user, the frame pick chooses for
// it; pick returns nil to skip a connection. pick runs under the hub's read
// lock: it must not block (rendering a prepared view is fine; waiting on
// anything is not).
func (h *Hub) Publish(user int64, pick func(*Conn) *Frame) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if u := h.users[user]; u != nil {
		for c := range u.conns {
			if f := pick(c); f != nil {
				c.offer(f)
			}
		}
	}
}

// CloseGroup asks every connection of the group to close with code.
func (h *Hub) CloseGroup(group int64, code int, reason string) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for _, u := range h.users {
		for c := range u.conns {
			if c.Group == group {
				c.kick(code, reason)
			}
		}
	}
}

// Run keeps the hub running until ctx ends. Then it asks every connection
// to close with CloseRestart, refuses new ones, cancels pending presence
// announcements, and returns once none is running.
func (h *Hub) Run(ctx context.Context) {
	<-ctx.Done()
	h.mu.Lock()
	h.stopped = true
	for _, u := range h.users {
		if u.timer != nil && u.timer.Stop() {
			h.timers.Done()
		}
		u.timer = nil
		for c := range u.conns {
			c.kick(CloseRestart, "server restart")
		}
	}
	h.mu.Unlock()
	h.timers.Wait()
}
