package handlers

import (
	"net/http"

	"chat/viewmodel"
	"chat/views"
)

// showSettings is /settings; after saving (?saved=1) it says so.
func (s *Server) showSettings(w http.ResponseWriter, r *http.Request) {
	me := sessionOf(r).User
	ctx := r.Context()
	p, err := s.page(ctx, s.store.Reader, me, "Settings", views.SectionSettings, "/ws?page=chats")
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	list, err := viewmodel.ChatList(ctx, s.store.Reader, me.ID, s.locale(r))
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
