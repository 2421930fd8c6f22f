package handlers

import (
	"net/http"

	"chat/viewmodel"
	"chat/views"
)

// olderMessages answers the history's loaders: ?before= with the page
// before it, ?after= (below a page opened around an earlier message) with
// the page after it.
func (s *Server) olderMessages(w http.ResponseWriter, r *http.Request) {
	me := sessionOf(r).User
	person, _, ok := s.chatPeer(w, r)
	if !ok {
		return
	}
	after, ok := messageParam(w, r, "after")
	if !ok {
		return
	}
	before, ok := messageParam(w, r, "before")
	if !ok {
		return
	}
	if after > 0 {
		rows, more, err := viewmodel.NewerMessages(r.Context(), s.store.Reader, me.ID, person.User, after, s.locale(r))
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		s.render(w, r, http.StatusOK, views.NewerPage(person.Username, rows, more, nameOf(r, person.DisplayName)))
		return
	}
	if before == 0 {
		http.Error(w, "before must be a message id", http.StatusBadRequest)
		return
	}
	rows, more, dropDay, err := viewmodel.OlderMessages(r.Context(), s.store.Reader, me.ID, person.User, before, s.locale(r))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, views.OlderPage(person.Username, rows, more, nameOf(r, person.DisplayName), dropDay))
}
