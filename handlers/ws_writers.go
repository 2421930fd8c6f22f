package handlers

import (
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"chat/hub"
)

// Socket writing.
//
// A socket has no writer goroutine of its own. When the hub queues a frame
// for it, the socket is marked ready; a few writer goroutines shared by all
// sockets take ready sockets in turn and write out everything each has
// queued, one websocket message per frame. Against a goroutine per socket,
// an idle socket holds no goroutine stack or timer, and a message wakes a
// writer that is usually running already instead of one sleeping goroutine
// per recipient. A write has writeWait to finish: a client that stops
// reading holds one writer for that long, then its socket is closed.
type writers struct {
	mu      sync.Mutex
	cond    *sync.Cond
	ready   []*wsConn
	stopped bool
	all     map[*wsConn]struct{} // open sockets, for pings
	workers sync.WaitGroup
	pinger  chan struct{}
}

// writerCount is how many goroutines write to sockets.
const writerCount = 4

func startWriters() *writers {
	w := newWriters()
	for i := 0; i < writerCount; i++ {
		w.workers.Go(w.run)
	}
	w.workers.Go(w.ping)
	return w
}

func newWriters() *writers {
	w := &writers{all: map[*wsConn]struct{}{}, pinger: make(chan struct{})}
	w.cond = sync.NewCond(&w.mu)
	return w
}

// Socket states: which of the writers, if any, has it.
const (
	idle    int32 = iota // nothing to write
	queued               // waiting in the ready list
	writing              // a writer (or the catch-up) has it
	again                // a writer has it, and more arrived meanwhile
)

// wsConn is one socket as the writers see it.
type wsConn struct {
	w    *writers
	conn *websocket.Conn
	hc   *hub.Conn

	state atomic.Int32
	// delivered is the newest message id the page has. Only the holder
	// of the socket (state writing) touches it, and closed.
	delivered int64
	closed    bool
	lastPing  atomic.Int64 // Unix ns of the last ping queued
	pingDue   atomic.Bool
	gone      chan struct{} // closed once the socket is closed
}

// newConn registers a socket with the writers. The caller holds it (state
// writing) to send the catch-up, then calls release.
func (w *writers) newConn(conn *websocket.Conn, hc *hub.Conn) *wsConn {
	c := &wsConn{w: w, conn: conn, hc: hc, gone: make(chan struct{})}
	c.state.Store(writing)
	// The first ping comes at a random point of the first period. Sockets
	// that open together (every page reconnecting after a restart) would
	// otherwise be pinged together for as long as they stay open: tens of
	// thousands of pings queued at once, every period, with the messages
	// behind them.
	c.lastPing.Store(time.Now().Add(-rand.N(pingPeriod)).UnixNano())
	hc.Wake = c.wake
	w.mu.Lock()
	w.all[c] = struct{}{}
	w.mu.Unlock()
	return c
}

// wake marks the socket as having something to write.
func (c *wsConn) wake() {
	for {
		switch c.state.Load() {
		case idle:
			if c.state.CompareAndSwap(idle, queued) {
				c.w.push(c)
				return
			}
		case writing:
			if c.state.CompareAndSwap(writing, again) {
				return
			}
		default: // queued or again: it will be looked at
			return
		}
	}
}

// release ends a holder's turn: the socket goes idle, or back in the list
// if more arrived meanwhile.
func (c *wsConn) release() {
	if !c.state.CompareAndSwap(writing, idle) {
		c.state.Store(queued)
		c.w.push(c)
	}
}

func (w *writers) push(c *wsConn) {
	w.mu.Lock()
	w.ready = append(w.ready, c)
	w.mu.Unlock()
	w.cond.Signal()
}

// next waits for a ready socket; nil once stopped.
func (w *writers) next() *wsConn {
	w.mu.Lock()
	defer w.mu.Unlock()
	for len(w.ready) == 0 && !w.stopped {
		w.cond.Wait()
	}
	if len(w.ready) == 0 {
		return nil
	}
	c := w.ready[0]
	w.ready[0] = nil
	w.ready = w.ready[1:]
	if len(w.ready) == 0 {
		w.ready = w.ready[:0:0] // let the old array go
	}
	return c
}

func (w *writers) run() {
	for c := w.next(); c != nil; c = w.next() {
		c.state.Store(writing)
		for {
			c.flush()
			if c.state.CompareAndSwap(writing, idle) {
				break
			}
			c.state.Store(writing) // more came in meanwhile
		}
	}
}

// flush writes everything queued for the socket, a ping if one is due,
// and closes it when the hub asked.
func (c *wsConn) flush() {
	for frames := c.hc.Take(); len(frames) > 0; frames = c.hc.Take() {
		for _, f := range frames {
			if !c.closed {
				c.write(f)
			}
		}
	}
	if c.closed {
		return
	}
	if c.pingDue.CompareAndSwap(true, false) {
		if err := c.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeWait)); err != nil {
			c.close()
			return
		}
	}
	select {
	case <-c.hc.Done():
		code, reason := c.hc.CloseCode()
		c.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(writeWait))
		c.close()
	default:
	}
}

// write sends one frame: in full, or only its Known part when the page
// already has the message (its catch-up sent it).
func (c *wsConn) write(f *hub.Frame) {
	var data []byte
	if f.Seq != 0 && f.Seq <= c.delivered {
		data = f.Known()
	} else {
		data = f.Data()
		if f.Seq != 0 {
			c.delivered = f.Seq
		}
	}
	if len(data) == 0 {
		return
	}
	c.conn.SetWriteDeadline(time.Now().Add(writeWait))
	if err := c.conn.WriteMessage(websocket.TextMessage, data); err != nil {
		c.close()
	}
}

// close drops the connection (its reader then ends) and forgets it. Only
// the holder calls it.
func (c *wsConn) close() {
	if c.closed {
		return
	}
	c.closed = true
	c.conn.Close()
	c.w.mu.Lock()
	delete(c.w.all, c)
	c.w.mu.Unlock()
	close(c.gone)
}

// pingTick is how often the pinger looks for sockets due a ping: often
// enough that each look finds only a small share of them.
const pingTick = 250 * time.Millisecond

// ping marks the sockets due a ping every pingTick, until stopped.
func (w *writers) ping() {
	tick := time.NewTicker(pingTick)
	defer tick.Stop()
	for {
		select {
		case <-w.pinger:
			return
		case now := <-tick.C:
			w.markPings(now)
		}
	}
}

// markPings has a ping written to every socket whose last one is
// pingPeriod old at now, and says how many that was.
func (w *writers) markPings(now time.Time) int {
	due := now.Add(-pingPeriod).UnixNano()
	w.mu.Lock()
	var list []*wsConn
	for c := range w.all {
		if c.lastPing.Load() <= due {
			c.lastPing.Store(now.UnixNano())
			list = append(list, c)
		}
	}
	w.mu.Unlock()
	for _, c := range list {
		c.pingDue.Store(true)
		c.wake()
	}
	return len(list)
}

// stop ends the writer goroutines once every socket is closed.
func (w *writers) stop() {
	close(w.pinger)
	w.mu.Lock()
	w.stopped = true
	w.mu.Unlock()
	w.cond.Broadcast()
	w.workers.Wait()
}
