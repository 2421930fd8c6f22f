package handlers

import (
	"context"
	"errors"
	"net/http"

	"chat/db"
)

// Why there is no conversation with someone.
var (
	errNoSuchPerson = errors.New("no such person")
	errYourself     = errors.New("that is yourself")
	errNotFriends   = errors.New("not a friend, and no history")
)

// conversationWith finds the person called name and my chat with them,
// if I may open it: a friend's, or a former friend's whose history I
// kept. A stranger has none.
func (s *Server) conversationWith(ctx context.Context, me db.User, name string) (db.Person, db.ChatInfo, error) {
	person, err := s.store.PersonByUsername(ctx, me.ID, name)
	if errors.Is(err, db.ErrNotFound) {
		return db.Person{}, db.ChatInfo{}, errNoSuchPerson
	}
	if err != nil {
		return db.Person{}, db.ChatInfo{}, err
	}
	if person.ID == me.ID {
		return db.Person{}, db.ChatInfo{}, errYourself
	}
	info, err := s.store.Chat(ctx, me.ID, person.ID)
	if err != nil {
		return db.Person{}, db.ChatInfo{}, err
	}
	if person.Relation != db.RelationFriend && (!info.Exists || info.Hidden) {
		return db.Person{}, db.ChatInfo{}, errNotFriends
	}
	return person, info, nil
}

// chatPeer finds the person of /chats/{peer} and my chat with them, or
// answers with a page saying why there is no such conversation.
func (s *Server) chatPeer(w http.ResponseWriter, r *http.Request) (db.Person, db.ChatInfo, bool) {
	name := r.PathValue("peer")
	person, info, err := s.conversationWith(r.Context(), sessionOf(r).User, name)
	switch {
	case errors.Is(err, errNoSuchPerson):
		s.errorPage(w, r, http.StatusNotFound, "No such person", "There is no one with the username “"+name+"”.")
	case errors.Is(err, errYourself):
		s.errorPage(w, r, http.StatusNotFound, "That is you", "Chats are between you and a friend. Open a friend from your friend list.")
	case errors.Is(err, errNotFriends):
		s.errorPage(w, r, http.StatusForbidden, "Not a friend yet",
			"You can only chat with friends. Find “"+name+"” on the Friends page and add them first.")
	case err != nil:
		s.serverError(w, r, err)
	default:
		return person, info, true
	}
	return db.Person{}, db.ChatInfo{}, false
}
