package handlers

import (
	"context"
	"time"

	"github.com/a-h/templ"

	"chat/db"
	"chat/hub"
	"chat/views"
)

// Live updates: each committed change is rendered and pushed to the pages
// that show it. Run calls these one at a time, in commit order.

func (s *Server) publish(ctx context.Context, e db.Event) {
	switch e := e.(type) {
	case db.MessageSent:
		s.publishMessage(ctx, e)
	case db.ChatChanged:
		s.publishChatChanged(ctx, e)
	case db.FriendsChanged:
		s.publishFriends(ctx, e.A, e.B)
		s.publishFriends(ctx, e.B, e.A)
	}
}

// zoneCache renders a frame once per time zone among the connections that
// need it (nearly always one).
type zoneCache struct {
	frames map[*time.Location]*hub.Frame
	render func(*time.Location) (*hub.Frame, error)
	s      *Server
}

func (s *Server) perZone(render func(*time.Location) (*hub.Frame, error)) *zoneCache {
	return &zoneCache{frames: map[*time.Location]*hub.Frame{}, render: render, s: s}
}

func (z *zoneCache) get(loc *time.Location) *hub.Frame {
	f, ok := z.frames[loc]
	if !ok {
		var err error
		if f, err = z.render(loc); err != nil {
			z.s.log.Error("render live update", "err", err)
		}
		z.frames[loc] = f
	}
	return f
}

// publishMessage shows a new message in the conversation on every page of
// both people that has it open, and moves its chat box to the top of
// their chat lists with the new counts.
func (s *Server) publishMessage(ctx context.Context, e db.MessageSent) {
	m := e.Message
	pair := hub.PairOf(m.SenderID, m.RecipientID)
	appends := map[int64]*zoneCache{}
	for _, side := range []db.ChatState{e.Sender, e.Recipient} {
		owner, peer := side.Owner, side.Peer
		appends[owner.ID] = s.perZone(func(loc *time.Location) (*hub.Frame, error) {
			rows := messageRows([]db.Message{m}, owner.ID, side.PrevAt, loc)
			return frame(ctx, m.ID, views.NewMessages(rows, peer.DisplayName))
		})
		badge := views.UnreadTotal(side.UnreadTotal, true)
		rows := s.perZone(func(loc *time.Location) (*hub.Frame, error) {
			row := chatRow(peer, m, side.Unread, owner.ID, loc)
			return frame(ctx, 0, views.ChatRowOnTop(row, time.Now().In(loc)), badge)
		})
		var badgeOnly *hub.Frame
		s.hub.Publish(owner.ID, func(c *hub.Conn) *hub.Frame {
			sock := sockOf(c)
			if sock.page == pageFriends {
				if badgeOnly == nil {
					badgeOnly, _ = frame(ctx, 0, badge)
				}
				return badgeOnly
			}
			return rows.get(sock.loc)
		})
	}
	s.hub.PublishPair(pair, func(c *hub.Conn) *hub.Frame {
		return appends[c.User].get(sockOf(c).loc)
	})
}

// publishChatChanged refreshes the chat list and counts of every page of
// the owner after they read or deleted a chat; pages showing a deleted
// chat lose its history.
func (s *Server) publishChatChanged(ctx context.Context, e db.ChatChanged) {
	badge := views.UnreadTotal(e.UnreadTotal, true)
	var cleared *hub.Frame
	if e.Deleted {
		cleared, _ = frame(ctx, 0, views.MessageList(views.Conversation{Peer: views.Peer{ID: e.Peer}}, true))
	}
	lists := s.perZone(func(loc *time.Location) (*hub.Frame, error) {
		list, err := s.chatList(ctx, e.Owner, loc)
		if err != nil {
			return nil, err
		}
		return frame(ctx, 0, views.ChatListBody(list, true), badge)
	})
	badgeOnly, _ := frame(ctx, 0, badge)
	pair := hub.PairOf(e.Owner, e.Peer)
	for _, c := range s.hub.Conns(e.Owner) {
		sock := sockOf(c)
		switch {
		case sock.page == pageFriends:
			c.Offer(badgeOnly)
		default:
			if f := lists.get(sock.loc); f != nil {
				c.Offer(f)
			}
			if cleared != nil && c.Pair == pair {
				c.Offer(cleared)
			}
		}
	}
}

