package handlers

import (
	"net/http"

	"chat/views"
)

// showChats is the chat list (/).
func (s *Server) showChats(w http.ResponseWriter, r *http.Request) {
	me := sessionOf(r).User
	p, list, err := s.pageBesideChats(r, me, "", views.SectionChats)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, views.ChatsPage(p, list))
}
