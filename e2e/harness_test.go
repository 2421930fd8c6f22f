// Package e2e drives the whole site in headless Chromium, as a person would.
package e2e

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"golang.org/x/crypto/bcrypt"

	"chat/db"
	"chat/files"
	"chat/handlers"
	"chat/live"
)

// site is the application served on a loopback port, restartable on the
// same port and database so tests can take the server down under a page.
type site struct {
	t      *testing.T
	dir    string
	addr   string
	URL    string
	secret []byte

	store *db.Store
	live  *live.Service
	srv   *http.Server
	done  chan struct{}
}

func startSite(t *testing.T) *site {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &site{t: t, dir: t.TempDir(), addr: ln.Addr().String(), secret: []byte("e2e secret, long enough for the cookie keys")}
	s.URL = "http://" + s.addr
	s.serve(ln)
	t.Cleanup(s.stop)
	return s
}

// serve wires the application as main does and serves it on ln.
func (s *site) serve(ln net.Listener) {
	events := make(chan []db.Event, 1024)
	fs, err := files.Open(filepath.Join(s.dir, "files"))
	if err != nil {
		s.t.Fatal(err)
	}
	store, err := db.Open(context.Background(), filepath.Join(s.dir, "chat.db"), db.Options{Events: events, Files: fs})
	if err != nil {
		s.t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	s.store = store
	s.live = live.Start(live.Config{Store: store, Events: events, Log: log, OfflineAfter: time.Second})
	app := handlers.New(handlers.Config{
		Store:         store,
		Files:         fs,
		Live:          s.live,
		Log:           log,
		SessionSecret: s.secret,
		BcryptCost:    bcrypt.MinCost,
	})
	s.srv = &http.Server{Handler: app.Handler(), ReadHeaderTimeout: 5 * time.Second}
	s.done = make(chan struct{})
	go func() {
		defer close(s.done)
		s.srv.Serve(ln)
	}()
}

// stop shuts the server down the way main does: open pages see their
// sockets close with 1012 and start reconnecting.
func (s *site) stop() {
	if s.srv == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s.srv.Shutdown(ctx)
	<-s.done
	s.live.Stop()
	if err := s.store.Close(); err != nil {
		s.t.Error(err)
	}
	s.srv = nil
}

// restart starts the server again on the same address and database.
func (s *site) restart() {
	s.t.Helper()
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		s.t.Fatalf("listening again on %s: %v", s.addr, err)
	}
	s.serve(ln)
}

// chromium finds the browser, skipping the test when there is none, unless
// CI is set: there browser tests are required.
func chromium(t *testing.T) string {
	t.Helper()
	candidates := []string{os.Getenv("CHROMIUM"), "/usr/bin/chromium"}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			candidates = append(candidates, p)
		}
	}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if _, err := os.Stat(c); err == nil {
			return c
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("CI is set but no Chromium was found: install it (apt-get install -y chromium)")
	}
	t.Skip("no Chromium found (looked for /usr/bin/chromium and chromium on PATH; set CHROMIUM=/path to choose one): browser tests skipped")
	return ""
}

// newBrowser starts one headless Chromium for the test, with its own
// profile directory, and returns a context for opening tabs in it.
func newBrowser(t *testing.T, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(1280, 800),
	)
	opts = append(opts, extra...)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelBrowser := chromedp.NewContext(ctx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return ctx
}

// tab is one browser tab. It records every console error, uncaught
// exception and CSP violation the page reports; the test fails on any.
type tab struct {
	t    *testing.T
	name string
	ctx  context.Context

	mu       sync.Mutex
	problems []string
	// outage is set while the test has the server down on purpose: failed
	// reconnection attempts are expected then.
	outage  bool
	closing bool
	// allowed are problems the test causes on purpose (a page it opens
	// to see a 404), by a part of their text.
	allowed  []string
	closeTab context.CancelFunc
}

// newPerson opens a tab in a fresh browser context: its own cookies, as a
// different person on a different computer would have.
func newPerson(t *testing.T, browser context.Context, name string) *tab {
	return openTab(t, name, browser, chromedp.WithNewBrowserContext())
}

// anotherTab opens a second tab sharing tb's cookies: the same person.
func (tb *tab) anotherTab(name string) *tab {
	return openTab(tb.t, name, tb.ctx)
}

func openTab(t *testing.T, name string, parent context.Context, opts ...chromedp.ContextOption) *tab {
	t.Helper()
	tb := &tab{t: t, name: name}
	opts = append(opts, chromedp.WithListener(tb.listen))
	ctx, cancel := chromedp.NewContext(parent, opts...)
	tb.ctx, tb.closeTab = ctx, cancel
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("%s: open tab: %v", name, err)
	}
	t.Cleanup(tb.close)
	return tb
}

// close fails the test if the page reported errors, then closes the tab as
// a person closing it would. What the page reports while it is being
// closed (requests cut off) is not held against it.
func (tb *tab) close() {
	tb.checkClean()
	tb.mu.Lock()
	tb.closing = true
	tb.mu.Unlock()
	tb.closeTab()
}

