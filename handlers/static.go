package handlers

import (
	"bytes"
	"net/http"
	"time"

	"chat/static"
)

// serveStatic serves an embedded file. Under its current hash the file is
// cached for a year; under an old hash (a page from before a deploy) the
// current file is served but not cached.
func serveStatic(w http.ResponseWriter, r *http.Request) {
	f, ok := static.Lookup(r.PathValue("name"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	if r.PathValue("hash") == f.Hash {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.Header().Set("Content-Type", f.Type)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.Data))
}
