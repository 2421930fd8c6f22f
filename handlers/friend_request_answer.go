package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"chat/db"
	"chat/views"
)

// answerFriendRequest is Accept and Decline.
func (s *Server) answerFriendRequest(w http.ResponseWriter, r *http.Request) {
	me := sessionOf(r).User
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	accept := r.PathValue("answer") == "accept"
	if !accept && r.PathValue("answer") != "decline" {
		s.notFound(w, r)
		return
	}
	other, err := s.store.AnswerFriendRequest(r.Context(), me.ID, id, accept)
	if fromChat(r) && (err == nil || errors.Is(err, db.ErrNotFound)) {
		// The conversation page shows where they now stand, answered
		// here or, if the request is gone, elsewhere.
		s.chatStatusAnswer(w, r, r.PostFormValue("username"))
		return
	}
	switch {
	case errors.Is(err, db.ErrNotFound):
		s.friendsAnswer(w, r, views.Notice{Text: t(r, "friends.request_gone"), Error: true})
	case err != nil:
		s.serverError(w, r, err)
	case accept:
		s.friendsAnswer(w, r, views.Notice{Text: t(r, "friends.now_friends", "Name", other.DisplayName)})
	default:
		s.friendsAnswer(w, r, views.Notice{Text: t(r, "friends.declined", "Name", other.DisplayName)})
	}
}
