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
		s.errorPage(w, r, http.StatusNotFound, t(r, "people.no_such_title"), t(r, "people.no_such", "Username", name))
	case errors.Is(err, errYourself):
		s.errorPage(w, r, http.StatusNotFound, t(r, "friends.that_is_you"), t(r, "chat.with_yourself"))
	case errors.Is(err, errNotFriends):
		s.errorPage(w, r, http.StatusForbidden, t(r, "chat.not_friend_title"), t(r, "chat.not_friend", "Username", name))
	case err != nil:
		s.serverError(w, r, err)
	default:
		return person, info, true
	}
	return db.Person{}, db.ChatInfo{}, false
}
