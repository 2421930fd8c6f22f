package handlers

import (
	"net/http"
	"net/url"

	"chat/db"
	"chat/viewmodel"
	"chat/views"
)

// showConversation is /chats/{peer}: the history and the composer, opened
// at the first unread message under a divider, or reaching back to
// message ?at= (a search result). Its live connection marks
// the chat read once the browser shows it (a page opened in a background
// tab leaves it unread). The page is read in one snapshot with the change
// number it is current to, so its live connection asks for exactly what
// came after.
func (s *Server) showConversation(w http.ResponseWriter, r *http.Request) {
	me := sessionOf(r).User
	person, info, ok := s.chatPeer(w, r)
	if !ok {
		return
	}
	// at: a message to open at (a search result), reached in this page
	// when it is recent enough.
	at, ok := messageParam(w, r, "at")
	if !ok {
		return
	}
	ctx := r.Context()
	loc := s.locale(r)
	var p views.Page
	var list views.ChatList
	var conv views.Conversation
	err := s.store.Snapshot(ctx, func(rd db.Reader) error {
		seq, err := rd.LastSeq(ctx)
		if err != nil {
			return err
		}
		if at > 0 {
			conv, err = viewmodel.ConversationAt(ctx, rd, me, person, info, seq, loc, s.live.Online, at)
		} else {
			conv, err = viewmodel.Conversation(ctx, rd, me, person, info, seq, loc, s.live.Online)
		}
		if err != nil {
			return err
		}
		if list, err = viewmodel.ChatList(ctx, rd, me.ID, loc); err != nil {
			return err
		}
		p, err = s.page(ctx, rd, me, nameOf(r, person.DisplayName), views.SectionChats, "/ws?page=chat&peer="+url.QueryEscape(person.Username))
		return err
	})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p.Detail = true
	s.render(w, r, http.StatusOK, views.ConversationPage(p, list, conv))
}
