package transport

import (
	"bytes"
	"errors"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// readBuffers hold one incoming frame while it is handled.
var readBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// ErrTooBig reports a frame over the read limit: the socket was closed
// with CloseTooBig.
var ErrTooBig = errors.New("transport: frame over the read limit")

// ReadEach reads frames until the connection ends, and calls handle with
// each one, in order, on the caller's goroutine: text says whether it is
// a text frame. handle must not keep data after it returns. Pongs keep
// the socket open; a socket that sends nothing for PongWait is dropped.
// ReadEach returns once the socket is closed and nothing more will be
// written to it, with ErrTooBig or nil.
func (s *Socket) ReadEach(handle func(data []byte, text bool)) error {
	defer s.pool.sockets.Done()
	err := s.readEach(handle)
	s.Close(websocket.CloseNormalClosure, "")
	<-s.gone
	return err
}

func (s *Socket) readEach(handle func(data []byte, text bool)) error {
	wait := s.pool.opts.PongWait
	s.conn.SetReadDeadline(time.Now().Add(wait))
	s.conn.SetPongHandler(func(string) error {
		return s.conn.SetReadDeadline(time.Now().Add(wait))
	})
	for {
		kind, r, err := s.conn.NextReader()
		if err != nil {
			return nil
		}
		buf := readBuffers.Get().(*bytes.Buffer)
		buf.Reset()
		_, err = buf.ReadFrom(r)
		if err != nil {
			readBuffers.Put(buf)
			if errors.Is(err, websocket.ErrReadLimit) {
				return ErrTooBig
			}
			return nil
		}
		s.conn.SetReadDeadline(time.Now().Add(wait))
		if handle != nil {
			handle(buf.Bytes(), kind == websocket.TextMessage)
		}
		readBuffers.Put(buf)
	}
}
