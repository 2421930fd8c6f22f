package handlers

import (
	"errors"
	"net/http"

	"chat/db"
)

// chatPeer finds the person of /chats/{peer} and my chat with them, or
// answers with a page saying why there is no such conversation.
func (s *Server) chatPeer(w http.ResponseWriter, r *http.Request) (db.Person, db.ChatInfo, bool) {
	me := sessionOf(r).User
	name := r.PathValue("peer")
	person, err := s.store.PersonByUsername(r.Context(), me.ID, name)
	if errors.Is(err, db.ErrNotFound) {
		s.errorPage(w, r, http.StatusNotFound, "No such person", "There is no one with the username “"+name+"”.")
		return db.Person{}, db.ChatInfo{}, false
	}
	if err != nil {
		s.serverError(w, r, err)
		return db.Person{}, db.ChatInfo{}, false
	}
	if person.ID == me.ID {
		s.errorPage(w, r, http.StatusNotFound, "That is you", "Chats are between you and a friend. Open a friend from your friend list.")
		return db.Person{}, db.ChatInfo{}, false
	}
	info, err := s.store.Chat(r.Context(), me.ID, person.ID)
	if err != nil {
		s.serverError(w, r, err)
		return db.Person{}, db.ChatInfo{}, false
	}
	// A former friend's chat stays readable; a stranger has none.
	if person.Relation != db.RelationFriend && (!info.Exists || info.Hidden) {
		s.errorPage(w, r, http.StatusForbidden, "Not a friend yet",
			"You can only chat with friends. Find “"+person.Username+"” on the Friends page and add them first.")
		return db.Person{}, db.ChatInfo{}, false
	}
	return person, info, true
}
