package transport

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// testServer serves websockets from a pool on a real loopback listener.
// Each upgraded socket is handed to the test on sockets; its reader runs
// in the request's goroutine until the socket closes.
type testServer struct {
	*httptest.Server
	pool    *Pool
	sockets chan *Socket
}

// newTestServer starts a pool and a server for it.
func newTestServer(t testing.TB, opts Options) *testServer {
	t.Helper()
	ts := &testServer{pool: NewPool(opts), sockets: make(chan *Socket, 1000)}
	ts.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, err := ts.pool.Upgrade(w, r)
		if err != nil {
			return
		}
		ts.sockets <- s
		s.ReadEach(func([]byte, bool) {})
	}))
	ts.Start()
	t.Cleanup(func() {
		ts.pool.Close()
		ts.Close()
	})
	return ts
}

// client is the browser's end of one socket.
type client struct {
	t    testing.TB
	conn *websocket.Conn
	sock *Socket // the server's end

	mu     sync.Mutex
	frames []string
	times  []time.Time // when each frame arrived
	closed error
	notify chan struct{}
}

// dial opens a socket as a page of the site would (same Origin). A
// client with receiveBuffer set has a kernel receive buffer that small,
// and the server's end a small send buffer (otherwise the kernel would
// take megabytes for a client that reads nothing); one that does not read
// never reads a frame.
func (ts *testServer) dial(t testing.TB, receiveBuffer int, read bool) *client {
	t.Helper()
	d := websocket.Dialer{NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		nd := net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
			if receiveBuffer == 0 {
				return nil
			}
			var serr error
			rc.Control(func(fd uintptr) {
				serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, receiveBuffer)
			})
			return serr
		}}
		return nd.DialContext(ctx, network, addr)
	}}
	u := "ws" + strings.TrimPrefix(ts.URL, "http")
	conn, _, err := d.Dial(u, http.Header{"Origin": {ts.URL}})
	if err != nil {
		t.Fatal(err)
	}
	c := &client{t: t, conn: conn, notify: make(chan struct{}, 1), sock: <-ts.sockets}
	if receiveBuffer > 0 {
		if err := c.sock.paced.(*sendConn).tcp.SetWriteBuffer(8 << 10); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { conn.Close() })
	if read {
		go c.read()
	}
	return c
}

func (c *client) read() {
	for {
		_, data, err := c.conn.ReadMessage()
		now := time.Now()
		c.mu.Lock()
		if err != nil {
			c.closed = err
		} else {
			c.frames = append(c.frames, string(data))
			c.times = append(c.times, now)
		}
		c.mu.Unlock()
		select {
		case c.notify <- struct{}{}:
		default:
		}
		if err != nil {
			return
		}
	}
}

// waitFor waits until cond holds for what the client has received, or
// fails the test after a generous while: a check that something happens,
// not of how fast.
func (c *client) waitFor(what string, cond func(frames []string, closed error) bool) {
	c.t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		c.mu.Lock()
		ok := cond(c.frames, c.closed)
		n, closed := len(c.frames), c.closed
		c.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-c.notify:
		case <-deadline:
			c.t.Fatalf("timed out waiting for %s: %d frames, closed: %v", what, n, closed)
		}
	}
}

// closeCode waits for the socket to close and returns the code the
// server sent (-1 if none).
func (c *client) closeCode() int {
	c.t.Helper()
	code := 0
	c.waitFor("the socket to close", func(_ []string, closed error) bool {
		if closed == nil {
			return false
		}
		code = -1
		if ce, ok := closed.(*websocket.CloseError); ok {
			code = ce.Code
		}
		return true
	})
	return code
}

// gone reports whether the server has closed its end.
func gone(s *Socket) bool {
	select {
	case <-s.gone:
		return true
	default:
		return false
	}
}
