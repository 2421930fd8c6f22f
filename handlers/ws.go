package handlers

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"chat/db"
	"chat/hub"
)

// Websocket settings.
const (
	// readLimit bounds one incoming frame: a 4,000-character message in any
	// script, JSON-escaped, with htmx's headers, fits well within it.
	readLimit  = 64 << 10
	writeWait  = 5 * time.Second
	pongWait   = 45 * time.Second
	pingPeriod = 30 * time.Second
	// catchUpLimit is how many missed messages a reconnecting page is
	// sent one by one; past it the history is replaced by its newest page.
	catchUpLimit = 200
	// closeLoggedOut tells app.js the login ended: go to the login page.
	closeLoggedOut = 4001
)

var upgrader = websocket.Upgrader{
	// An idle socket holds only a small read buffer; write buffers are
	// borrowed from a pool while a frame is written. Frames larger than a
	// buffer still pass, in several reads or writes.
	ReadBufferSize:  1024,
	WriteBufferPool: &sync.Pool{},
	CheckOrigin:     sameOrigin,
}

// sameOrigin accepts only pages of this site: a browser always sends
// Origin on a websocket, and another site's page must not open one with
// this site's cookie.
func sameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host == r.Host && (u.Scheme == "http" || u.Scheme == "https")
}

// page says which page a socket belongs to, and so which live fragments
// it can show.
type page int

const (
	pageChats   page = iota // "/": the chat list
	pageFriends             // "/friends"
	pageChat                // "/chats/{peer}": chat list and conversation
)

// socket is what the handlers keep about a connection (hub.Conn.Data).
type socket struct {
	page page
	peer db.User        // on pageChat
	loc  *time.Location // the browser's time zone, for rendering times
	// lastPeer caches the recipient of the previous send.
	lastPeer db.User
}

func sockOf(c *hub.Conn) *socket { return c.Data.(*socket) }

// serveSocket is GET /ws: the live connection of one page. Query: page
// (chats, friends, chat), peer (on chat pages) and after (the newest
// message id the page shows; app.js adds it on every connect).
func (s *Server) serveSocket(w http.ResponseWriter, r *http.Request) {
	login, err := s.currentSession(r)
	if errors.Is(err, errNoSession) {
		http.Error(w, "log in first", http.StatusUnauthorized)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	me := login.User
	sock := &socket{loc: s.location(r)}
	q := r.URL.Query()
	switch q.Get("page") {
	case "", "chats":
		sock.page = pageChats
	case "friends":
		sock.page = pageFriends
	case "chat":
		sock.page = pageChat
		peer, err := s.store.UserByUsername(r.Context(), q.Get("peer"))
		if errors.Is(err, db.ErrNotFound) || peer.ID == me.ID {
			http.Error(w, "no such conversation", http.StatusNotFound)
			return
		}
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		sock.peer = peer
	default:
		http.Error(w, "unknown page", http.StatusBadRequest)
		return
	}
	after, _ := strconv.ParseInt(q.Get("after"), 10, 64)

	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		s.log.Warn("websocket upgrade refused", "err", err)
		return // the upgrader has answered
	}
	hc := s.hub.NewConn()
	hc.User, hc.Group, hc.Data = me.ID, login.ID, sock
	if sock.page == pageChat {
		hc.Pair = hub.PairOf(me.ID, sock.peer.ID)
	}
	if !s.trackSockets(1) {
		closeNow(conn, hub.CloseRestart, "server restart")
		return
	}
	// This handler holds the socket until the catch-up is written; frames
	// published meanwhile wait in its queue.
	wc := s.writers.newConn(conn, hc)
	fail := func(code int, reason string) {
		conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(writeWait))
		wc.close()
		s.sockets.Done()
	}
	if err := s.hub.Register(hc); err != nil {
		fail(hub.CloseRestart, "server restart")
		return
	}

	// Catch up before going live; frames the catch-up already covered are
	// cut down by their sequence number when written (wsConn.write).
	ctx := context.WithoutCancel(r.Context())
	frame, delivered, err := s.catchUp(ctx, me, sock, after)
	if err != nil {
		s.log.Error("websocket catch-up failed", "err", err, "user_id", me.ID)
		s.hub.Unregister(hc)
		fail(websocket.CloseInternalServerErr, "try again")
		return
	}
	conn.SetWriteDeadline(time.Now().Add(writeWait))
	if err := conn.WriteMessage(websocket.TextMessage, frame); err != nil {
		s.hub.Unregister(hc)
		wc.close()
		s.sockets.Done()
		return
	}
	wc.delivered = delivered
	wc.release()

	// The reader gets a goroutine of its own and this handler returns, so
	// the HTTP server lets go of the request, its buffers and this
	// goroutine's stack (grown by the catch-up).
	go func() {
		defer s.sockets.Done()
		s.readPump(ctx, conn, hc, me)
		s.hub.Unregister(hc) // the writers close the socket
		<-wc.gone
	}()
}

// closeNow sends a close frame and drops the connection.
func closeNow(conn *websocket.Conn, code int, reason string) {
	conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(writeWait))
	conn.Close()
}

// readPump reads what the page sends until the socket closes.
func (s *Server) readPump(ctx context.Context, conn *websocket.Conn, hc *hub.Conn, me db.User) {
	conn.SetReadLimit(readLimit)
	conn.SetReadDeadline(time.Now().Add(pongWait))
	conn.SetPongHandler(func(string) error {
		return conn.SetReadDeadline(time.Now().Add(pongWait))
	})
	for {
		kind, r, err := conn.NextReader()
		if err != nil {
			return
		}
		buf := buffers.Get().(*bytes.Buffer)
		buf.Reset()
		_, err = buf.ReadFrom(r)
		if err != nil {
			buffers.Put(buf)
			if errors.Is(err, websocket.ErrReadLimit) {
				s.log.Warn("websocket frame over the read limit", "user_id", me.ID)
			}
			return
		}
		conn.SetReadDeadline(time.Now().Add(pongWait))
		if kind == websocket.TextMessage {
			s.receive(ctx, hc, me, buf.Bytes())
		} else {
			s.sendError(hc, "Only text messages can be sent.", "")
		}
		buffers.Put(buf)
	}
}
