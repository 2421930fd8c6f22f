package transport

import (
	"bufio"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// Pool upgrades websockets and writes to them.
//
// A socket has no writer goroutine of its own. Sending a frame queues it
// and marks the socket ready; a few writer goroutines shared by all
// sockets take ready sockets in turn and write out everything each has
// queued. Against a goroutine per socket, an idle socket holds no
// goroutine stack or timer, and a message wakes a writer that is usually
// running already instead of one sleeping goroutine per recipient.
//
// The shared writers never wait for a client. A write the kernel cannot
// take at once (the client is slow, or has stopped reading) moves that
// socket's turn to a goroutine of its own, which writes as fast as the
// client reads while new frames queue behind it, and gives the socket back
// once it has caught up (Socket.turn). No number of slow or hostile
// clients holds up anyone else's frames.
type Pool struct {
	opts     Options
	upgrader websocket.Upgrader

	// dropped counts the sockets closed because they read too slowly.
	dropped atomic.Int64

	mu      sync.Mutex
	cond    *sync.Cond
	ready   []*Socket
	all     map[*Socket]struct{} // open sockets, for pings and Close
	closing bool                 // Upgrade refuses
	stopped bool                 // the writers stop

	sockets sync.WaitGroup // sockets whose ReadEach has not returned
	workers sync.WaitGroup // writer goroutines and the pinger
	pinger  chan struct{}
}

// NewPool starts the writers and the pinger; Close stops them.
func NewPool(opts Options) *Pool {
	p := newPool(opts)
	for range p.opts.Writers {
		p.startWriter()
	}
	p.workers.Go(p.ping)
	return p
}

// newPool returns a pool with no goroutine running yet.
func newPool(opts Options) *Pool {
	opts.setDefaults()
	p := &Pool{
		opts: opts,
		upgrader: websocket.Upgrader{
			// An idle socket holds only a small read buffer; write buffers
			// are borrowed from a pool while a frame is written. Frames
			// larger than a buffer still pass, in several reads or writes.
			ReadBufferSize:  1024,
			WriteBufferPool: &sync.Pool{},
			CheckOrigin:     sameOrigin,
		},
		all:    map[*Socket]struct{}{},
		pinger: make(chan struct{}),
	}
	p.cond = sync.NewCond(&p.mu)
	return p
}

// sameOrigin accepts only pages of this site: a browser always sends
// Origin on a websocket, and another site's page must not open one with
// this site's cookie.
func sameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host == r.Host && (u.Scheme == "http" || u.Scheme == "https")
}

// Dropped is how many sockets were closed because they read too slowly.
func (p *Pool) Dropped() int64 { return p.dropped.Load() }

// Upgrade turns the request into a websocket. When it fails, the client
// has been answered (403 for another site's page). The caller must run
// the socket's ReadEach until it returns, also after closing it.
func (p *Pool) Upgrade(w http.ResponseWriter, r *http.Request) (*Socket, error) {
	conn, err := p.upgrader.Upgrade(hijackForSending{w, &p.opts}, r, nil)
	if err != nil {
		return nil, err
	}
	conn.SetReadLimit(p.opts.ReadLimit)
	s, ok := p.add(conn)
	if !ok {
		conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(CloseRestart, "server restart"), time.Now().Add(time.Second))
		conn.Close()
		return nil, ErrStopped
	}
	return s, nil
}

// add makes conn one of the pool's sockets, unless the pool is closing.
func (p *Pool) add(conn *websocket.Conn) (*Socket, bool) {
	s := &Socket{pool: p, conn: conn, gone: make(chan struct{})}
	if conn != nil {
		s.paced, _ = conn.NetConn().(pacedConn)
	}
	// The first ping comes at a random point of the first period. Sockets
	// that open together (every page reconnecting after a restart) would
	// otherwise be pinged together for as long as they stay open: tens of
	// thousands of pings queued at once, every period, with the frames
	// behind them.
	s.lastPing.Store(time.Now().Add(-rand.N(p.opts.PingPeriod)).UnixNano())
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closing {
		return nil, false
	}
	p.all[s] = struct{}{}
	p.sockets.Add(1)
	return s, true
}

// Close closes every socket still open with CloseRestart, refuses new
// ones, waits until each socket's ReadEach has returned, then stops the
// writers. Calling it again only waits.
func (p *Pool) Close() {
	p.mu.Lock()
	if p.closing {
		p.mu.Unlock()
		p.sockets.Wait()
		return
	}
	p.closing = true
	open := make([]*Socket, 0, len(p.all))
	for s := range p.all {
		open = append(open, s)
	}
	p.mu.Unlock()
	for _, s := range open {
		s.Close(CloseRestart, "server restart")
	}
	p.sockets.Wait()
	close(p.pinger)
	p.mu.Lock()
	p.stopped = true
	p.mu.Unlock()
	p.cond.Broadcast()
	p.workers.Wait()
}

// push puts a socket in the ready list.
func (p *Pool) push(s *Socket) {
	p.mu.Lock()
	p.ready = append(p.ready, s)
	p.mu.Unlock()
	p.cond.Signal()
}

// next waits for a ready socket; nil once stopped.
func (p *Pool) next() *Socket {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.ready) == 0 && !p.stopped {
		p.cond.Wait()
	}
	if len(p.ready) == 0 {
		return nil
	}
	s := p.ready[0]
	p.ready[0] = nil
	p.ready = p.ready[1:]
	if len(p.ready) == 0 {
		p.ready = p.ready[:0:0] // let the old array go
	}
	return s
}

// forget drops a closed socket from the list of open ones.
func (p *Pool) forget(s *Socket) {
	p.mu.Lock()
	delete(p.all, s)
	p.mu.Unlock()
}

// startWriter starts one of the shared writers: it gives ready sockets
// their turns until the pool stops.
func (p *Pool) startWriter() {
	p.workers.Go(func() {
		for s := p.next(); s != nil; s = p.next() {
			s.turn()
		}
	})
}

// hijackForSending hands the websocket its connection wrapped so that
// writing to it never waits (sendConn).
type hijackForSending struct {
	http.ResponseWriter
	opts *Options
}

func (h hijackForSending) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, brw, err := http.NewResponseController(h.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		sc, err := newSendConn(tcp, h.opts.WriteWait)
		if err != nil {
			conn.Close()
			return nil, nil, err
		}
		conn = sc
	}
	return conn, brw, nil
}

// pingTick is how often the pinger looks for sockets due a ping: often
// enough that each look finds only a small share of them.
const pingTick = 250 * time.Millisecond

// ping marks the sockets due a ping every pingTick, until Close.
func (p *Pool) ping() {
	tick := time.NewTicker(pingTick)
	defer tick.Stop()
	for {
		select {
		case <-p.pinger:
			return
		case now := <-tick.C:
			p.markPings(now)
		}
	}
}

// markPings has a ping written to every socket whose last one is
// PingPeriod old at now, and says how many that was.
func (p *Pool) markPings(now time.Time) int {
	due := now.Add(-p.opts.PingPeriod).UnixNano()
	p.mu.Lock()
	var list []*Socket
	for s := range p.all {
		if s.lastPing.Load() <= due {
			s.lastPing.Store(now.UnixNano())
			list = append(list, s)
		}
	}
	p.mu.Unlock()
	for _, s := range list {
		s.pingDue.Store(true)
		s.wake()
	}
	return len(list)
}
