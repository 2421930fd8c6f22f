package live

import (
	"bytes"
	"context"
	"sync"

	"github.com/a-h/templ"

	"chat/lang"
	"chat/transport"
	"chat/views"
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

// localized is one live update for the tabs of one person, rendered once
// for each locale among them when first asked: a person's tabs can differ
// in language, time zone and clock, and each is told things as its page
// says them. A failed rendering (nil) is kept too, not tried again for
// every tab.
type localized struct {
	render func(views.Locale) *transport.Frame
	frames map[views.Locale]*transport.Frame
}

func localize(render func(views.Locale) *transport.Frame) *localized {
	return &localized{render: render}
}

// deliver gives tab t the update in its locale, numbered seq (see
// Tab.deliver), and says whether it went out or was held for the tab.
func (l *localized) deliver(t *Tab, seq int64) bool {
	f, ok := l.frames[t.locale]
	if !ok {
		f = l.render(t.locale)
		if l.frames == nil {
			l.frames = map[views.Locale]*transport.Frame{}
		}
		l.frames[t.locale] = f
	}
	return f != nil && t.deliver(seq, f)
}

// framed is the update made of components cs, in each locale's words.
func (s *Service) framed(cs ...templ.Component) *localized {
	return localize(func(lc views.Locale) *transport.Frame { return s.frame(lc.Lang, cs...) })
}
