package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chat/db"
)

func TestEachCommandSaysWhatItTakes(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"-h"}, 0, "-tls-cert"},
		{[]string{"serve", "-h"}, 0, "-log-format"},
		{[]string{"admin", "reset-password", "-h"}, 0, "USERNAME"},
		{[]string{"help"}, 0, "reset-password"},
		{[]string{"admin"}, 2, "reset-password"},
		{[]string{"admin", "reset-password"}, 2, "USERNAME"},
		{[]string{"nothing"}, 2, `no command "nothing"`},
		{[]string{"serve", "-log-format", "xml"}, 2, "neither text nor json"},
	} {
		var out, errOut bytes.Buffer
		code := runCommand(c.args, &out, &errOut)
		if code != c.code || !strings.Contains(out.String()+errOut.String(), c.says) {
			t.Errorf("chat %s: %d, %q %q", strings.Join(c.args, " "), code, out.String(), errOut.String())
		}
	}
}

// The link printed works once, for an hour: it sets the password and
// ends every login; the database file is the server's user's only.
func TestResetPasswordPrintsALinkThatWorksOnce(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "chat.db")
	ctx := context.Background()
	store, err := db.Open(ctx, path, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	alice, err := store.CreateUser(ctx, db.NewUser{Username: "alice", DisplayName: "Alice", PasswordHash: "old"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.CreateSession(ctx, alice.ID, []byte("a login"), time.Hour, ""); err != nil {
		t.Fatal(err)
	}
	// The command runs beside the server, which keeps its store open.
	var out, errOut bytes.Buffer
	if code := runCommand([]string{"admin", "reset-password", "-data", dir, "-url", "https://chat.example/", "alice"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	link := strings.TrimSpace(out.String())
	token, ok := strings.CutPrefix(link, "https://chat.example/reset/")
	if !ok || len(token) != 64 {
		t.Fatalf("printed %q", link)
	}
	if u, err := store.ResetUser(ctx, []byte(token)); err != nil || u.ID != alice.ID {
		t.Fatalf("the link is for %+v, %v", u, err)
	}
	u, ended, err := store.UsePasswordReset(ctx, []byte(token), "new")
	if err != nil || u.ID != alice.ID || len(ended) != 1 {
		t.Fatalf("using it: %+v %v %v", u, ended, err)
	}
	if _, hash, _ := store.Credentials(ctx, "alice"); hash != "new" {
		t.Errorf("the password hash is %q", hash)
	}
	if _, _, err := store.UsePasswordReset(ctx, []byte(token), "again"); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("using it twice: %v", err)
	}
	if code := runCommand([]string{"admin", "reset-password", "-data", dir, "nobody"}, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "no one") {
		t.Errorf("for nobody: %d %q", code, errOut.String())
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"chat.db", "chat.db-wal"} {
		if st, err := os.Stat(filepath.Join(dir, name)); err == nil && st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v", name, st.Mode().Perm())
		}
	}
}

// selfSigned writes a certificate for 127.0.0.1 and its key, and returns
// their paths and a pool that trusts it.
func selfSigned(t *testing.T) (string, string, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "chat test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certPath, keyPath := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return certPath, keyPath, pool
}

// With -tls-cert and -tls-key the site speaks HTTPS, tells browsers to
// keep to it (HSTS), and its session cookie is Secure.
func TestTLSServesHTTPSWithHSTSAndSecureCookies(t *testing.T) {
	certPath, keyPath, pool := selfSigned(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dir := t.TempDir()
	cfg := config{addr: addr, dataDir: dir, synchronous: db.SynchronousFull, signupsPerHour: -1, logFormat: "json", tlsCert: certPath, tlsKey: keyPath}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, cfg, slog.New(slog.NewJSONHandler(io.Discard, nil))) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	client := &http.Client{
		Transport:     &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	base := "https://" + addr
	var resp *http.Response
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(50 * time.Millisecond) {
		if resp, err = client.Get(base + "/healthz"); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server did not answer: %v", err)
		}
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Strict-Transport-Security") == "" {
		t.Errorf("healthz over HTTPS: %d, HSTS %q", resp.StatusCode, resp.Header.Get("Strict-Transport-Security"))
	}
	form := url.Values{"username": {"alice"}, "display_name": {"Alice"}, "password": {"password123"}}
	req, _ := http.NewRequest(http.MethodPost, base+"/signup", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	resp, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cookies := resp.Cookies()
	if len(cookies) == 0 || !cookies[0].Secure || !cookies[0].HttpOnly {
		t.Errorf("the session cookie over HTTPS: %+v", cookies)
	}
	if st, err := os.Stat(filepath.Join(dir, "chat.db")); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("chat.db: %v %v", st.Mode(), err)
	}
}
