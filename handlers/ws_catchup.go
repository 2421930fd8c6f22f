package handlers

import (
	"context"

	"github.com/a-h/templ"

	"chat/db"
	"chat/views"
)

// catchUp renders what a page needs on every (re)connect to be current:
// the counts in the navigation, and its own content. For a conversation it
// sends the messages after the newest one the page has (after), or the
// newest page of history when too much was missed or the history changed
// under it. It returns the frame and the newest message id the page will
// then show.
func (s *Server) catchUp(ctx context.Context, me db.User, sock *socket, after int64) ([]byte, int64, error) {
	v, err := s.viewer(ctx, me)
	if err != nil {
		return nil, 0, err
	}
	parts := []templ.Component{views.UnreadTotal(v.Unread, true), views.RequestCount(v.Requests, true)}
	delivered := after

	switch sock.page {
	case pageFriends:
		fv, err := s.friendsView(ctx, me.ID, "", views.Notice{})
		if err != nil {
			return nil, 0, err
		}
		parts = append(parts,
			views.FriendList(fv.Friends, true),
			views.IncomingRequests(fv.Incoming, true),
			views.OutgoingRequests(fv.Outgoing, true))

	case pageChats, pageChat:
		if sock.page == pageChat {
			var conv []templ.Component
			conv, delivered, err = s.catchUpConversation(ctx, me, sock, after)
			if err != nil {
				return nil, 0, err
			}
			parts = append(parts, conv...)
		}
		list, err := s.chatList(ctx, me.ID, sock.loc)
		if err != nil {
			return nil, 0, err
		}
		parts = append(parts, views.ChatListBody(list, true))
	}
	data, err := fragments(ctx, parts...)
	return data, delivered, err
}

func (s *Server) catchUpConversation(ctx context.Context, me db.User, sock *socket, after int64) ([]templ.Component, int64, error) {
	peer := sock.peer
	person, err := s.store.PersonByUsername(ctx, me.ID, peer.Username)
	if err != nil {
		return nil, 0, err
	}
	info, err := s.store.Chat(ctx, me.ID, peer.ID)
	if err != nil {
		return nil, 0, err
	}
	if info.Unread > 0 {
		// This page is open now, so what arrived meanwhile is read.
		if err := s.store.MarkRead(ctx, me.ID, peer.ID); err != nil {
			return nil, 0, err
		}
	}
	pv := s.peerView(person)
	parts := []templ.Component{views.PeerPresence(pv.Online, true), views.Composer(pv, true)}

	missed, more, err := s.store.MessagesAfter(ctx, me.ID, peer.ID, after, catchUpLimit)
	if err != nil {
		return nil, 0, err
	}
	if more || after < info.ClearedThrough {
		// Too much to append, or the page shows history deleted since:
		// replace the whole list with the newest page.
		conv, err := s.conversation(ctx, me, person, info, sock)
		if err != nil {
			return nil, 0, err
		}
		return append(parts, views.MessageList(conv, true)), conv.After, nil
	}
	if len(missed) == 0 {
		return parts, after, nil
	}
	prevAt, err := s.store.MessageSentAt(ctx, me.ID, peer.ID, after)
	if err != nil {
		return nil, 0, err
	}
	rows := messageRows(missed, me.ID, prevAt, sock.loc)
	return append(parts, views.NewMessages(rows, peer.DisplayName)), missed[len(missed)-1].ID, nil
}

// conversation is the newest page of my history with person.
func (s *Server) conversation(ctx context.Context, me db.User, person db.Person, info db.ChatInfo, sock *socket) (views.Conversation, error) {
	msgs, more, err := s.store.MessagesBefore(ctx, me.ID, person.ID, 0, historyPage)
	if err != nil {
		return views.Conversation{}, err
	}
	c := views.Conversation{
		Peer:     s.peerView(person),
		Messages: messageRows(msgs, me.ID, 0, sock.loc),
		More:     more,
		After:    info.ClearedThrough,
	}
	if len(msgs) > 0 {
		c.After = msgs[len(msgs)-1].ID
	}
	return c, nil
}
