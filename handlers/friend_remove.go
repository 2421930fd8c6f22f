package handlers

import (
	"errors"
	"net/http"

	"chat/db"
	"chat/views"
)

// removeFriend is Remove friend, after the confirmation dialog.
func (s *Server) removeFriend(w http.ResponseWriter, r *http.Request) {
	me := sessionOf(r).User
	name := r.PathValue("username")
	person, err := s.store.PersonByUsername(r.Context(), me.ID, name)
	if errors.Is(err, db.ErrNotFound) {
		s.friendsAnswer(w, r, views.Notice{Text: "There is no one with the username “" + name + "”.", Error: true})
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	err = s.store.RemoveFriend(r.Context(), me.ID, person.ID)
	switch {
	case errors.Is(err, db.ErrNotFriends):
		s.friendsAnswer(w, r, views.Notice{Text: "You and " + person.DisplayName + " are not friends.", Error: true})
	case err != nil:
		s.serverError(w, r, err)
	default:
		s.friendsAnswer(w, r, views.Notice{Text: person.DisplayName + " is no longer your friend."})
	}
}
