package handlers

import (
	"bytes"
	"context"
	"errors"
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
	"chat/files"
	"chat/live"
)

// testSite is the whole application behind a real HTTP server, with its
// database in a temporary directory, wired as main wires it.
type testSite struct {
	*httptest.Server
	store *db.Store
	live  *live.Service
	app   *Server
	// stop shuts the live layer down as main does on exit: every socket
	// closes with 1012.
	stop  func()
	logs  *lockedBuffer // what the site logged
	files *files.Dir    // where messages' files are kept
	dir   string        // the data directory: the database and the files
}

// lockedBuffer is a log the test can read while the site writes to it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newTestSite(t testing.TB) *testSite {
	t.Helper()
	return newTestSiteWith(t, func(*siteConfig) {})
}

// siteConfig is what a test may change before its site starts.
type siteConfig struct {
	Live     live.Config
	Handlers Config
}

// newTestSiteWith lets a test change the configuration first.
func newTestSiteWith(t testing.TB, change func(*siteConfig)) *testSite {
	t.Helper()
	events := make(chan []db.Event, 64)
	dir := t.TempDir()
	fs, err := files.Open(filepath.Join(dir, "files"))
	if err != nil {
		t.Fatal(err)
	}
	store, err := db.Open(context.Background(), filepath.Join(dir, "chat.db"), db.Options{Events: events, Files: fs})
	if err != nil {
		t.Fatal(err)
	}
	logs := &lockedBuffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	cfg := siteConfig{
		Live: live.Config{Store: store, Events: events, Log: log, OfflineAfter: 200 * time.Millisecond},
		Handlers: Config{
			Store:         store,
			Files:         fs,
			Log:           log,
			SessionSecret: []byte("test secret that is long enough to use"),
			BcryptCost:    bcrypt.MinCost,
		},
	}
	change(&cfg)
	updates := live.Start(cfg.Live)
	cfg.Handlers.Live = updates
	app := New(cfg.Handlers)
	srv := httptest.NewServer(app.Handler())
	site := &testSite{Server: srv, store: store, live: updates, app: app, logs: logs, files: fs, dir: dir}
	var once sync.Once
	site.stop = func() { once.Do(updates.Stop) }
	t.Cleanup(func() {
		srv.Close()
		site.stop()
		if err := store.Close(); err != nil {
			t.Error(err)
		}
	})
	return site
}

// user returns the stored user with this username.
func (s *testSite) user(t testing.TB, username string) db.User {
	t.Helper()
	u, err := s.store.UserByUsername(context.Background(), username)
	if err != nil {
		t.Fatalf("user %s: %v", username, err)
	}
	return u
}

// userExists asks the store whether the username is taken.
func (s *testSite) userExists(t testing.TB, username string) bool {
	t.Helper()
	_, err := s.store.UserByUsername(context.Background(), username)
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		t.Fatal(err)
	}
	return err == nil
}

// history returns every message between a and b that a can see.
func (s *testSite) history(t *testing.T, a, b string) []db.Message {
	t.Helper()
	msgs, _, err := s.store.MessagesAfter(context.Background(), s.user(t, a).ID, s.user(t, b).ID, 0, 10_000)
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

// browser is an HTTP client with its own cookie jar that, like a browser,
// sends an Origin header on form posts.
type browser struct {
	t      testing.TB
	site   *testSite
	client *http.Client
}

func (s *testSite) newBrowser(t testing.TB) *browser {
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

func parse(t testing.TB, resp *http.Response) *goquery.Document {
	t.Helper()
	defer resp.Body.Close()
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
