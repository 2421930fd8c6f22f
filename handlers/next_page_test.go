package handlers

import (
	"net/http"
	"net/url"
	"testing"
)

// A page opened while signed out is where logging in lands; only pages
// of this site are returned to.
func TestLoginReturnsToThePageAskedFor(t *testing.T) {
	site := newTestSite(t)
	alice, _ := chatPair(t, site)
	alice.post("/logout", nil)

	resp, doc := alice.get("/chats/bob?x=1")
	if resp.Request.URL.Path != "/login" || resp.Request.URL.Query().Get("next") != "/chats/bob?x=1" {
		t.Fatalf("signed out, /chats/bob led to %s", resp.Request.URL)
	}
	next := doc.Find(`input[name=next]`).AttrOr("value", "")
	if next != "/chats/bob?x=1" || doc.Find(`a[href="/signup?next=%2Fchats%2Fbob%3Fx%3D1"]`).Length() != 1 {
		t.Errorf("the login form keeps next %q; sign-up link %v", next, doc.Find(".switch a").AttrOr("href", ""))
	}
	resp, _ = alice.post("/login", url.Values{"username": {"alice"}, "password": {"password123"}, "next": {next}})
	if resp.Request.URL.RequestURI() != "/chats/bob?x=1" {
		t.Errorf("logged in, landed on %s", resp.Request.URL.RequestURI())
	}

	for _, bad := range []string{"https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "/logout", "chats/bob"} {
		alice.post("/logout", nil)
		resp, _ := alice.post("/login", url.Values{"username": {"alice"}, "password": {"password123"}, "next": {bad}})
		if resp.Request.URL.Host != "" && resp.Request.URL.Host != mustURL(site.URL).Host || resp.Request.URL.Path != "/" {
			t.Errorf("next %q landed on %s", bad, resp.Request.URL)
		}
	}

	// An htmx request from a page whose login ended: htmx is sent to the
	// login page, to come back to that page.
	alice.post("/logout", nil)
	req, _ := http.NewRequest(http.MethodGet, site.URL+"/friends/search?q=b", nil)
	req.Header.Set("HX-Request", "true")
	req.Header.Set("HX-Current-URL", site.URL+"/friends")
	resp, err := alice.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("HX-Redirect"); got != "/login?next=%2Ffriends" {
		t.Errorf("HX-Redirect %q", got)
	}
}

func mustURL(s string) *url.URL {
	u, _ := url.Parse(s)
	return u
}
