package handlers

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/crypto/bcrypt"

	"chat/db"
	"chat/hub"
)

// testSite is the whole application behind a real HTTP server, with its
// database in a temporary directory.
type testSite struct {
	*httptest.Server
	store  *db.Store
	app    *Server
	hub    *hub.Hub
	dbPath string
	stop   func()
}

// startLifetimes runs the live updates and the hub the way main does and
// returns the function that stops them in main's order.
func startLifetimes(app *Server, h *hub.Hub) (stop func()) {
	liveCtx, stopLive := context.WithCancel(context.Background())
	liveDone := make(chan struct{})
	go func() { app.Run(liveCtx); close(liveDone) }()
	hubCtx, stopHub := context.WithCancel(context.Background())
	hubDone := make(chan struct{})
	go func() { h.Run(hubCtx); close(hubDone) }()
	var once sync.Once
	return func() {
		once.Do(func() {
			stopHub()
			<-hubDone
			app.WaitSockets()
			stopLive()
			<-liveDone
		})
	}
}

func newTestSite(t *testing.T) *testSite {
	t.Helper()
	return newTestSiteWith(t, func(*Config) {})
}

// newTestSiteWith lets a test change the configuration first.
func newTestSiteWith(t *testing.T, change func(*Config)) *testSite {
	t.Helper()
	path := filepath.Join(t.TempDir(), "chat.db")
	events := make(chan []db.Event, 64)
	store, err := db.Open(context.Background(), path, db.Options{Events: events})
	if err != nil {
		t.Fatal(err)
	}
	var app *Server
	h := hub.New(hub.Options{OfflineAfter: 200 * time.Millisecond, OnPresence: func(u int64) { app.PresenceChanged(u) }})
	cfg := Config{
		Store:         store,
		Hub:           h,
		Events:        events,
		Log:           slog.New(slog.NewTextHandler(io.Discard, nil)),
		SessionSecret: []byte("test secret that is long enough to use"),
		BcryptCost:    bcrypt.MinCost,
	}
	change(&cfg)
	app = New(cfg)
	srv := httptest.NewServer(app.Handler())
	site := &testSite{Server: srv, store: store, app: app, hub: h, dbPath: path}
	site.stop = startLifetimes(app, h)
	t.Cleanup(func() {
		srv.Close()
		site.stop()
		store.Close()
	})
	return site
}

// browser is an HTTP client with its own cookie jar that, like a browser,
// sends an Origin header on form posts.
type browser struct {
	t      *testing.T
	site   *testSite
	client *http.Client
}

func (s *testSite) newBrowser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, site: s, client: &http.Client{Jar: jar}}
}

func (b *browser) get(path string) (*http.Response, *goquery.Document) {
	b.t.Helper()
	resp, err := b.client.Get(b.site.URL + path)
	if err != nil {
		b.t.Fatal(err)
	}
	return resp, parse(b.t, resp)
}

func newFormRequest(u string, form url.Values) (*http.Request, error) {
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req, nil
}

func (b *browser) post(path string, form url.Values) (*http.Response, *goquery.Document) {
	b.t.Helper()
	req, _ := newFormRequest(b.site.URL+path, form)
	req.Header.Set("Origin", b.site.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	return resp, parse(b.t, resp)
}

func (b *browser) signup(username, displayName, password string) (*http.Response, *goquery.Document) {
	b.t.Helper()
	return b.post("/signup", url.Values{"username": {username}, "display_name": {displayName}, "password": {password}})
}

func (b *browser) login(username, password string) (*http.Response, *goquery.Document) {
	b.t.Helper()
	return b.post("/login", url.Values{"username": {username}, "password": {password}})
}

// mustSignup signs up and checks the browser lands signed in.
func (b *browser) mustSignup(username, displayName string) {
	b.t.Helper()
	resp, doc := b.signup(username, displayName, "password123")
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/" {
		b.t.Fatalf("signup %s: %d at %s: %s", username, resp.StatusCode, resp.Request.URL.Path, doc.Find("main").Text())
	}
}

func parse(t *testing.T, resp *http.Response) *goquery.Document {
	t.Helper()
	defer resp.Body.Close()
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// count runs a counting query against the site's database file through a
// separate read-only connection, to check what was really stored.
func (s *testSite) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	conn, err := sql.Open("sqlite3", "file:"+s.dbPath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var n int
	if err := conn.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}
