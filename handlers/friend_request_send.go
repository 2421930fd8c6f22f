package handlers

import (
	"errors"
	"net/http"
	"strings"

	"chat/db"
	"chat/views"
)

// sendFriendRequest is Add friend.
func (s *Server) sendFriendRequest(w http.ResponseWriter, r *http.Request) {
	me := sessionOf(r).User
	name := strings.TrimSpace(r.PostFormValue("username"))
	person, err := s.store.PersonByUsername(r.Context(), me.ID, name)
	if errors.Is(err, db.ErrNotFound) && fromChat(r) {
		s.notFound(w, r)
		return
	}
	if errors.Is(err, db.ErrNotFound) {
		s.friendsAnswer(w, r, views.Notice{Text: t(r, "people.no_such", "Username", name), Error: true})
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	outcome, err := s.store.SendFriendRequest(r.Context(), me.ID, person.ID)
	if fromChat(r) && (err == nil || errors.Is(err, db.ErrAlreadyFriends) || errors.Is(err, db.ErrRequestPending) || errors.Is(err, db.ErrYouBlocked)) {
		// The conversation page shows where they now stand.
		s.chatStatusAnswer(w, r, person.Username)
		return
	}
	var n views.Notice
	switch {
	case errors.Is(err, db.ErrSelf):
		n = views.Notice{Text: t(r, "friends.self"), Error: true}
	case errors.Is(err, db.ErrAlreadyFriends):
		n = views.Notice{Text: t(r, "friends.already", "Name", person.DisplayName), Error: true}
	case errors.Is(err, db.ErrBlocked):
		// Not why: only that it cannot go.
		n = views.Notice{Text: t(r, "friends.request_not_sent", "Name", person.DisplayName), Error: true}
	case errors.Is(err, db.ErrYouBlocked):
		n = views.Notice{Text: t(r, "block.unblock_first", "Name", person.DisplayName), Error: true}
	case errors.Is(err, db.ErrRequestPending):
		n = views.Notice{Text: t(r, "friends.pending", "Name", person.DisplayName), Error: true}
	case err != nil:
		s.serverError(w, r, err)
		return
	case outcome == db.BecameFriends:
		n = views.Notice{Text: t(r, "friends.crossed", "Name", person.DisplayName)}
	default:
		n = views.Notice{Text: t(r, "friends.request_sent_to", "Name", person.DisplayName)}
	}
	s.friendsAnswer(w, r, n)
}
