package handlers

import (
	"mime"
	"net/http"
	"time"

	"chat/db"
	"chat/export"
)

// exportData is Export my data on /settings: a zip of my profile,
// friends, every message I can see (JSON, and a page a conversation) and
// the files I sent, streamed as it is read from one snapshot of the
// database.
func (s *Server) exportData(w http.ResponseWriter, r *http.Request) {
	me := sessionOf(r).User
	lc := s.locale(r)
	name := "chat-" + me.Username + "-" + time.Now().In(lc.Zone).Format("2006-01-02") + ".zip"
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Cache-Control", "no-store")
	// A large export takes a while to download.
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(30 * time.Minute))
	err := s.store.Snapshot(r.Context(), func(rd db.Reader) error {
		return export.Write(r.Context(), w, rd, s.files, me.ID, lc.Zone, lc.Lang)
	})
	if err != nil {
		// The answer has begun: the zip is cut short, and the browser
		// says the download failed.
		s.log.Error("export failed", "err", err, "user_id", me.ID)
		return
	}
	s.log.Info("data exported", "user_id", me.ID)
}
