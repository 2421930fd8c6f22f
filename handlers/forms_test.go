package handlers

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// postRaw sends a form post by hand on a fresh connection to a server
// with srv's handler and the given read timeout, writing only the start
// of the body it announces, and returns the answer.
func postRaw(t *testing.T, site *testSite, readTimeout time.Duration, path string, announced int, body string) *http.Response {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: site.Config.Handler, ReadTimeout: readTimeout}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	host := ln.Addr().String()
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nOrigin: http://%s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s",
		path, host, host, announced, body)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// A client too slow to send its form is told so (408), and the server
// logs it as the client's doing, not as its own failure.
func TestASlowFormIsTheClientsFault(t *testing.T) {
	site := newTestSite(t)
	resp := postRaw(t, site, 300*time.Millisecond, "/login", 100, "username=alice&pass")
	if resp.StatusCode != http.StatusRequestTimeout {
		t.Errorf("a login body that stopped coming: %d, want 408", resp.StatusCode)
	}
	logs := site.logs.String()
	if strings.Contains(logs, "level=ERROR") || !strings.Contains(logs, "reason=too_slow") {
		t.Errorf("logged:\n%s", logs)
	}
}

func TestAHugeFormIsRefused(t *testing.T) {
	site := newTestSite(t)
	body := "username=" + strings.Repeat("a", maxFormBytes)
	resp := postRaw(t, site, 5*time.Second, "/signup", len(body), body)
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a form of %d bytes: %d, want 413", len(body), resp.StatusCode)
	}
	if site.userExists(t, "a") {
		t.Error("stored")
	}
}
