//go:build unix

package transport

import (
	"net"
	"sync"
	"syscall"
	"time"
)

// sendConn is a socket's TCP connection as its writers see it: Write
// never waits for the client. What the kernel takes at once is sent; the
// rest is kept, in order, until Flush, which waits for the client to read
// it. A healthy client takes every frame at once; a frame left waiting
// tells the socket the client is slow (see Socket.turn). Reads go
// straight to the connection.
type sendConn struct {
	net.Conn // reads, addresses, read deadlines: the TCP connection's own
	tcp      *net.TCPConn
	raw      syscall.RawConn
	wait     time.Duration

	mu      sync.Mutex
	pending []byte
	err     error // once set, every Write fails with it

	// The write Write hands the connection, made once rather than as a
	// closure per call: p what to write, n how much went, werr why not.
	// Write holds mu while they are used.
	writeNow func(fd uintptr) bool
	p        []byte
	n        int
	werr     error
}

func newSendConn(c *net.TCPConn, wait time.Duration) (net.Conn, error) {
	raw, err := c.SyscallConn()
	if err != nil {
		return nil, err
	}
	// Writes never wait, so no deadline applies to them (the HTTP server
	// may have set one); Flush sets its own while it waits.
	if err := c.SetWriteDeadline(time.Time{}); err != nil {
		return nil, err
	}
	sc := &sendConn{Conn: c, tcp: c, raw: raw, wait: wait}
	sc.writeNow = sc.tryWrite
	return sc, nil
}

// tryWrite writes what the kernel takes of c.p at once.
func (c *sendConn) tryWrite(fd uintptr) bool {
	for c.n < len(c.p) {
		k, err := syscall.Write(int(fd), c.p[c.n:])
		if k > 0 {
			c.n += k
		}
		switch {
		case err == syscall.EINTR:
			continue
		case err == syscall.EAGAIN:
			return true // full: the rest waits
		case err != nil:
			c.werr = err
			return true
		}
	}
	return true
}

// Write sends p, or keeps what the kernel does not take now for Flush.
func (c *sendConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return 0, c.err
	}
	rest := p
	if len(c.pending) == 0 {
		c.p, c.n, c.werr = p, 0, nil
		err := c.raw.Write(c.writeNow)
		if err == nil {
			err = c.werr
		}
		n := c.n
		c.p = nil
		if err != nil {
			c.err = err
			return 0, err
		}
		rest = p[n:]
	}
	c.pending = append(c.pending, rest...)
	return len(p), nil
}

// backlogged reports whether something waits for the client to read.
func (c *sendConn) backlogged() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.pending) > 0
}

// flush waits until what was kept has been written. Each part must be
// taken within WriteWait; then the client is dropped.
func (c *sendConn) flush() error {
	for {
		c.mu.Lock()
		if c.err != nil || len(c.pending) == 0 {
			err := c.err
			c.pending = nil
			c.mu.Unlock()
			return err
		}
		buf := c.pending
		c.mu.Unlock()

		c.tcp.SetWriteDeadline(time.Now().Add(c.wait))
		var n int
		var werr error
		err := c.raw.Write(func(fd uintptr) bool {
			k, err := syscall.Write(int(fd), buf)
			switch {
			case err == syscall.EAGAIN || err == syscall.EINTR:
				return false // wait until the socket takes more
			case err != nil:
				werr = err
			default:
				n = k
			}
			return true
		})
		c.tcp.SetWriteDeadline(time.Time{}) // Write may write directly again
		if err == nil {
			err = werr
		}
		c.mu.Lock()
		if err != nil {
			c.err = err
		} else {
			c.pending = c.pending[n:]
		}
		c.mu.Unlock()
		if err != nil {
			c.tcp.Close()
		}
	}
}

// SetWriteDeadline does nothing: writes never wait, and flush keeps its
// own deadline.
func (c *sendConn) SetWriteDeadline(time.Time) error { return nil }

// SetDeadline sets the read deadline only, for the same reason.
func (c *sendConn) SetDeadline(t time.Time) error { return c.tcp.SetReadDeadline(t) }