func (tb *tab) listen(ev any) {
	var problem string
	switch e := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range e.Args {
				parts = append(parts, strings.Trim(string(a.Value), `"`)+a.Description)
			}
			problem = "console error: " + strings.Join(parts, " ")
		}
	case *runtime.EventExceptionThrown:
		problem = "uncaught exception: " + e.ExceptionDetails.Text
		if e.ExceptionDetails.Exception != nil {
			problem += " " + e.ExceptionDetails.Exception.Description
		}
	case *log.EventEntryAdded:
		if e.Entry.Level == log.EntryLevelError {
			problem = fmt.Sprintf("browser log error (%s): %s", e.Entry.Source, e.Entry.Text)
		}
	}
	if problem == "" {
		return
	}
	tb.mu.Lock()
	defer tb.mu.Unlock()
	if tb.closing {
		return
	}
	if tb.outage && (strings.Contains(problem, "ERR_CONNECTION_REFUSED") || problem == "console error: [object Event]") {
		return
	}
	for _, a := range tb.allowed {
		if strings.Contains(problem, a) {
			return
		}
	}
	tb.problems = append(tb.problems, problem)
}

// duringOutage runs f, which takes the server down, accepting the errors a
// page reports while it cannot reconnect. The page keeps trying: that is
// the behaviour under test.
func duringOutage(tabs []*tab, f func()) {
	for _, tb := range tabs {
		tb.mu.Lock()
		tb.outage = true
		tb.mu.Unlock()
	}
	defer func() {
		for _, tb := range tabs {
			tb.mu.Lock()
			tb.outage = false
			tb.mu.Unlock()
		}
	}()
	f()
}

// allow accepts the problems a page reports whose text contains part:
// what the test causes on purpose.
func (tb *tab) allow(part string) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	tb.allowed = append(tb.allowed, part)
}

// checkClean fails the test if the page reported any error so far.
func (tb *tab) checkClean() {
	tb.t.Helper()
	tb.mu.Lock()
	defer tb.mu.Unlock()
	for _, p := range tb.problems {
		tb.t.Errorf("%s: %s", tb.name, p)
	}
	tb.problems = nil
}

// run runs browser actions, failing the test with the tab's name on error.
func (tb *tab) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		tb.t.Fatalf("%s: %s: %v", tb.name, what, err)
	}
}

// get runs one browser action that returns a value.
func get[T any](tb *tab, what string, action chromedp.Action[T]) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, action)
	if err != nil {
		tb.t.Fatalf("%s: %s: %v", tb.name, what, err)
	}
	return v
}

// text returns the visible text of the first element matching the CSS
// selector.
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	return strings.TrimSpace(get(tb, "read "+sel, chromedp.Text(chromedp.CSS(sel))))
}

// eval evaluates a JavaScript expression in the page: the test's own probe
// (the CSP applies to the page's scripts, not to the debugger).
func eval[T any](tb *tab, expr string) T {
	tb.t.Helper()
	return get(tb, "evaluate "+expr, chromedp.Evaluate[T](expr))
}

// waitFor polls the JavaScript condition until it is true, also across a
// navigation (which replaces the page the poll runs in).
func (tb *tab) waitFor(what, cond string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	for {
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingInterval(50*time.Millisecond)))
		if err == nil {
			return
		}
		if ctx.Err() == nil && navigating(err) {
			time.Sleep(50 * time.Millisecond)
			continue
		}
		tb.t.Fatalf("%s: wait for %s: %v", tb.name, what, err)
	}
}

// navigating reports whether err only says the page was being replaced.
func navigating(err error) bool {
	for _, s := range []string{"context with specified id", "context was destroyed", "navigated or closed"} {
		if strings.Contains(err.Error(), s) {
			return true
		}
	}
	return false
}

// path is the tab's current URL path.
func (tb *tab) path() string {
	tb.t.Helper()
	return eval[string](tb, "location.pathname")
}

// screenshot saves the page as PNG under CHAT_SCREENSHOTS, when set.
func (tb *tab) screenshot(name string) {
	dir := os.Getenv("CHAT_SCREENSHOTS")
	if dir == "" {
		return
	}
	png := get(tb, "screenshot", chromedp.CaptureScreenshot())
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		tb.t.Error(err)
	}
}

// signup fills in and sends the sign-up form, landing on the chat list.
func (tb *tab) signup(s *site, username, displayName string) {
	tb.t.Helper()
	tb.run("sign up "+username,
		chromedp.Navigate(s.URL+"/signup"),
		chromedp.SendKeys(chromedp.CSS("#username"), username),
		chromedp.SendKeys(chromedp.CSS("#display_name"), displayName),
		chromedp.SendKeys(chromedp.CSS("#password"), "password123"),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.topbar .me`)),
	)
}

// login fills in and sends the login form.
func (tb *tab) login(s *site, username string) {
	tb.t.Helper()
	tb.run("log in "+username,
		chromedp.Navigate(s.URL+"/login"),
		chromedp.SendKeys(chromedp.CSS("#username"), username),
		chromedp.SendKeys(chromedp.CSS("#password"), "password123"),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.topbar .me`)),
	)
}

// logout presses Log out and waits for the login page.
func (tb *tab) logout() {
	tb.t.Helper()
	tb.run("log out",
		chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/login"]`)),
	)
}