// publishFriends refreshes what user's pages show about their friends and
// requests after something changed between them and other.
func (s *Server) publishFriends(ctx context.Context, user, other int64) {
	conns := s.hub.Conns(user)
	if len(conns) == 0 {
		return
	}
	n, err := s.store.IncomingRequestCount(ctx, user)
	if err != nil {
		s.log.Error("live friends: request count", "err", err)
		return
	}
	badge := views.RequestCount(n, true)
	var friendsPage, chatPage *hub.Frame
	for _, c := range conns {
		sock := sockOf(c)
		var f *hub.Frame
		switch {
		case sock.page == pageFriends:
			if friendsPage == nil {
				friendsPage = s.friendsFrame(ctx, user, badge)
			}
			f = friendsPage
		case sock.page == pageChat && sock.peer.ID == other:
			if chatPage == nil {
				chatPage = s.peerFrame(ctx, user, sock.peer, badge, true)
			}
			f = chatPage
		default:
			f, _ = frame(ctx, 0, badge)
		}
		if f != nil {
			c.Offer(f)
		}
	}
}

// friendsFrame is the friends page's lists, as a live update.
func (s *Server) friendsFrame(ctx context.Context, user int64, extra ...templ.Component) *hub.Frame {
	fv, err := s.friendsView(ctx, user, "", views.Notice{})
	if err != nil {
		s.log.Error("live friends", "err", err)
		return nil
	}
	parts := append([]templ.Component{
		views.FriendList(fv.Friends, true),
		views.IncomingRequests(fv.Incoming, true),
		views.OutgoingRequests(fv.Outgoing, true),
	}, extra...)
	f, err := frame(ctx, 0, parts...)
	if err != nil {
		s.log.Error("render live friends", "err", err)
	}
	return f
}

// peerFrame is a conversation page's view of its peer: presence, and the
// composer when the friendship changed.
func (s *Server) peerFrame(ctx context.Context, user int64, peer db.User, badge templ.Component, composer bool) *hub.Frame {
	person, err := s.store.PersonByUsername(ctx, user, peer.Username)
	if err != nil {
		s.log.Error("live peer", "err", err)
		return nil
	}
	pv := s.peerView(person)
	parts := []templ.Component{views.PeerPresence(pv.Online, true)}
	if composer {
		parts = append(parts, views.Composer(pv, true))
	}
	if badge != nil {
		parts = append(parts, badge)
	}
	f, err := frame(ctx, 0, parts...)
	if err != nil {
		s.log.Error("render live peer", "err", err)
	}
	return f
}

// publishPresence shows user's new online state to their friends: the
// friend list (which orders by it) and conversations with them.
func (s *Server) publishPresence(ctx context.Context, user int64) {
	friends, err := s.store.Friends(ctx, user)
	if err != nil {
		s.log.Error("live presence: friends", "err", err)
		return
	}
	for _, f := range friends {
		var friendsPage, chatPage *hub.Frame
		for _, c := range s.hub.Conns(f.ID) {
			sock := sockOf(c)
			switch {
			case sock.page == pageFriends:
				if friendsPage == nil {
					friendsPage = s.friendsFrame(ctx, f.ID)
				}
				if friendsPage != nil {
					c.Offer(friendsPage)
				}
			case sock.page == pageChat && sock.peer.ID == user:
				if chatPage == nil {
					chatPage = s.peerFrame(ctx, f.ID, sock.peer, nil, false)
				}
				if chatPage != nil {
					c.Offer(chatPage)
				}
			}
		}
	}
}
