package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestSignupLandsSignedIn(t *testing.T) {
	site := newTestSite(t)
	b := site.newBrowser(t)
	resp, doc := b.signup("alice", "Alice Liddell", "password123")
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/" {
		t.Fatalf("landed on %s with %d", resp.Request.URL.Path, resp.StatusCode)
	}
	if got := doc.Find(".topbar .me").Text(); got != "Alice Liddell" {
		t.Errorf("header shows %q, want the display name", got)
	}
	if doc.Find(`form[action="/logout"] button`).Text() != "Log out" {
		t.Error("no Log out button")
	}
	cookie := resp.Request.Header.Get("Cookie")
	if !strings.Contains(cookie, sessionCookie+"=") {
		t.Fatalf("no session cookie sent after signup: %q", cookie)
	}
}

func TestSessionCookieAttributes(t *testing.T) {
	site := newTestSite(t)
	b := site.newBrowser(t)
	b.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, _ := b.signup("alice", "Alice", "password123")
	var c *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == sessionCookie {
			c = ck
		}
	}
	if c == nil {
		t.Fatal("no session cookie set")
	}
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
		t.Errorf("cookie = %+v, want HttpOnly, SameSite=Lax, Path=/", c)
	}
	if c.Secure {
		t.Error("cookie is Secure on plain http: the browser would never send it back")
	}
}

func TestSignupRefusesBadInputAndStoresNothing(t *testing.T) {
	site := newTestSite(t)
	site.newBrowser(t).mustSignup("alice", "Alice")

	cases := []struct {
		name, username, display, password string
		field, wantErr                    string
	}{
		{"taken in another case", "ALICE", "Other", "password123", "username", "taken"},
		{"short password", "bob", "Bob", "short", "password", "at least 8"},
		{"username with space", "bob smith", "Bob", "password123", "username", "letters, digits"},
		{"username too short", "bo", "Bob", "password123", "username", "3 to 32"},
		{"username with dot", "bob.smith", "Bob", "password123", "username", "letters, digits"},
		{"missing display name", "bob", "  ", "password123", "display_name", "Enter the name"},
		{"display name with control character", "bob", "Bob\x07", "password123", "display_name", "control"},
		{"display name with a direction override", "bob", "Bob\u202Enimda", "password123", "display_name", "reverse the direction"},
		{"password too long for bcrypt", "bob", "Bob", strings.Repeat("x", 73), "password", "at most 72"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, doc := site.newBrowser(t).signup(c.username, c.display, c.password)
			if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/signup" {
				t.Errorf("status %d at %s, want the form again", resp.StatusCode, resp.Request.URL.Path)
			}
			msg := doc.Find("#" + c.field + "-error").Text()
			if !strings.Contains(msg, c.wantErr) {
				t.Errorf("error next to %s = %q, want it to mention %q", c.field, msg, c.wantErr)
			}
			if v, _ := doc.Find("#password").Attr("value"); v != "" {
				t.Errorf("the password was sent back: %q", v)
			}
			if c.field != "username" {
				if v, _ := doc.Find("#username").Attr("value"); v != c.username {
					t.Errorf("typed username not kept: %q", v)
				}
			}
		})
	}
	for _, c := range cases {
		if c.username != "ALICE" && site.userExists(t, c.username) {
			t.Errorf("refused sign-up %q stored an account", c.username)
		}
	}
}

func TestDisplayNameInAnyScript(t *testing.T) {
	site := newTestSite(t)
	b := site.newBrowser(t)
	b.mustSignup("zhang", "张三")
	_, doc := b.get("/")
	if got := doc.Find(".topbar .me").Text(); got != "张三" {
		t.Errorf("header shows %q", got)
	}
}

func TestLogin(t *testing.T) {
	site := newTestSite(t)
	site.newBrowser(t).mustSignup("alice", "Alice")

	t.Run("wrong password", func(t *testing.T) {
		resp, doc := site.newBrowser(t).login("alice", "wrong-password")
		if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/login" {
			t.Errorf("%d at %s", resp.StatusCode, resp.Request.URL.Path)
		}
		if !strings.Contains(doc.Find("#form-error").Text(), "Wrong username or password") {
			t.Errorf("error = %q", doc.Find("#form-error").Text())
		}
		if v, _ := doc.Find("#username").Attr("value"); v != "alice" {
			t.Errorf("typed username not kept: %q", v)
		}
	})
	t.Run("unknown user", func(t *testing.T) {
		resp, doc := site.newBrowser(t).login("nobody", "password123")
		if resp.Request.URL.Path != "/login" || !strings.Contains(doc.Find("#form-error").Text(), "Wrong username or password") {
			t.Errorf("%d: %q", resp.StatusCode, doc.Find("#form-error").Text())
		}
	})
	t.Run("right password, any case of username", func(t *testing.T) {
		resp, doc := site.newBrowser(t).login("ALICE", "password123")
		if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/" || doc.Find(".topbar .me").Text() != "Alice" {
			t.Errorf("%d at %s", resp.StatusCode, resp.Request.URL.Path)
		}
	})
}

