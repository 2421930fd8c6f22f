package live

import (
	"bytes"
	"context"
	"sync"

	"github.com/a-h/templ"

	"chat/lang"
	"chat/transport"
)

// buffers are reused to render live updates, which run thousands of times
// a second; each result is copied out at its exact size.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// renderInto renders components one after another into buf.
func renderInto(ctx context.Context, buf *bytes.Buffer, cs ...templ.Component) error {
	for _, c := range cs {
		if err := c.Render(ctx, buf); err != nil {
			return err
		}
	}
	return nil
}

// fragments renders components one after another into one websocket
// message: each is an out-of-band swap the page applies in order.
func fragments(ctx context.Context, cs ...templ.Component) ([]byte, error) {
	buf := buffers.Get().(*bytes.Buffer)
	defer buffers.Put(buf)
	buf.Reset()
	if err := renderInto(ctx, buf, cs...); err != nil {
		return nil, err
	}
	return bytes.Clone(buf.Bytes()), nil
}

// frame renders components into a frame now, said in l; nil (and a
// logged error) if rendering fails.
func (s *Service) frame(l lang.Lang, cs ...templ.Component) *transport.Frame {
	data, err := fragments(lang.With(context.Background(), l), cs...)
	if err != nil {
		s.log.Error("render live update", "err", err)
		return nil
	}
	return transport.NewFrame(data)
}
