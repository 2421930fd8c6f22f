// Package transport carries the websocket of each page: the upgrade (a
// same-origin check, the read limit), the read loop, pings, close codes,
// and a few writer goroutines shared by every socket. It knows frames and
// deadlines, nothing of chats: what a frame says and who gets it is the
// caller's business.
package transport

import (
	"errors"
	"time"
)

// Close codes (RFC 6455, 7.4.1). The page's websocket extension
// reconnects after 1006, 1011, 1012 and 1013, and not after 1000 or 1001.
const (
	CloseTooBig   = 1009 // a frame over the read limit
	CloseInternal = 1011 // the server failed; try again
	CloseRestart  = 1012 // the server is stopping: reconnect to the next one
	CloseTryAgain = 1013 // the socket fell too far behind: reconnect and catch up
)

// ErrStopped is returned by Upgrade once the pool is closing.
var ErrStopped = errors.New("transport: stopped")

// Options tune a Pool. The zero value gives the server's settings.
type Options struct {
	// Writers is how many writer goroutines serve every socket (default 4).
	Writers int
	// QueueSize is how many frames may wait for one socket before it is
	// closed as too slow (default 128). A queue takes memory only while
	// frames wait in it.
	QueueSize int
	// WriteWait is how long a client may take nothing of what is written
	// to it before it is dropped (default 5s).
	WriteWait time.Duration
	// PingPeriod is how often each socket is pinged (default 30s); a
	// socket that answers nothing for PongWait (default 45s) is closed.
	PingPeriod, PongWait time.Duration
	// ReadLimit bounds one incoming frame (default 64 KiB): a larger one
	// closes the socket with CloseTooBig.
	ReadLimit int64
}

func (o *Options) setDefaults() {
	if o.Writers <= 0 {
		o.Writers = 4
	}
	if o.QueueSize <= 0 {
		o.QueueSize = 128
	}
	if o.WriteWait <= 0 {
		o.WriteWait = 5 * time.Second
	}
	if o.PingPeriod <= 0 {
		o.PingPeriod = 30 * time.Second
	}
	if o.PongWait <= 0 {
		o.PongWait = 45 * time.Second
	}
	if o.ReadLimit <= 0 {
		o.ReadLimit = 64 << 10
	}
}
