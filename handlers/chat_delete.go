package handlers

import (
	"errors"
	"net/http"

	"chat/db"
)

// deleteChat deletes my chat box with the peer and my copy of its history,
// then goes back to the chat list.
func (s *Server) deleteChat(w http.ResponseWriter, r *http.Request) {
	me := sessionOf(r).User
	person, _, ok := s.chatPeer(w, r)
	if !ok {
		return
	}
	err := s.store.DeleteChat(r.Context(), me.ID, person.ID)
	if err != nil && !errors.Is(err, db.ErrNotFound) { // already deleted: same outcome
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
