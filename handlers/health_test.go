package handlers

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"
)

func getStatus(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// /healthz answers while the process runs; /readyz only while the
// database takes a write and the live layer runs: another process holding
// the database's write lock makes it 503, as does stopping the live layer.
func TestReadinessFollowsTheDatabaseAndTheLiveLayer(t *testing.T) {
	site := newTestSite(t)
	if code, body := getStatus(t, site.URL+"/healthz"); code != http.StatusOK || body != "ok\n" {
		t.Errorf("healthz: %d %q", code, body)
	}
	if code, body := getStatus(t, site.URL+"/readyz"); code != http.StatusOK || body != "ready\n" {
		t.Errorf("readyz: %d %q", code, body)
	}

	// Another process takes the write lock and keeps it.
	other, err := sql.Open("sqlite3", "file:"+filepath.Join(site.dir, "chat.db")+"?_busy_timeout=0")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), `BEGIN EXCLUSIVE`); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	code, body := getStatus(t, site.URL+"/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "database") {
		t.Errorf("readyz with the database locked: %d %q", code, body)
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("readyz took %v to answer", time.Since(start))
	}
	if code, _ := getStatus(t, site.URL+"/healthz"); code != http.StatusOK {
		t.Errorf("healthz with the database locked: %d", code)
	}
	if _, err := conn.ExecContext(context.Background(), `ROLLBACK`); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	// Ready again once the lock is gone (the check that waited for it
	// ends first).
	deadline := time.Now().Add(15 * time.Second)
	for {
		if code, _ := getStatus(t, site.URL+"/readyz"); code == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("readyz stayed 503 after the lock was released")
		}
		time.Sleep(100 * time.Millisecond)
	}

	site.stop()
	if code, body := getStatus(t, site.URL+"/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "live") {
		t.Errorf("readyz with the live layer stopped: %d %q", code, body)
	}
}
