// Package handlers holds the HTTP and websocket endpoints: it parses and
// authorises requests, calls db, maps rows to view models, renders views
// and publishes live updates.
package handlers

import (
	"log/slog"
	"net/http"

	"github.com/gorilla/sessions"
	"golang.org/x/crypto/bcrypt"

	"chat/db"
)

// Config is what the handlers need from main.
type Config struct {
	Store *db.Store
	Log   *slog.Logger
	// SessionSecret signs and encrypts the session cookie (see
	// LoadSessionSecret).
	SessionSecret []byte
	// BcryptCost is the password hashing cost; 0 means bcrypt.DefaultCost.
	// Tests lower it to keep sign-ups fast.
	BcryptCost int
}

// Server is the web application.
type Server struct {
	store      *db.Store
	log        *slog.Logger
	cookies    *sessions.CookieStore
	logins     *loginThrottle
	bcryptCost int
	dummyHash  []byte
}

// New builds the application from its dependencies.
func New(cfg Config) *Server {
	cost := cfg.BcryptCost
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	s := &Server{
		store:      cfg.Store,
		log:        cfg.Log,
		cookies:    newCookieStore(cfg.SessionSecret),
		logins:     newLoginThrottle(),
		bcryptCost: cost,
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
