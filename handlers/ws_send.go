package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/time/rate"

	"chat/db"
	"chat/hub"
	"chat/views"
)

// Message rules.
const (
	maxMessageRunes = 4000
	// By default each person may send defaultSendRate messages a second on
	// average, in bursts of up to defaultSendBurst.
	defaultSendRate  = 10
	defaultSendBurst = 20
)

// clientIDPattern is what app.js generates (hex from crypto.getRandomValues),
// with room for other clients.
var clientIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{8,64}$`)

// sendFrame is what the composer's ws-send posts: the form's fields, the
// client id app.js adds, and the headers htmx always includes (ignored).
type sendFrame struct {
	To       string      `json:"to"`
	Message  string      `json:"message"`
	ClientID string      `json:"client_id"`
	Headers  htmxHeaders `json:"HEADERS"`
}

// htmxHeaders accepts the headers htmx adds to every ws-send (any JSON
// value) and keeps nothing: the server does not use them.
type htmxHeaders struct{}

func (*htmxHeaders) UnmarshalJSON([]byte) error { return nil }

// receive handles one frame from a page: a message to send. Whatever is
// wrong with it is answered on this socket, next to the composer; nothing
// is stored unless everything is right. It returns once the message is
// queued for storing; one socket's messages are stored in order.
func (s *Server) receive(ctx context.Context, hc *hub.Conn, me db.User, data []byte) {
	sock := sockOf(hc)
	if !utf8.Valid(data) {
		s.refuse(hc, me, "invalid_utf8", "The message could not be read: it is not valid text.", "")
		return
	}
	var f sendFrame
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil || dec.More() {
		s.refuse(hc, me, "malformed", "The message could not be read. Reload the page and try again.", "")
		return
	}
	if !clientIDPattern.MatchString(f.ClientID) {
		s.refuse(hc, me, "bad_client_id", "The message could not be read. Reload the page and try again.", "")
		return
	}
	// Blank lines and spaces around a message are dropped, as chat apps do;
	// those inside it are kept.
	body := strings.TrimSpace(strings.ReplaceAll(f.Message, "\r\n", "\n"))
	switch n := utf8.RuneCountInString(body); {
	case body == "":
		s.refuse(hc, me, "blank", "Type a message first.", f.ClientID)
		return
	case n > maxMessageRunes:
		s.refuse(hc, me, "too_long", fmt.Sprintf("A message can be at most 4,000 characters; this one has %d.", n), f.ClientID)
		return
	}
	if !s.sends.allow(me.ID) {
		s.refuse(hc, me, "rate_limited", "You are sending messages too fast. Wait a moment, then send again.", f.ClientID)
		return
	}
	peer, err := s.recipient(ctx, sock, f.To)
	switch {
	case errors.Is(err, db.ErrNotFound):
		s.refuse(hc, me, "unknown_peer", "There is no one with that username.", f.ClientID)
		return
	case err != nil:
		s.log.Error("send: recipient lookup failed", "err", err, "user_id", me.ID)
		s.refuse(hc, me, "internal", "The message could not be sent. Try again.", f.ClientID)
		return
	case peer.ID == me.ID:
		s.refuse(hc, me, "self", "You cannot send messages to yourself.", f.ClientID)
		return
	}
	pair := hub.PairOf(me.ID, peer.ID)
	clientID := f.ClientID
	// Queued without waiting: this socket's next messages are stored after
	// this one, and the reader can go back to reading meanwhile.
	err = s.store.SendMessageLater(ctx, db.NewMessage{
		From: me, To: peer, ClientID: clientID, Body: body,
		RecipientViewing: func() bool { return s.hub.Viewing(peer.ID, pair) },
	}, func(_ db.Message, _ bool, err error) {
		// After the commit, on the writer's goroutine. Stored: the live
		// update shows it on every page of both people, this one too.
		switch {
		case errors.Is(err, db.ErrNotFriends):
			s.refuse(hc, me, "not_friends", "You and "+peer.DisplayName+" are not friends, so the message was not sent.", clientID)
		case err != nil:
			s.log.Error("send: store failed", "err", err, "user_id", me.ID)
			s.refuse(hc, me, "internal", "The message could not be sent. Try again.", clientID)
		}
	})
	if err != nil {
		s.log.Error("send: queue failed", "err", err, "user_id", me.ID)
		s.refuse(hc, me, "internal", "The message could not be sent. Try again.", clientID)
	}
}

// recipient resolves a username, remembering the last one: a page almost
// always sends to the same person.
func (s *Server) recipient(ctx context.Context, sock *socket, username string) (db.User, error) {
	if sock.lastPeer.ID != 0 && strings.EqualFold(sock.lastPeer.Username, username) {
		return sock.lastPeer, nil
	}
	if sock.peer.ID != 0 && strings.EqualFold(sock.peer.Username, username) {
		sock.lastPeer = sock.peer
		return sock.peer, nil
	}
	u, err := s.store.UserByUsername(ctx, username)
	if err != nil {
		return db.User{}, err
	}
	sock.lastPeer = u
	return u, nil
}

// refuse logs why a frame was refused (never its content) and tells the
// page, next to the composer, if it has one.
func (s *Server) refuse(hc *hub.Conn, me db.User, reason, text, clientID string) {
	s.log.Info("message refused", "reason", reason, "user_id", me.ID)
	s.sendError(hc, text, clientID)
}

func (s *Server) sendError(hc *hub.Conn, text, clientID string) {
	if sockOf(hc).page != pageChat {
		return // only conversation pages have a place to show it
	}
	f, err := frame(context.Background(), views.SendError(text, clientID))
	if err != nil {
		s.log.Error("render send error", "err", err)
		return
	}
	hc.Offer(f)
}

// sendLimiter holds each person's message allowance.
type sendLimiter struct {
	rate  rate.Limit
	burst int

	mu       sync.Mutex
	limiters map[int64]*rate.Limiter
	swept    time.Time
}

func newSendLimiter(perSecond float64, burst int) *sendLimiter {
	if perSecond <= 0 {
		perSecond = defaultSendRate
	}
	if burst <= 0 {
		burst = defaultSendBurst
	}
	return &sendLimiter{rate: rate.Limit(perSecond), burst: burst, limiters: map[int64]*rate.Limiter{}, swept: time.Now()}
}

// allow takes one message from user's allowance, reporting whether there
// was one.
func (l *sendLimiter) allow(user int64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if now.Sub(l.swept) > time.Minute {
		// A full bucket is the same as no bucket: forget those.
		for id, lim := range l.limiters {
			if lim.TokensAt(now) >= float64(l.burst) {
				delete(l.limiters, id)
			}
		}
		l.swept = now
	}
	lim := l.limiters[user]
	if lim == nil {
		lim = rate.NewLimiter(l.rate, l.burst)
		l.limiters[user] = lim
	}
	return lim.AllowN(now, 1)
}
