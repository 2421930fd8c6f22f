package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"chat/db"
	"chat/views"
)

// showFriends is /friends: the friend list, requests, and Find people (q).
func (s *Server) showFriends(w http.ResponseWriter, r *http.Request) {
	s.renderFriendsPage(w, r, views.Notice{})
}

func (s *Server) renderFriendsPage(w http.ResponseWriter, r *http.Request, n views.Notice) {
	me := sessionOf(r).User
	p, err := s.page(r, "Friends", views.SectionFriends, "/ws?page=friends")
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v, err := s.friendsView(r.Context(), me.ID, strings.TrimSpace(r.FormValue("q")), n)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, views.FriendsPage(p, v))
}

// searchPeople answers Find people as the reader types.
func (s *Server) searchPeople(w http.ResponseWriter, r *http.Request) {
	me := sessionOf(r).User
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	people, err := s.searchResults(r.Context(), me.ID, q)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, views.SearchResults(q, q != "", people))
}

// sendFriendRequest is Add friend.
func (s *Server) sendFriendRequest(w http.ResponseWriter, r *http.Request) {
	me := sessionOf(r).User
	name := strings.TrimSpace(r.PostFormValue("username"))
	person, err := s.store.PersonByUsername(r.Context(), me.ID, name)
	if errors.Is(err, db.ErrNotFound) {
		s.friendsAnswer(w, r, views.Notice{Text: "There is no one with the username “" + name + "”.", Error: true})
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	outcome, err := s.store.SendFriendRequest(r.Context(), me.ID, person.ID)
	var n views.Notice
	switch {
	case errors.Is(err, db.ErrSelf):
		n = views.Notice{Text: "That is you. Find a friend by their username.", Error: true}
	case errors.Is(err, db.ErrAlreadyFriends):
		n = views.Notice{Text: "You and " + person.DisplayName + " are already friends.", Error: true}
	case errors.Is(err, db.ErrRequestPending):
		n = views.Notice{Text: "You already asked " + person.DisplayName + "; the request is waiting for their answer.", Error: true}
	case err != nil:
		s.serverError(w, r, err)
		return
	case outcome == db.BecameFriends:
		n = views.Notice{Text: person.DisplayName + " had already asked you, so you are now friends."}
	default:
		n = views.Notice{Text: "Friend request sent to " + person.DisplayName + "."}
	}
	s.friendsAnswer(w, r, n)
}

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
	switch {
	case errors.Is(err, db.ErrNotFound):
		s.friendsAnswer(w, r, views.Notice{Text: "That request is no longer waiting: it was withdrawn or already answered.", Error: true})
	case err != nil:
		s.serverError(w, r, err)
	case accept:
		s.friendsAnswer(w, r, views.Notice{Text: "You and " + other.DisplayName + " are now friends."})
	default:
		s.friendsAnswer(w, r, views.Notice{Text: "Request from " + other.DisplayName + " declined."})
	}
}

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
		s.friendsAnswer(w, r, views.Notice{Text: "That request is no longer waiting: it was already answered.", Error: true})
	case err != nil:
		s.serverError(w, r, err)
	default:
		s.friendsAnswer(w, r, views.Notice{Text: "Request to " + other.DisplayName + " withdrawn."})
	}
}

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
	v, err := s.friendsView(ctx, me.ID, "", n)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	count, err := s.store.IncomingRequestCount(ctx, me.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, templ.Join(
		views.NoticeLine(n),
		views.FriendList(v.Friends, true),
		views.IncomingRequests(v.Incoming, true),
		views.OutgoingRequests(v.Outgoing, true),
		views.RequestCount(count, true),
	))
}
