package transport

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// Socket is one page's websocket.
type Socket struct {
	pool  *Pool
	conn  *websocket.Conn
	paced pacedConn // conn's connection, when its writes never wait

	// slow is set while the socket's turn has a goroutine of its own,
	// waiting for the client to read.
	slow atomic.Bool

	// state says which writer, if any, has the socket (see the constants).
	state    atomic.Int32
	lastPing atomic.Int64 // Unix ns of the last ping queued
	pingDue  atomic.Bool

	mu      sync.Mutex
	queue   []*Frame
	closing bool // Close was asked for; what is queued is dropped
	code    int
	reason  string

	closed bool          // only the writer holding the socket touches it
	gone   chan struct{} // closed once the connection is closed
}

// pacedConn is a connection whose writes never wait (sendConn): what the
// client cannot take at once is kept until flush.
type pacedConn interface {
	backlogged() bool
	flush() error
}

// Socket states.
const (
	idle    int32 = iota // nothing to write
	queued               // waiting in the ready list
	writing              // a writer has it
	again                // a writer has it, and more arrived meanwhile
)

// Send queues f without waiting, and reports whether it did. A socket
// whose queue is full is closed with CloseTryAgain instead of waited for:
// the page reconnects and catches up.
func (s *Socket) Send(f *Frame) bool {
	s.mu.Lock()
	switch {
	case s.closing:
		s.mu.Unlock()
		return false
	case len(s.queue) >= s.pool.opts.QueueSize:
		s.mu.Unlock()
		s.pool.dropped.Add(1)
		s.Close(CloseTryAgain, "too slow")
		if s.slow.Load() {
			// Waiting for a client that reads too slowly to keep up: it
			// would not read the close frame either.
			s.conn.NetConn().Close()
		}
		return false
	}
	s.queue = append(s.queue, f)
	s.mu.Unlock()
	s.wake()
	return true
}

// Close asks for the socket to be closed with code: what is still queued
// is dropped, the close frame is written and the connection closed. Only
// the first call counts. A client that is slow to read gets WriteWait to
// take what was written before the close frame.
func (s *Socket) Close(code int, reason string) {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		return
	}
	s.closing, s.code, s.reason = true, code, reason
	s.queue = nil
	s.mu.Unlock()
	s.wake()
}

// wake marks the socket as having something to write.
func (s *Socket) wake() {
	for {
		switch s.state.Load() {
		case idle:
			if s.state.CompareAndSwap(idle, queued) {
				s.pool.push(s)
				return
			}
		case writing:
			if s.state.CompareAndSwap(writing, again) {
				return
			}
		default: // queued or again: it will be looked at
			return
		}
	}
}

// turn is a shared writer's turn on the socket: it writes until nothing
// more is queued. When the client cannot take a frame at once, the rest of
// the turn moves to a goroutine of the socket's own (slowTurn) and the
// writer goes on with other sockets.
func (s *Socket) turn() {
	s.state.Store(writing)
	for {
		if s.flush() {
			s.slow.Store(true)
			go s.slowTurn()
			return
		}
		if s.state.CompareAndSwap(writing, idle) {
			return
		}
		s.state.Store(writing) // more came in meanwhile
	}
}

// slowTurn finishes the turn of a socket whose client reads slowly: it
// waits for the client to take what was written, then writes what queued
// meanwhile, a frame at a time, until the client has caught up. The
// socket then goes back to the shared writers. Frames that keep coming
// faster than the client reads fill its queue, and it is dropped (Send).
func (s *Socket) slowTurn() {
	for {
		for backlogged := true; backlogged; {
			if err := s.paced.flush(); err != nil {
				s.close()
			}
			backlogged = s.flush()
		}
		s.slow.Store(false)
		if s.state.CompareAndSwap(writing, idle) {
			return
		}
		s.slow.Store(true)
		s.state.Store(writing)
	}
}

// flush writes what is queued, then a ping if one is due; or, when Close
// was asked for, the close frame. It stops early and reports true when
// the client could not take a frame at once: what comes after it stays
// queued.
func (s *Socket) flush() (backlogged bool) {
	if s.closed {
		s.mu.Lock()
		s.queue = nil
		s.mu.Unlock()
		return false
	}
	for {
		s.mu.Lock()
		if s.closing {
			code, reason := s.code, s.reason
			s.mu.Unlock()
			s.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), s.deadline())
			s.close()
			return false
		}
		if len(s.queue) == 0 {
			s.queue = nil // an idle socket keeps no queue
			s.mu.Unlock()
			break
		}
		f := s.queue[0]
		s.queue[0] = nil
		s.queue = s.queue[1:]
		s.mu.Unlock()
		if !s.write(f.Bytes()) {
			s.close()
			return false
		}
		if s.backlogged() {
			return true
		}
	}
	if s.pingDue.CompareAndSwap(true, false) {
		if err := s.conn.WriteControl(websocket.PingMessage, nil, s.deadline()); err != nil {
			s.close()
			return false
		}
		return s.backlogged()
	}
	return false
}

func (s *Socket) backlogged() bool { return s.paced != nil && s.paced.backlogged() }

func (s *Socket) deadline() time.Time { return time.Now().Add(s.pool.opts.WriteWait) }

// write sends one frame, reporting whether the socket took it.
func (s *Socket) write(data []byte) bool {
	if len(data) == 0 {
		return true
	}
	s.conn.SetWriteDeadline(s.deadline())
	return s.conn.WriteMessage(websocket.TextMessage, data) == nil
}

// close drops the connection (its reader then ends) and forgets the
// socket. Only the writer holding the socket calls it.
func (s *Socket) close() {
	if s.closed {
		return
	}
	s.closed = true
	s.mu.Lock()
	s.closing = true
	s.queue = nil
	s.mu.Unlock()
	s.conn.Close()
	s.pool.forget(s)
	close(s.gone)
}
