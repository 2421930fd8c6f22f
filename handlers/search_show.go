package handlers

import (
	"net/http"
	"strings"

	"chat/viewmodel"
	"chat/views"
)

// maxSearch bounds what is searched for, in bytes.
const maxSearch = 200

// showSearch is /search?q=…: the messages I can see that hold every word
// of q, newest first, a page at a time (before=<id of the last shown>).
func (s *Server) showSearch(w http.ResponseWriter, r *http.Request) {
	me := sessionOf(r).User
	ctx := r.Context()
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if len(q) > maxSearch {
		http.Error(w, t(r, "search.too_long"), http.StatusBadRequest)
		return
	}
	before, ok := messageParam(w, r, "before")
	if !ok {
		return
	}
	title := t(r, "friends.search")
	if q != "" {
		title = q + " – " + title
	}
	p, list, err := s.pageBesideChats(r, me, title, views.SectionChats)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	found, err := viewmodel.Search(ctx, s.store.Reader, me.ID, q, before, s.locale(r))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, views.SearchPage(p, list, found))
}
