package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"chat/db"
	"chat/views"
)

// cancelFriendRequest withdraws a request I sent.
func (s *Server) cancelFriendRequest(w http.ResponseWriter, r *http.Request) {
	me := sessionOf(r).User
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	other, err := s.store.CancelFriendRequest(r.Context(), me.ID, id)
	switch {
	case errors.Is(err, db.ErrNotFound):
		s.friendsAnswer(w, r, views.Notice{Text: t(r, "friends.request_answered"), Error: true})
	case err != nil:
		s.serverError(w, r, err)
	default:
		s.friendsAnswer(w, r, views.Notice{Text: t(r, "friends.withdrawn", "Name", other.DisplayName)})
	}
}
