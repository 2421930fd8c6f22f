package handlers

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"chat/db"
	"chat/lang"
	"chat/text"
)

// What sign-up takes is what the rules allow, whatever was typed.
func FuzzSignupInput(f *testing.F) {
	f.Add("alice", "Alice", "password123")
	f.Add("张三", "张三", "短")
	f.Add("bob smith", "Bob\u202e", strings.Repeat("x", 73))
	f.Add("", "\x00", "")
	f.Fuzz(func(t *testing.T, username, displayName, password string) {
		in := signupInput{Username: username, DisplayName: displayName, Password: password}
		if in.validate(lang.English).Any() {
			return
		}
		switch {
		case !usernamePattern.MatchString(username):
			t.Fatalf("took username %q", username)
		case displayName == "" || utf8.RuneCountInString(displayName) > maxDisplayNameLen || text.CheckName(displayName) != nil:
			t.Fatalf("took display name %q", displayName)
		case utf8.RuneCountInString(password) < minPasswordLen || len(password) > maxPasswordBytes:
			t.Fatalf("took a password of %d bytes", len(password))
		}
	})
}

// Forwarded addresses are believed only as far as trusted proxies vouch
// for them, whatever the header says.
func FuzzForwardedFor(f *testing.F) {
	f.Add("203.0.113.7", "")
	f.Add("1.2.3.4, 10.0.0.1", "192.0.2.1")
	f.Add("garbage,,  ,::ffff:10.0.0.1", "fe80::1%eth0")
	s := &Server{trustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.1/32")}}
	f.Fuzz(func(t *testing.T, first, second string) {
		got := s.forwardedFor([]string{first, second})
		if got == "" {
			return
		}
		sent := false // got is one of the addresses in the headers
		for _, hop := range strings.Split(first+","+second, ",") {
			if ip, err := netip.ParseAddr(strings.TrimSpace(hop)); err == nil && ip.Unmap().String() == got {
				sent = true
			}
		}
		if !sent || s.trusted(got) {
			t.Fatalf("%q, %q gave %q", first, second, got)
		}
	})
}

// No cookie a client can make up is a session.
func FuzzSessionCookie(f *testing.F) {
	site := newTestSite(f)
	b := site.newBrowser(f)
	b.mustSignup("alice", "Alice")
	u, _ := url.Parse(site.URL)
	real := b.client.Jar.Cookies(u)[0].Value
	f.Add(real[:len(real)-2] + "AA") // a real cookie, altered
	f.Add("")
	f.Add("MTcwMDAwMDAwMHxkR1Z6ZEE9PXxhYmM=")
	f.Add(strings.Repeat("A", 4096))
	f.Fuzz(func(t *testing.T, value string) {
		if value == real {
			return
		}
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Cookie", sessionCookie+"="+value)
		if _, err := site.app.currentSession(r); err != errNoSession {
			t.Fatalf("cookie %q: %v", value, err)
		}
	})
}

// The forms and addresses a client can send get an answer, never a
// server error: sign-up, login, the friend actions, the message actions,
// settings, and the pages that take a name from the address.
func FuzzFormPosts(f *testing.F) {
	site := newTestSiteWith(f, func(c *siteConfig) { c.Handlers.SignupsPerHour = -1 })
	alice, bob := site.newBrowser(f), site.newBrowser(f)
	alice.mustSignup("alice", "Alice")
	bob.mustSignup("bob", "Bob")
	// Friends, with a message each way, for the message actions.
	alice.post("/friends/requests", url.Values{"username": {"bob"}})
	bob.post("/friends/requests", url.Values{"username": {"alice"}})
	a, b := site.user(f, "alice"), site.user(f, "bob")
	for i, m := range []db.NewMessage{{From: a, To: b, ClientID: "fuzz-seed-1", Body: "one"}, {From: b, To: a, ClientID: "fuzz-seed-2", Body: "two"}} {
		if err := site.store.QueueMessage(context.Background(), m); err != nil {
			f.Fatal(i, err)
		}
	}
	u, _ := url.Parse(site.URL)
	var cookie string
	for _, c := range alice.client.Jar.Cookies(u) {
		cookie += c.Name + "=" + c.Value + "; "
	}
	f.Add(uint8(0), "carol", "Carol", "password123")
	f.Add(uint8(1), "alice", "wrong", "")
	f.Add(uint8(2), "bob", "", "")
	f.Add(uint8(3), "1", "accept", "")
	f.Add(uint8(3), "-1", "decline", "")
	f.Add(uint8(4), "99999999999999999999", "", "")
	f.Add(uint8(5), "bob", "", "")
	f.Add(uint8(6), "b%", "", "")
	f.Add(uint8(7), "bob", "0", "")
	f.Add(uint8(8), "bob", "", "")
	f.Add(uint8(9), "bob", "1", "edit:changed")
	f.Add(uint8(9), "bob", "2", "react:👍")
	f.Add(uint8(9), "bob", "1", "delete:")
	f.Add(uint8(9), "bob", "2", "hide:")
	f.Add(uint8(10), "on", "", "")
	valid := regexp.MustCompile(`^[\x21-\x7e]*$`)
	f.Fuzz(func(t *testing.T, which uint8, a, b, c string) {
		seg := func(s string) string { return url.PathEscape(s) }
		var method, path string
		form := url.Values{}
		switch which % 11 {
		case 0:
			method, path = http.MethodPost, "/signup"
			form.Set("username", a)
			form.Set("display_name", b)
			form.Set("password", c)
		case 1:
			method, path = http.MethodPost, "/login"
			form.Set("username", a)
			form.Set("password", b)
		case 2:
			method, path = http.MethodPost, "/friends/requests"
			form.Set("username", a)
		case 3:
			method, path = http.MethodPost, "/friends/requests/"+seg(a)+"/"+seg(b)
		case 4:
			method, path = http.MethodPost, "/friends/requests/"+seg(a)+"/cancel"
		case 5:
			method, path = http.MethodPost, "/friends/"+seg(a)+"/remove"
		case 6:
			method, path = http.MethodGet, "/friends/search?q="+url.QueryEscape(a)
		case 7:
			method, path = http.MethodGet, "/chats/"+seg(a)+"/messages?before="+url.QueryEscape(b)
		case 8:
			method, path = http.MethodGet, "/chats/"+seg(a)
		case 9:
			// c is "action:value": the message actions, with their text
			// or emoji.
			action, value, _ := strings.Cut(c, ":")
			method, path = http.MethodPost, "/chats/"+seg(a)+"/messages/"+seg(b)+"/"+seg(action)
			form.Set("message", value)
			form.Set("emoji", value)
		case 10:
			method, path = http.MethodPost, "/settings"
			form.Set("read_receipts", a)
		}
		if !valid.MatchString(path) {
			return
		}
		r := httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Origin", site.URL)
		r.Header.Set("Sec-Fetch-Site", "same-origin")
		r.Header.Set("Cookie", cookie)
		w := httptest.NewRecorder()
		site.Config.Handler.ServeHTTP(w, r)
		if w.Code >= 500 {
			t.Fatalf("%s %s %v: %d", method, path, form, w.Code)
		}
	})
}
