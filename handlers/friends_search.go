package handlers

import (
	"net/http"
	"strings"

	"chat/viewmodel"
	"chat/views"
)

// searchPeople answers Find people as the reader types.
func (s *Server) searchPeople(w http.ResponseWriter, r *http.Request) {
	me := sessionOf(r).User
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	people, err := viewmodel.SearchResults(r.Context(), s.store.Reader, me.ID, q)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, views.SearchResults(q, q != "", people))
}
