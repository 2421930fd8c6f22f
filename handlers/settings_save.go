package handlers

import "net/http"

// saveSettings is Save under Privacy on /settings: each checkbox sends
// "on", or nothing when unchecked.
func (s *Server) saveSettings(w http.ResponseWriter, r *http.Request) {
	me := sessionOf(r).User
	if err := s.store.SetReadReceipts(r.Context(), me.ID, r.PostFormValue("read_receipts") == "on"); err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.store.SetShowLastSeen(r.Context(), me.ID, r.PostFormValue("last_seen") == "on"); err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.store.SetSounds(r.Context(), me.ID, r.PostFormValue("sounds") == "on"); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/settings?saved=1", http.StatusSeeOther)
}
