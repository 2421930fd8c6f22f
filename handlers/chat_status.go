package handlers

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/a-h/templ"

	"chat/db"
	"chat/viewmodel"
	"chat/views"
)

// fromChat says a friends action was taken on a conversation page (Add
// friend, Accept or Decline above its composer) rather than on the
// friends page.
func fromChat(r *http.Request) bool { return r.PostFormValue("from") == "chat" }

// chatStatusAnswer answers a friends action taken on the conversation
// page with username: where the two now stand, in place of the
// composer's status, with the page's request badge; without htmx, that
// conversation page again.
func (s *Server) chatStatusAnswer(w http.ResponseWriter, r *http.Request, username string) {
	if r.Header.Get("HX-Request") != "true" {
		http.Redirect(w, r, "/chats/"+url.PathEscape(username), http.StatusSeeOther)
		return
	}
	me := sessionOf(r).User
	ctx := r.Context()
	person, err := s.store.PersonByUsername(ctx, me.ID, username)
	if errors.Is(err, db.ErrNotFound) || person.ID == me.ID {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	count, err := s.store.IncomingRequestCount(ctx, me.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	pv := viewmodel.Peer(person, s.live.Online, s.locale(r))
	s.render(w, r, http.StatusOK, templ.Join(views.ComposerStatus(pv, false), views.PeerPresence(pv, true), views.RequestCount(count, true)))
}
