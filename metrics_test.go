package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"chat/db"
)

// freeAddr is a loopback address nothing listens on now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// scrape reads the metrics page and returns it.
func scrape(t *testing.T, addr string) string {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return string(body)
}

// value is the sample of a metric line (name with its labels as
// printed), 0 when there is none.
func value(page, series string) float64 {
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`).FindStringSubmatch(page)
	if m == nil {
		return 0
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	return v
}

// The private listener serves the metrics; they count what the site
// does: requests by their route's pattern (never the path), refused
// logins, commits; and Go's own.
func TestMetricsCountWhatTheSiteDoes(t *testing.T) {
	site, debug := freeAddr(t), freeAddr(t)
	cfg := config{addr: site, dataDir: t.TempDir(), synchronous: db.SynchronousFull, signupsPerHour: -1, logFormat: "text", debugAddr: debug}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil))) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	base := "http://" + site
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			if _, err := http.Get("http://" + debug + "/metrics"); err == nil {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("the server did not start")
		}
	}
	before := scrape(t, debug)
	for _, name := range []string{"chat_open_tabs", "chat_online_people", "chat_messages_stored_total", "chat_commit_seconds_bucket",
		"chat_writes_per_commit_bucket", "chat_messages_per_commit_bucket", "chat_publish_seconds_bucket", "chat_sockets_dropped_total",
		"chat_logins_failed_total", "chat_logins_throttled_total", "go_goroutines", "go_memstats_heap_alloc_bytes"} {
		if !strings.Contains(before, "\n"+name) {
			t.Errorf("no %s", name)
		}
	}

	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(path string, form url.Values) {
		req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", base)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	post("/signup", url.Values{"username": {"alice"}, "display_name": {"Alice"}, "password": {"password123"}})
	post("/login", url.Values{"username": {"alice"}, "password": {"wrong password"}})
	if resp, err := client.Get(base + "/chats/bob"); err == nil {
		resp.Body.Close()
	}
	want := map[string]float64{
		"chat_logins_failed_total":                                         1,
		`chat_http_requests_total{route="POST /login",status="200"}`:       1,
		`chat_http_requests_total{route="POST /signup",status="303"}`:      1,
		`chat_http_requests_total{route="GET /chats/{peer}",status="303"}`: 1,
	}
	// A request is counted once its answer is written: the client may
	// read the answer a moment before.
	var after string
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		after = scrape(t, debug)
		moved := true
		for series, n := range want {
			moved = moved && value(after, series)-value(before, series) >= n
		}
		if moved || time.Now().After(deadline) {
			break
		}
	}
	for series, n := range want {
		if got := value(after, series) - value(before, series); got != n {
			t.Errorf("%s moved by %v, want %v", series, got, n)
		}
	}
	if value(after, "chat_commit_seconds_count") <= value(before, "chat_commit_seconds_count") {
		t.Error("the sign-up's commit was not counted")
	}
	if strings.Contains(after, "/chats/bob") {
		t.Error("a path asked for is a label")
	}
}
