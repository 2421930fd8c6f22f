//go:build !unix

package transport

import (
	"net"
	"time"
)

// newSendConn leaves the connection as it is where the writes that never
// wait (sendconn_unix.go) are not available: there a client that stops
// reading holds one writer until WriteWait.
func newSendConn(c *net.TCPConn, _ time.Duration) (net.Conn, error) { return c, nil }
