package handlers

import (
	"net/http"

	"chat/views"
)

// showSettings is /settings; after saving (?saved=1) it says so.
func (s *Server) showSettings(w http.ResponseWriter, r *http.Request) {
	me := sessionOf(r).User
	ctx := r.Context()
	p, list, err := s.pageBesideChats(r, me, "Settings", views.SectionSettings)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	on, err := s.store.ReadReceipts(ctx, me.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := views.Settings{ReadReceipts: on}
	if r.URL.Query().Get("saved") == "1" {
		v.Notice = "Saved."
	}
	s.render(w, r, http.StatusOK, views.SettingsPage(p, list, v))
}