func TestFailedLoginsAreThrottled(t *testing.T) {
	site := newTestSite(t)
	site.newBrowser(t).mustSignup("alice", "Alice")
	b := site.newBrowser(t)
	for i := 0; i < loginPairFailLimit; i++ {
		if resp, doc := b.login("alice", "wrong"); !strings.Contains(doc.Find("#form-error").Text(), "Wrong username or password") {
			t.Fatalf("attempt %d: status %d, %q", i+1, resp.StatusCode, doc.Find("#form-error").Text())
		}
	}
	// Even the right password is refused now, with a message saying why.
	resp, doc := b.login("alice", "password123")
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("after %d failures: status %d, want 429", loginPairFailLimit, resp.StatusCode)
	}
	if msg := doc.Find("#form-error").Text(); !strings.Contains(msg, "Too many failed attempts") {
		t.Errorf("message = %q", msg)
	}
	if resp.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After header")
	}
	if resp, _ := b.get("/"); resp.Request.URL.Path != "/login" {
		t.Errorf("the refused login reached %s", resp.Request.URL.Path)
	}
}

func TestLogoutEndsTheSessionOnTheServer(t *testing.T) {
	site := newTestSite(t)
	b := site.newBrowser(t)
	b.mustSignup("alice", "Alice")
	u, _ := url.Parse(site.URL)
	oldCookies := b.client.Jar.Cookies(u)

	resp, _ := b.post("/logout", nil)
	if resp.Request.URL.Path != "/login" {
		t.Fatalf("after logout landed on %s", resp.Request.URL.Path)
	}
	if resp, _ := b.get("/"); resp.Request.URL.Path != "/login" {
		t.Errorf("logged-out browser reached %s", resp.Request.URL.Path)
	}

	// Someone who kept a copy of the old cookie gets nowhere either.
	replay := site.newBrowser(t)
	replay.client.Jar.SetCookies(u, oldCookies)
	resp, _ = replay.get("/")
	if resp.Request.URL.Path != "/login" {
		t.Errorf("replayed cookie reached %s", resp.Request.URL.Path)
	}
}

func TestForgedCookieIsRefused(t *testing.T) {
	site := newTestSite(t)
	b := site.newBrowser(t)
	u, _ := url.Parse(site.URL)
	b.client.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: "forged-value", Path: "/"}})
	if resp, _ := b.get("/friends"); resp.Request.URL.Path != "/login" {
		t.Errorf("forged cookie reached %s", resp.Request.URL.Path)
	}
}

func TestSignedOutPagesRedirectToLogin(t *testing.T) {
	site := newTestSite(t)
	for _, path := range []string{"/", "/friends"} {
		resp, doc := site.newBrowser(t).get(path)
		if resp.Request.URL.Path != "/login" {
			t.Errorf("%s: landed on %s", path, resp.Request.URL.Path)
		}
		if doc.Find(`a[href^="/signup"]`).Length() == 0 {
			t.Errorf("%s: login page has no link to sign up", path)
		}
	}
	_, doc := site.newBrowser(t).get("/signup")
	if doc.Find(`a[href="/login"]`).Length() == 0 {
		t.Error("sign-up page has no link to log in")
	}
}

func TestCrossOriginPostIsRefused(t *testing.T) {
	site := newTestSite(t)
	for _, path := range []string{"/signup", "/login", "/logout"} {
		req, _ := http.NewRequest(http.MethodPost, site.URL+path,
			strings.NewReader(url.Values{"username": {"mallory"}, "display_name": {"M"}, "password": {"password123"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://evil.example")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("POST %s from another site: %d, want 403", path, resp.StatusCode)
		}
	}
	if site.userExists(t, "mallory") {
		t.Error("a cross-origin sign-up created an account")
	}
}

func TestEveryResponseCarriesSecurityHeaders(t *testing.T) {
	site := newTestSite(t)
	b := site.newBrowser(t)
	b.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	check := func(name string, resp *http.Response) {
		t.Helper()
		csp := resp.Header.Get("Content-Security-Policy")
		for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", name, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP allows unsafe code: %q", name, csp)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", name)
		}
		if resp.Header.Get("Referrer-Policy") == "" {
			t.Errorf("%s: no Referrer-Policy", name)
		}
	}
	for _, path := range []string{"/login", "/signup", "/", "/no-such-page"} {
		resp, _ := b.get(path)
		check("GET "+path, resp)
	}
	resp, _ := b.signup("alice", "Alice", "password123")
	check("POST /signup", resp)
	for _, path := range []string{"/", "/friends"} {
		resp, _ := b.get(path)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s signed in: %d", path, resp.StatusCode)
		}
		check("GET "+path+" signed in", resp)
	}
}

