package handlers

import (
	"net/http"
	"strings"

	"github.com/a-h/templ"

	"chat/viewmodel"
	"chat/views"
)

// showFriends is /friends: the friend list, requests, and Find people (q).
func (s *Server) showFriends(w http.ResponseWriter, r *http.Request) {
	s.renderFriendsPage(w, r, views.Notice{})
}

func (s *Server) renderFriendsPage(w http.ResponseWriter, r *http.Request, n views.Notice) {
	me := sessionOf(r).User
	ctx := r.Context()
	p, err := s.page(ctx, s.store.Reader, me, t(r, "nav.friends"), views.SectionFriends, "/ws?page=friends")
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v, err := viewmodel.Friends(ctx, s.store.Reader, me.ID, strings.TrimSpace(r.FormValue("q")), n, s.live.Online)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, views.FriendsPage(p, v))
}

// friendsAnswer answers a friends action. For htmx: the notice, with the
// lists and the badge swapped out of band, so this tab is right even before
// the live update arrives. Without htmx: the whole friends page.
func (s *Server) friendsAnswer(w http.ResponseWriter, r *http.Request, n views.Notice) {
	if r.Header.Get("HX-Request") != "true" {
		s.renderFriendsPage(w, r, n)
		return
	}
	me := sessionOf(r).User
	ctx := r.Context()
	v, err := viewmodel.Friends(ctx, s.store.Reader, me.ID, "", n, s.live.Online)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	count, err := s.store.IncomingRequestCount(ctx, me.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, templ.Join(views.NoticeLine(n), views.FriendsLists(v), views.RequestCount(count, true)))
}
