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
		s.friendsAnswer(w, r, views.Notice{Text: t(r, "people.no_such", "Username", name), Error: true})
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	err = s.store.RemoveFriend(r.Context(), me.ID, person.ID)
	switch {
	case errors.Is(err, db.ErrNotFriends):
		s.friendsAnswer(w, r, views.Notice{Text: t(r, "friends.not_friends", "Name", person.DisplayName), Error: true})
	case err != nil:
		s.serverError(w, r, err)
	default:
		s.friendsAnswer(w, r, views.Notice{Text: t(r, "friends.removed", "Name", person.DisplayName)})
	}
}
