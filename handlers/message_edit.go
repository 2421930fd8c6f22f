package handlers

import (
	"net/http"

	"chat/db"
	"chat/lang"
	"chat/live"
	"chat/text"
)

// editMessage is Edit: new text for one of my messages, within 15 minutes
// of sending it, under the rules of a message.
func editMessage(s *Server) messageAction {
	return func(r *http.Request, me db.User, peer db.Person, id int64) (string, lang.Msg, int, error) {
		body, err := text.Message(r.PostFormValue("message"))
		if err != nil {
			return "bad_text", live.MessageRefusal(body, err), http.StatusUnprocessableEntity, nil
		}
		err = s.store.EditMessage(r.Context(), me.ID, peer.ID, id, body)
		return refusal(err, peer, "action.edit_too_late")
	}
}
