package handlers

import (
	"net/http"
	"sync"
	"time"
)

// tzCookie holds the browser's IANA time zone, set by app.js, so times are
// rendered as the reader's clock shows them.
const tzCookie = "tz"

var zones sync.Map // name -> *time.Location

// location returns the request's time zone, UTC when unknown.
func (s *Server) location(r *http.Request) *time.Location {
	c, err := r.Cookie(tzCookie)
	if err != nil || c.Value == "" || len(c.Value) > 64 {
		return time.UTC
	}
	if loc, ok := zones.Load(c.Value); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(c.Value)
	if err != nil {
		return time.UTC
	}
	zones.Store(c.Value, loc)
	return loc
}
