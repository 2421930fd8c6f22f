package handlers

import "net/http"

// saveSettings is Save on /settings: a checkbox sends "on", or nothing
// when unchecked.
func (s *Server) saveSettings(w http.ResponseWriter, r *http.Request) {
	me := sessionOf(r).User
	on := r.PostFormValue("read_receipts") == "on"
	if err := s.store.SetReadReceipts(r.Context(), me.ID, on); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/settings?saved=1", http.StatusSeeOther)
}
