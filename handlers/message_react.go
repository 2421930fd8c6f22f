package handlers

import (
	"net/http"

	"chat/db"
	"chat/lang"
)

// react is React: one of six emoji on a message; choosing mine again
// takes it back.
func react(s *Server) messageAction {
	return func(r *http.Request, me db.User, peer db.Person, id int64) (string, lang.Msg, int, error) {
		err := s.store.React(r.Context(), me.ID, peer.ID, id, r.PostFormValue("emoji"))
		return refusal(err, peer, "")
	}
}
