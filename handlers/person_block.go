package handlers

import (
	"errors"
	"net/http"
	"net/url"

	"chat/db"
)

// blockPerson is Block and Unblock, from a conversation or the friends
// page (the form's from says which), which it then shows again: the
// change reaches both people's other pages live, and tells the other
// person nothing.
func (s *Server) blockPerson(block bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		me := sessionOf(r).User
		other, err := s.store.UserByUsername(r.Context(), r.PathValue("username"))
		if errors.Is(err, db.ErrNotFound) {
			s.notFound(w, r)
			return
		}
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if block {
			err = s.store.Block(r.Context(), me.ID, other.ID)
		} else {
			err = s.store.Unblock(r.Context(), me.ID, other.ID)
		}
		if errors.Is(err, db.ErrSelf) {
			s.errorPage(w, r, http.StatusBadRequest, t(r, "friends.that_is_you"), t(r, "block.yourself"))
			return
		}
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		s.log.Info("block changed", "user_id", me.ID, "other_id", other.ID, "blocked", block)
		back := "/friends"
		if fromChat(r) {
			back = "/chats/" + url.PathEscape(other.Username)
		}
		http.Redirect(w, r, back, http.StatusSeeOther)
	}
}
