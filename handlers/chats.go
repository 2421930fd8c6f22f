package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"chat/db"
	"chat/views"
)

// showChats is the chat list (/).
func (s *Server) showChats(w http.ResponseWriter, r *http.Request) {
	me := sessionOf(r).User
	p, err := s.page(r, "", views.SectionChats, "/ws?page=chats")
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	list, err := s.chatList(r.Context(), me.ID, s.location(r))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, views.ChatsPage(p, list))
}

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

// showConversation is /chats/{peer}: the history and the composer. Opening
// it marks the chat read in every tab.
func (s *Server) showConversation(w http.ResponseWriter, r *http.Request) {
	me := sessionOf(r).User
	person, info, ok := s.chatPeer(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	if info.Unread > 0 {
		if err := s.store.MarkRead(ctx, me.ID, person.ID); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	loc := s.location(r)
	conv, err := s.conversation(ctx, me, person, info, &socket{loc: loc})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p, err := s.page(r, person.DisplayName, views.SectionChats, "/ws?page=chat&peer="+url.QueryEscape(person.Username))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p.Detail = true
	list, err := s.chatList(ctx, me.ID, loc)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, views.ConversationPage(p, list, conv))
}

// olderMessages answers the history's loader with the page before it.
func (s *Server) olderMessages(w http.ResponseWriter, r *http.Request) {
	me := sessionOf(r).User
	person, _, ok := s.chatPeer(w, r)
	if !ok {
		return
	}
	before, err := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	if err != nil || before <= 0 {
		http.Error(w, "before must be a message id", http.StatusBadRequest)
		return
	}
	ctx := r.Context()
	msgs, more, err := s.store.MessagesBefore(ctx, me.ID, person.ID, before, historyPage)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	loc := s.location(r)
	rows := messageRows(msgs, me.ID, 0, loc)
	var dropDay string
	if len(rows) > 0 {
		beforeAt, err := s.store.MessageSentAt(ctx, me.ID, person.ID, before)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if next := msTime(beforeAt, loc); !next.IsZero() && views.DayKey(next) == views.DayKey(rows[len(rows)-1].At) {
			dropDay = views.DayKey(next)
		}
	}
	s.render(w, r, http.StatusOK, views.OlderPage(person.Username, rows, more, person.DisplayName, dropDay))
}

// deleteChat deletes my chat box with the peer and my copy of its history,
// then goes back to the chat list.
func (s *Server) deleteChat(w http.ResponseWriter, r *http.Request) {
	me := sessionOf(r).User
	person, _, ok := s.chatPeer(w, r)
	if !ok {
		return
	}
	err := s.store.DeleteChat(r.Context(), me.ID, person.ID)
	if err != nil && !errors.Is(err, db.ErrNotFound) { // already deleted: same outcome
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
