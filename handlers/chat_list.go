package handlers

import (
	"net/http"

	"chat/viewmodel"
	"chat/views"
)

// showChats is the chat list (/).
func (s *Server) showChats(w http.ResponseWriter, r *http.Request) {
	me := sessionOf(r).User
	ctx := r.Context()
	p, err := s.page(ctx, s.store.Reader, me, "", views.SectionChats, "/ws?page=chats")
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	list, err := viewmodel.ChatList(ctx, s.store.Reader, me.ID, s.locale(r))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, views.ChatsPage(p, list))
}
