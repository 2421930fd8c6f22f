package handlers

import (
	"net/http"
	"sync"
	"time"

	"chat/lang"
	"chat/views"
)

// The browser's way of showing times, which app.js keeps in two cookies so
// pages and live updates are rendered as the reader's clock shows them:
// its IANA time zone, and whether it reads a 12-hour clock.
const (
	tzCookie    = "tz"
	clockCookie = "clock" // "12" or "24"
)

var zones sync.Map // name -> *time.Location

// locale returns the request's way of showing times: UTC on a 24-hour
// clock when the browser has not said.
func (s *Server) locale(r *http.Request) views.Locale {
	lc := views.Locale{Zone: time.UTC, Lang: lang.From(r.Context())}
	if c, err := r.Cookie(clockCookie); err == nil {
		lc.Hour12 = c.Value == "12"
	}
	c, err := r.Cookie(tzCookie)
	if err != nil || c.Value == "" || len(c.Value) > 64 {
		return lc
	}
	if loc, ok := zones.Load(c.Value); ok {
		lc.Zone = loc.(*time.Location)
		return lc
	}
	loc, err := time.LoadLocation(c.Value)
	if err != nil {
		return lc
	}
	zones.Store(c.Value, loc)
	lc.Zone = loc
	return lc
}
