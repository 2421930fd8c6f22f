package handlers

import (
	"bytes"
	"context"
	"errors"
	"net/http"

	"github.com/a-h/templ"

	"chat/views"
)

// render writes c as an HTML response. It renders into a buffer first, so a
// failing component becomes a clean 500 instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	var buf bytes.Buffer
	if err := c.Render(r.Context(), &buf); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if t := serverTiming(r); t != "" {
		w.Header().Set("Server-Timing", t)
	}
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// errorPage answers with a whole page explaining what went wrong.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, title, message string) {
	s.render(w, r, status, views.ErrorPage(title, message))
}

// serverError logs err once and answers with a generic 500: internals are
// never shown to people. A request whose client has gone away is not the
// server's failure: it is logged at info, and nobody is left to answer.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		s.log.Info("client went away", "method", r.Method, "path", r.URL.Path)
		return
	}
	s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	var buf bytes.Buffer
	if views.ErrorPage(t(r, "error.server_title"), t(r, "error.server")).Render(r.Context(), &buf) == nil {
		w.Write(buf.Bytes())
	}
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.errorPage(w, r, http.StatusNotFound, t(r, "error.not_found_title"), t(r, "error.not_found"))
}
