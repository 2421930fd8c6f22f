package handlers

import (
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
)

// postFrom posts a form as a browser behind a proxy would arrive: with
// the headers the proxy adds.
func (b *browser) postFrom(path string, form url.Values, forwardedFor, proto string) (*http.Response, string) {
	b.t.Helper()
	req, _ := newFormRequest(b.site.URL+path, form)
	req.Header.Set("Origin", b.site.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", forwardedFor)
	}
	if proto != "" {
		req.Header.Set("X-Forwarded-Proto", proto)
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	doc := parse(b.t, resp)
	return resp, doc.Find("#form-error").Text()
}

// sessionCookieOf returns the Set-Cookie line of the session cookie the
// first answer of a redirect chain set.
func sessionCookieOf(resp *http.Response) string {
	for r := resp; r != nil; r = r.Request.Response {
		for _, c := range r.Header.Values("Set-Cookie") {
			if strings.HasPrefix(c, sessionCookie+"=") {
				return c
			}
		}
	}
	return ""
}

// Forwarded headers are believed from a trusted proxy only: from anyone
// else they would let a client pose as HTTPS, or as a new address each
// time to escape the login throttle.
func TestForwardedHeadersOnlyFromATrustedProxy(t *testing.T) {
	for _, trusted := range []bool{false, true} {
		t.Run(fmt.Sprint("trusted=", trusted), func(t *testing.T) {
			site := newTestSiteWith(t, func(c *siteConfig) {
				if trusted {
					c.Handlers.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
				}
			})
			resp, _ := site.newBrowser(t).postFrom("/signup",
				url.Values{"username": {"alice"}, "display_name": {"Alice"}, "password": {"password123"}}, "203.0.113.7", "https")
			secure := strings.Contains(sessionCookieOf(resp), "; Secure")
			if secure != trusted {
				t.Errorf("session cookie %q: Secure %v, want %v", sessionCookieOf(resp), secure, trusted)
			}

			// Failed logins "from" different addresses.
			b := site.newBrowser(t)
			for i := range loginPairFailLimit {
				b.postFrom("/login", url.Values{"username": {"alice"}, "password": {"wrong"}}, fmt.Sprintf("198.51.100.%d", i), "")
			}
			_, msg := b.postFrom("/login", url.Values{"username": {"alice"}, "password": {"password123"}}, "198.51.100.200", "")
			throttled := strings.Contains(msg, "Too many failed attempts")
			if throttled == trusted {
				// Trusted: each failure came from its own client, none
				// reached the limit. Not trusted: they all came from this
				// one connection's address, which did.
				t.Errorf("after failures from %d forwarded addresses: %q (throttled %v, want %v)", loginPairFailLimit, msg, throttled, !trusted)
			}
		})
	}
}

func TestClientAddressFromForwardedFor(t *testing.T) {
	s := &Server{trustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.1/32")}}
	for _, c := range []struct {
		header []string
		want   string
	}{
		{[]string{"203.0.113.7"}, "203.0.113.7"},
		{[]string{"1.2.3.4, 203.0.113.7"}, "203.0.113.7"},     // the first was written by the client
		{[]string{"203.0.113.7, 10.1.2.3"}, "203.0.113.7"},    // through two of our proxies
		{[]string{"203.0.113.7", "192.0.2.1"}, "203.0.113.7"}, // two header lines
		{[]string{"not an address, 203.0.113.7"}, "203.0.113.7"},
		{[]string{"203.0.113.7, garbage"}, ""}, // believe none of it
		{[]string{"10.0.0.1"}, ""},             // only proxies
		{nil, ""},
	} {
		if got := s.forwardedFor(c.header); got != c.want {
			t.Errorf("X-Forwarded-For %q: %q, want %q", c.header, got, c.want)
		}
	}
}

// One address may make only so many accounts an hour.
func TestSignupsAreLimitedPerAddress(t *testing.T) {
	site := newTestSiteWith(t, func(c *siteConfig) { c.Handlers.SignupsPerHour = 3 })
	for i := range 3 {
		site.newBrowser(t).mustSignup(fmt.Sprintf("user%d", i), "User")
	}
	resp, doc := site.newBrowser(t).signup("onemore", "One more", "password123")
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(doc.Find("#form-error").Text(), "Too many new accounts") {
		t.Errorf("the fourth sign-up: %d, %q", resp.StatusCode, doc.Find("#form-error").Text())
	}
	if resp.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	if v := doc.Find("#username").AttrOr("value", ""); v != "onemore" {
		t.Errorf("the typed username was not kept: %q", v)
	}
	if site.userExists(t, "onemore") {
		t.Error("the refused account was made")
	}
}
