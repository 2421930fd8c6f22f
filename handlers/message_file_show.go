package handlers

import (
	"errors"
	"mime"
	"net/http"
	"strconv"
	"time"

	"chat/db"
)

// fileSecurityPolicy is the Content-Security-Policy of a file served: it
// runs nothing and loads nothing, whatever the file holds, even opened
// on its own.
const fileSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox"

// showFile serves the file of message {id} of my conversation with
// {peer} (or, thumb, its image's thumbnail), while my copy of the
// conversation holds the message: only the two people of the
// conversation, and neither once they deleted it. Everyone else is
// refused alike, whether or not the message exists.
func (s *Server) showFile(thumb bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		me := sessionOf(r).User
		ctx := r.Context()
		forbidden := func() {
			s.errorPage(w, r, http.StatusForbidden, t(r, "file.forbidden_title"), t(r, "file.forbidden"))
		}
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil || id <= 0 {
			forbidden()
			return
		}
		peer, err := s.store.UserByUsername(ctx, r.PathValue("peer"))
		if errors.Is(err, db.ErrNotFound) {
			forbidden()
			return
		}
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		m, err := s.store.MessageByID(ctx, me.ID, peer.ID, id)
		if errors.Is(err, db.ErrNotFound) || (err == nil && (m.File == nil || (thumb && !m.File.IsImage()))) {
			forbidden()
			return
		}
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		sum := m.File.SHA256
		if thumb {
			sum = m.File.Thumb
		}
		f, err := s.files.Open(sum)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		defer f.Close()
		disposition := "attachment"
		if m.File.IsImage() && r.URL.Query().Get("download") == "" {
			disposition = "inline"
		}
		h := w.Header()
		h.Set("Content-Type", m.File.Type)
		h.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": m.File.Name}))
		h.Set("Content-Security-Policy", fileSecurityPolicy)
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		// Asked again each time (access can end), answered "not modified"
		// when the browser has it: a file's bytes never change.
		h.Set("Cache-Control", "private, no-cache")
		h.Set("ETag", `"`+sum+`"`)
		http.ServeContent(w, r, "", time.Time{}, f)
	}
}
