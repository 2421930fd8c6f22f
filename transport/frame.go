package transport

import "sync"

// Frame is one websocket message for one or many sockets. Its bytes are
// fixed when it is made, or made once by whichever writer needs them
// first (LazyFrame): then the cost of rendering falls on the writers, not
// on whoever queued the frame.
type Frame struct {
	once    sync.Once
	produce func() []byte
	data    []byte
}

// NewFrame returns a frame of data.
func NewFrame(data []byte) *Frame {
	f := &Frame{data: data}
	f.once.Do(func() {})
	return f
}

// LazyFrame returns a frame whose bytes produce makes when first needed.
// produce runs on a writer's goroutine and must only use what it
// captured. A frame with no bytes is not sent.
func LazyFrame(produce func() []byte) *Frame {
	return &Frame{produce: produce}
}

// Bytes returns the frame's bytes, making them if needed.
func (f *Frame) Bytes() []byte {
	f.once.Do(func() { f.data = f.produce() })
	return f.data
}
