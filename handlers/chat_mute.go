package handlers

import (
	"errors"
	"net/http"
	"net/url"

	"chat/db"
	"chat/views"
)

// muteChat is Mute and Unmute: a muted chat counts unread but never
// alerts. For htmx the answer is the button in its new state; without,
// the conversation again.
func (s *Server) muteChat(muted bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		me := sessionOf(r).User
		person, _, ok := s.chatPeer(w, r)
		if !ok {
			return
		}
		err := s.store.SetMuted(r.Context(), me.ID, person.ID, muted)
		switch {
		case errors.Is(err, db.ErrNotFound):
			s.errorPage(w, r, http.StatusConflict, t(r, "mute.nothing_title"), t(r, "mute.nothing"))
			return
		case err != nil:
			s.serverError(w, r, err)
			return
		}
		if r.Header.Get("HX-Request") != "true" {
			http.Redirect(w, r, "/chats/"+url.PathEscape(person.Username), http.StatusSeeOther)
			return
		}
		s.render(w, r, http.StatusOK, views.MuteButton(person.Username, muted, false))
	}
}