func TestDisplayNameWithMarkupRendersAsText(t *testing.T) {
	site := newTestSite(t)
	b := site.newBrowser(t)
	b.mustSignup("mallory", "<script>alert(1)</script>")
	resp, err := b.client.Get(site.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	doc := parse(t, resp)
	if doc.Find("body script").Length() != 0 {
		t.Error("the display name became a script element")
	}
	if got := doc.Find(".topbar .me").Text(); got != "<script>alert(1)</script>" {
		t.Errorf("header shows %q", got)
	}
}

func TestStaticFilesAreCachedByHash(t *testing.T) {
	site := newTestSite(t)
	b := site.newBrowser(t)
	_, doc := b.get("/login")
	var srcs []string
	doc.Find("script[src], link[rel=stylesheet], link[rel=icon]").Each(func(_ int, s *goquery.Selection) {
		src, ok := s.Attr("src")
		if !ok {
			src, _ = s.Attr("href")
		}
		srcs = append(srcs, src)
	})
	if len(srcs) != 7 {
		t.Fatalf("page references %v, want htmx, the ws extension, app.js, conversation.js, attach.js, app.css and the icon", srcs)
	}
	for _, src := range srcs {
		resp, err := b.client.Get(site.URL + src)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("%s: %d, Cache-Control %q", src, resp.StatusCode, resp.Header.Get("Cache-Control"))
		}
	}
	resp, err := b.client.Get(site.URL + "/static/000000000000/app.js")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("stale hash: %d, Cache-Control %q; want the current file, uncached", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
}

// A wrong method is told so, with the methods the address takes; an
// address that does not exist is not found, whatever the method.
func TestWrongMethodIs405WithAllow(t *testing.T) {
	site := newTestSite(t)
	b := site.newBrowser(t)
	b.mustSignup("alice", "Alice")
	for _, c := range []struct {
		method, path string
		status       int
		allow        string
	}{
		{http.MethodPost, "/friends/search", http.StatusMethodNotAllowed, "GET, HEAD"},
		{http.MethodGet, "/logout", http.StatusMethodNotAllowed, "POST"},
		{http.MethodDelete, "/signup", http.StatusMethodNotAllowed, "GET, HEAD, POST"},
		{http.MethodGet, "/no/such/page", http.StatusNotFound, ""},
		{http.MethodPost, "/no/such/page", http.StatusNotFound, ""},
	} {
		req, _ := http.NewRequest(c.method, site.URL+c.path, nil)
		req.Header.Set("Origin", site.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		resp, err := b.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		doc := parse(t, resp)
		if resp.StatusCode != c.status || resp.Header.Get("Allow") != c.allow {
			t.Errorf("%s %s: %d, Allow %q; want %d, Allow %q", c.method, c.path, resp.StatusCode, resp.Header.Get("Allow"), c.status, c.allow)
		}
		if doc.Find("h1").Length() == 0 && doc.Find(".card").Length() == 0 {
			t.Errorf("%s %s: not the site's own page", c.method, c.path)
		}
	}
}

// bcrypt reads 72 bytes of a password: a longer one that starts like the
// real one must not log in.
func TestLoginRefusesPasswordsPastBcryptsLength(t *testing.T) {
	site := newTestSite(t)
	password := strings.Repeat("p", maxPasswordBytes)
	if resp, _ := site.newBrowser(t).signup("alice", "Alice", password); resp.Request.URL.Path != "/" {
		t.Fatalf("sign-up with a %d-byte password landed on %s", len(password), resp.Request.URL.Path)
	}
	if resp, doc := site.newBrowser(t).login("alice", password+"anything"); resp.Request.URL.Path == "/" || !strings.Contains(doc.Find("#form-error").Text(), "Wrong username or password") {
		t.Errorf("a longer password with the same start: on %s, %q", resp.Request.URL.Path, doc.Find("#form-error").Text())
	}
	if resp, _ := site.newBrowser(t).login("alice", password); resp.Request.URL.Path != "/" {
		t.Errorf("the right password: on %s", resp.Request.URL.Path)
	}
}
