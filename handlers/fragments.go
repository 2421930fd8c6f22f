package handlers

import (
	"bytes"
	"context"

	"github.com/a-h/templ"

	"chat/hub"
)

// fragments renders components one after another into one websocket
// message: each is an out-of-band swap the page applies in order.
func fragments(ctx context.Context, cs ...templ.Component) ([]byte, error) {
	var buf bytes.Buffer
	for _, c := range cs {
		if err := c.Render(ctx, &buf); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}

// frame is fragments as a hub frame; seq orders message appends (see
// hub.Frame.Seq).
func frame(ctx context.Context, seq int64, cs ...templ.Component) (*hub.Frame, error) {
	data, err := fragments(ctx, cs...)
	if err != nil {
		return nil, err
	}
	return &hub.Frame{Data: data, Seq: seq}, nil
}
