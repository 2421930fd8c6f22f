package live

import (
	"context"
	"errors"
	"net/http"

	"chat/db"
	"chat/hub"
	"chat/transport"
	"chat/views"
)

// Opening is a page asking for its live connection, as the websocket
// endpoint read it from an authenticated request.
type Opening struct {
	User db.User
	// Session is the login the page belongs to: logging out closes it.
	Session int64
	// Locale is how the browser shows times: its zone and clock.
	Locale views.Locale
	Page   Page
	Peer   db.User // on PageChat
	// After is the change number the page is current to (0: none).
	After int64
	// Visible is whether the browser shows the page now; the page says
	// when that changes.
	Visible bool
}

// Connect upgrades the request to the tab's websocket, brings the page up
// to date, then keeps it current until the socket closes. It returns once
// the tab is live; reading goes on in a goroutine of its own.
func (s *Service) Connect(w http.ResponseWriter, r *http.Request, o Opening) {
	sock, err := s.sockets.Upgrade(w, r)
	if err != nil {
		if !errors.Is(err, transport.ErrStopped) {
			s.log.Warn("websocket upgrade refused", "err", err)
		}
		return // the client has been answered
	}
	t := &Tab{id: s.lastTab.Add(1), user: o.User, session: o.Session, page: o.Page, peer: o.Peer, locale: o.Locale, sock: sock}
	if o.Page == PageChat {
		t.pair = hub.PairOf(o.User.ID, o.Peer.ID)
	}

	if err := s.tabs.Register(t, o.User.ID, t.pair, o.Session); err != nil {
		sock.Close(transport.CloseRestart, "server restart")
		go sock.ReadEach(nil)
		return
	}
	s.tabs.SetVisible(t, o.Visible)

	// Registered first, then caught up: a change committed meanwhile is
	// either in the catch-up or published to the tab, which holds it until
	// the catch-up is sent (Tab.deliver).
	ctx := context.WithoutCancel(r.Context())
	catchUp, floor, err := s.catchUp(ctx, t, o.After)
	if err != nil {
		s.log.Error("websocket catch-up failed", "err", err, "user_id", o.User.ID)
		s.tabs.Unregister(t)
		sock.Close(transport.CloseInternal, "try again")
		go sock.ReadEach(nil)
		return
	}
	t.goLive(catchUp, floor)
	s.limitTabs(t)
	// The page shows the newest of every chat: all of it is delivered
	// (recorded in the background, with others).
	s.deliveries.addAll(o.User.ID)

	// The reader gets a goroutine of its own and this handler returns, so
	// the HTTP server lets go of the request, its buffers and this
	// goroutine's stack (grown by the catch-up).
	go func() {
		err := sock.ReadEach(func(data []byte, text bool) { s.receive(ctx, t, data, text) })
		if errors.Is(err, transport.ErrTooBig) {
			s.log.Warn("websocket frame over the read limit", "user_id", o.User.ID)
		}
		s.tabs.Unregister(t)
	}()
}
