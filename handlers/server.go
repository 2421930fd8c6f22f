// Package handlers holds the HTTP and websocket endpoints: it parses and
// authorises requests, calls db, maps rows to view models, renders views
// and publishes live updates through the hub.
package handlers

import (
	"context"
	"log/slog"
	"net/http"
	"sync"

	"github.com/gorilla/sessions"
	"golang.org/x/crypto/bcrypt"

	"chat/db"
	"chat/hub"
)

// Config is what the handlers need from main.
type Config struct {
	Store *db.Store
	Hub   *hub.Hub
	// Events is the channel the store reports commits on (db.Options.Events).
	Events <-chan []db.Event
	Log    *slog.Logger
	// SessionSecret signs and encrypts the session cookie (see
	// LoadSessionSecret).
	SessionSecret []byte
	// BcryptCost is the password hashing cost; 0 means bcrypt.DefaultCost.
	// Tests lower it to keep sign-ups fast.
	BcryptCost int
	// SendRate and SendBurst limit how fast one person can send messages:
	// SendRate a second on average, SendBurst at once. Zero means 10 and 20.
	SendRate  float64
	SendBurst int
}

// Server is the web application.
type Server struct {
	store      *db.Store
	hub        *hub.Hub
	events     <-chan []db.Event
	log        *slog.Logger
	cookies    *sessions.CookieStore
	logins     *loginThrottle
	sends      *sendLimiter
	bcryptCost int
	dummyHash  []byte

	presence chan int64    // users whose online state changed
	liveDone chan struct{} // closed when Run returns
	// lastInPair belongs to Run (see previous).
	lastInPair map[hub.Pair]lastMessage

	writers       *writers
	socketsMu     sync.Mutex
	socketsClosed bool
	sockets       sync.WaitGroup // open sockets
}

// New builds the application from its dependencies. Run must be running
// for live updates to flow.
func New(cfg Config) *Server {
	cost := cfg.BcryptCost
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	s := &Server{
		store:      cfg.Store,
		hub:        cfg.Hub,
		events:     cfg.Events,
		log:        cfg.Log,
		cookies:    newCookieStore(cfg.SessionSecret),
		logins:     newLoginThrottle(),
		sends:      newSendLimiter(cfg.SendRate, cfg.SendBurst),
		bcryptCost: cost,
		presence:   make(chan int64, 1024),
		writers:    startWriters(),
		lastInPair: map[hub.Pair]lastMessage{},
		liveDone:   make(chan struct{}),
	}
	// Compared against when a username does not exist, so a wrong
	// username takes as long to refuse as a wrong password.
	s.dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not a password"), cost)
	return s
}

// Handler returns the whole site: routes wrapped in the middleware every
// response goes through.
func (s *Server) Handler() http.Handler {
	return s.logRequests(securityHeaders(s.crossOriginProtection(s.routes())))
}

// PresenceChanged is the hub's OnPresence callback: it queues the user for
// Run, which pushes their new state to their friends.
func (s *Server) PresenceChanged(user int64) {
	select {
	case s.presence <- user:
	case <-s.liveDone:
	}
}

// Run pushes live updates until ctx ends: every committed change from the
// store, in commit order, and every presence change from the hub. One
// goroutine does it all, so pages receive changes in the order they
// happened.
func (s *Server) Run(ctx context.Context) {
	defer close(s.liveDone)
	for {
		select {
		case batch := <-s.events:
			for _, e := range batch {
				s.publish(ctx, e)
			}
		case user := <-s.presence:
			s.publishPresence(ctx, user)
		case <-ctx.Done():
			return
		}
	}
}

// trackSockets counts n sockets about to open, or refuses once
// WaitSockets has been called.
func (s *Server) trackSockets(n int) bool {
	s.socketsMu.Lock()
	defer s.socketsMu.Unlock()
	if s.socketsClosed {
		return false
	}
	s.sockets.Add(n)
	return true
}

// WaitSockets refuses new sockets, returns once every socket is closed,
// and stops the socket writers. After the hub stops (which asks every
// socket to close), main calls it before closing the store.
func (s *Server) WaitSockets() {
	s.socketsMu.Lock()
	s.socketsClosed = true
	s.socketsMu.Unlock()
	s.sockets.Wait()
	s.writers.stop()
}
