package handlers

import (
	"net/http"
	"net/url"
	"strings"
)

// A link opened while signed out leads to the login page and, once
// logged in (or signed up), back to where it pointed: "next", a path of
// this site. Anything else (another site, a scheme, "//host") is
// dropped: the login page must not send people elsewhere.

// safeNext returns next if it is a path of this site worth returning
// to, and "" otherwise.
func safeNext(next string) string {
	if len(next) > 2000 || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return ""
	}
	switch u.Path {
	case "/", "/login", "/signup", "/logout", "/ws":
		return ""
	}
	return u.RequestURI()
}

// nextOf is the page a signed-out request asked for: its own address, or
// for htmx the address of the page it came from.
func nextOf(r *http.Request) string {
	if r.Header.Get("HX-Request") == "true" {
		u, err := url.Parse(r.Header.Get("HX-Current-URL"))
		if err != nil || u.Host != r.Host {
			return ""
		}
		return safeNext(u.RequestURI())
	}
	if r.Method != http.MethodGet {
		return ""
	}
	return safeNext(r.URL.RequestURI())
}

// afterLogin is where a new session goes: the page asked for, or the
// chat list.
func afterLogin(next string) string {
	if next = safeNext(next); next != "" {
		return next
	}
	return "/"
}
