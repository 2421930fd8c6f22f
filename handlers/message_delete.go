package handlers

import (
	"net/http"

	"chat/db"
	"chat/lang"
)

// deleteForEveryone is Delete for everyone: one of my messages, within an
// hour of sending it, gone for both of us.
func deleteForEveryone(s *Server) messageAction {
	return func(r *http.Request, me db.User, peer db.Person, id int64) (string, lang.Msg, int, error) {
		err := s.store.DeleteForEveryone(r.Context(), me.ID, peer.ID, id)
		return refusal(err, peer, "action.delete_too_late")
	}
}
