// Package handlers holds the HTTP endpoints: routes, middleware, sessions
// and login throttling, and one small file per action that parses and
// authorises a request, reads or writes through db, builds view models
// (viewmodel) and renders them (views). The websocket endpoint
// authenticates the page and hands its connection to the live layer.
package handlers

import (
	"log/slog"
	"net/http"
	"net/netip"
	"runtime"
	"time"

	"github.com/gorilla/sessions"
	"golang.org/x/crypto/bcrypt"

	"chat/db"
	"chat/files"
	"chat/live"
)

// Config is what the handlers need from main.
type Config struct {
	Store *db.Store
	Live  *live.Service
	Log   *slog.Logger
	// Files is where the files messages carry are kept (the store's
	// Options.Files).
	Files *files.Dir
	// SessionSecret signs and encrypts the session cookie (see
	// LoadSessionSecret).
	SessionSecret []byte
	// BcryptCost is the password hashing cost; 0 means bcrypt.DefaultCost.
	// Tests lower it to keep sign-ups fast.
	BcryptCost int
	// TrustedProxies are the proxies in front of the server, if any, whose
	// X-Forwarded-Proto and X-Forwarded-For are believed (see client).
	TrustedProxies []netip.Prefix
	// Observer, if set, is told of every request and every failed or
	// throttled login, for the operator's metrics.
	Observer Observer
	// SignupsPerHour is how many accounts one address may make an hour:
	// 0 means signupAddrLimit, a negative number no limit (the load
	// generator signs thousands up from one machine).
	SignupsPerHour int
}

// Server is the web application's HTTP side.
type Server struct {
	store      *db.Store
	live       *live.Service
	files      *files.Dir
	uploads    *uploadCount  // uploads under way, by person
	imageWork  chan struct{} // images being decoded and written again
	log        *slog.Logger
	cookies    *sessions.CookieStore
	logins     *throttle // failed logins
	signups    *throttle // accounts made
	signupCap  int       // accounts an address may make an hour; < 0: no limit
	bcryptCost int
	dummyHash  []byte

	trustedProxies []netip.Prefix
	observer       Observer
}

// Observer is told of what the HTTP side does, for the operator's
// metrics. Its methods must not block.
type Observer interface {
	// Request: a request answered, by its route's pattern ("GET
	// /chats/{peer}", never the path asked for; "" when no route took
	// it), with its status.
	Request(route string, status int, took time.Duration)
	LoginFailed()
	LoginThrottled()
}

// New builds the HTTP side from its dependencies.
func New(cfg Config) *Server {
	cost := cfg.BcryptCost
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	if cfg.SignupsPerHour == 0 {
		cfg.SignupsPerHour = signupAddrLimit
	}
	s := &Server{
		store:      cfg.Store,
		live:       cfg.Live,
		files:      cfg.Files,
		uploads:    newUploadCount(),
		imageWork:  make(chan struct{}, runtime.GOMAXPROCS(0)),
		log:        cfg.Log,
		cookies:    newCookieStore(cfg.SessionSecret),
		logins:     newThrottle(loginWindow),
		signups:    newThrottle(signupWindow),
		signupCap:  cfg.SignupsPerHour,
		bcryptCost: cost,

		trustedProxies: cfg.TrustedProxies,
		observer:       cfg.Observer,
	}
	// Compared against when a username does not exist, so a wrong
	// username takes as long to refuse as a wrong password.
	s.dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not a password"), cost)
	return s
}

// Handler returns the whole site: routes wrapped in the middleware every
// response goes through.
func (s *Server) Handler() http.Handler {
	return s.identifyClients(s.logRequests(securityHeaders(withLang(s.crossOriginProtection(s.readForms(s.routes()))))))
}
