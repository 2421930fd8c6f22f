package handlers

import (
	"net/http"

	"chat/db"
	"chat/lang"
)

// deleteForMe is Delete for me: any message of my copy of the
// conversation, gone from it; the peer keeps theirs.
func deleteForMe(s *Server) messageAction {
	return func(r *http.Request, me db.User, peer db.Person, id int64) (string, lang.Msg, int, error) {
		err := s.store.HideMessage(r.Context(), me.ID, peer.ID, id)
		return refusal(err, peer, "")
	}
}
