package handlers

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"chat/lang"
)

// contentSecurityPolicy allows scripts, styles and connections only from
// this site: no inline script or style, no eval, no framing. Images may
// also be blob: URLs, the browser's own copy of a picture chosen to send.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
	"connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"

// securityHeaders sets the headers every response carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if clientOf(r).https {
			// Browsers come back by HTTPS only, for a year.
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// withLang says every page in the browser's language (Accept-Language),
// among those offered, until requireLogin finds the person's own setting.
func withLang(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l := lang.Choose("", r.Header.Get("Accept-Language"))
		w.Header().Add("Vary", "Accept-Language")
		next.ServeHTTP(w, r.WithContext(lang.With(r.Context(), l)))
	})
}

// crossOriginProtection refuses state-changing requests (anything but GET,
// HEAD, OPTIONS) sent by another site, with a 403 page.
func (s *Server) crossOriginProtection(next http.Handler) http.Handler {
	p := http.NewCrossOriginProtection()
	p.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.log.Warn("cross-origin request refused", "method", r.Method, "path", r.URL.Path)
		s.errorPage(w, r, http.StatusForbidden, t(r, "error.cross_site_title"), t(r, "error.cross_site"))
	}))
	return p.Handler(next)
}

// maxFormBytes bounds a form's body: the longest form (sign-up) is well
// under a kilobyte.
const maxFormBytes = 64 << 10

// readForms reads the body of every form post before the handler runs,
// so that a body that cannot be read is answered as the client's fault:
// 408 when it came too slowly, 413 when too large, 400 otherwise, logged
// at info. Handlers then read the parsed form.
func (s *Server) readForms(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
			next.ServeHTTP(w, r)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		err := r.ParseForm()
		var tooLarge *http.MaxBytesError
		var netErr net.Error
		if err != nil {
			// The connection's failure ended the request's context: the
			// answer is still written.
			r = r.WithContext(context.WithoutCancel(r.Context()))
		}
		switch {
		case err == nil:
			next.ServeHTTP(w, r)
		case errors.As(err, &tooLarge):
			s.log.Info("form refused", "reason", "too_large", "path", r.URL.Path)
			s.errorPage(w, r, http.StatusRequestEntityTooLarge, t(r, "error.form_large_title"), t(r, "error.form_large"))
		case errors.As(err, &netErr) && netErr.Timeout():
			s.log.Info("form refused", "reason", "too_slow", "path", r.URL.Path)
			w.Header().Set("Connection", "close")
			s.errorPage(w, r, http.StatusRequestTimeout, t(r, "error.form_slow_title"), t(r, "error.form_slow"))
		default:
			s.log.Info("form refused", "reason", "unreadable", "path", r.URL.Path)
			s.errorPage(w, r, http.StatusBadRequest, t(r, "error.form_unreadable_title"), t(r, "error.form_unreadable"))
		}
	})
}

// logRequests writes one log line per request: method, path, status and
// duration. Never bodies, query strings or cookies.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		route := new(string) // the route that takes it (noRoute says)
		ctx := context.WithValue(context.WithValue(r.Context(), startKey{}, start), routeKey{}, route)
		next.ServeHTTP(rec, r.WithContext(ctx))
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		if s.observer != nil {
			s.observer.Request(*route, rec.status, time.Since(start))
		}
		s.log.Info("request",
			"method", r.Method,
			"path", r.URL.Path,
			"status", rec.status,
			"duration_ms", float64(time.Since(start).Microseconds())/1000)
	})
}

type startKey struct{}

// routeKey holds, in a request's context, where the route table writes
// the pattern of the route that took the request.
type routeKey struct{}

// serverTiming is the Server-Timing header value for a response about to
// be written: the time spent on the request so far, for browsers' developer
// tools and the load generator.
func serverTiming(r *http.Request) string {
	start, ok := r.Context().Value(startKey{}).(time.Time)
	if !ok {
		return ""
	}
	return fmt.Sprintf("app;dur=%.3f", float64(time.Since(start).Microseconds())/1000)
}

// statusRecorder remembers the status code written through it. It passes
// Hijack through so websocket upgrades work behind it.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := r.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("response writer cannot hijack")
	}
	r.status = http.StatusSwitchingProtocols
	return h.Hijack()
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
