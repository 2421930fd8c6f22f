package handlers

import (
	"bytes"
	"context"
	"sync"
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
// their chat lists with the new counts. A page with the conversation open
// gets one frame: the list update, then the message; if the page already
// has the message (its catch-up sent it), only the list update is sent.
// Each person's update is rendered once per time zone among their pages.
func (s *Server) publishMessage(ctx context.Context, e db.MessageSent) {
	m := e.Message
	pair := hub.PairOf(m.SenderID, m.RecipientID)
	prev := s.previous(ctx, m)
	for _, side := range []db.ChatState{e.Sender, e.Recipient} {
		owner, peer := side.Owner, side.Peer
		var prevAt int64 // the message above this one on the owner's page
		if prev.id > side.ClearedThrough {
			prevAt = prev.at
		}
		var badge templ.Component = templ.NopComponent
		if side.UnreadTotal >= 0 {
			badge = views.UnreadTotal(side.UnreadTotal, true)
		}
		// Per zone: the whole frame (list update, then the message) and
		// the list update alone, which is a prefix of it. Rendered by the
		// socket writers when first needed: the live loop is the one path
		// every message takes, and stays quick.
		type rendered struct{ withMessage, listOnly *hub.Frame }
		zones := map[*time.Location]rendered{}
		render := func(loc *time.Location) rendered {
			if r, ok := zones[loc]; ok {
				return r
			}
			var once sync.Once
			var data []byte
			var listLen int
			produce := func() ([]byte, int) {
				once.Do(func() { data, listLen = s.renderMessage(ctx, m, owner, peer, side.Unread, prevAt, badge, loc) })
				return data, listLen
			}
			r := rendered{
				withMessage: hub.NewLazyFrame(m.ID, produce),
				listOnly: hub.NewLazyFrame(0, func() ([]byte, int) {
					d, n := produce()
					return d[:n:n], 0
				}),
			}
			zones[loc] = r
			return r
		}
		var badgeOnly *hub.Frame
		s.hub.Publish(owner.ID, func(c *hub.Conn) *hub.Frame {
			sock := sockOf(c)
			switch {
			case c.Pair == pair:
				return render(sock.loc).withMessage
			case sock.page == pageFriends:
				if side.UnreadTotal < 0 {
					return nil
				}
				if badgeOnly == nil {
					badgeOnly, _ = frame(ctx, badge)
				}
				return badgeOnly
			default:
				return render(sock.loc).listOnly
			}
		})
	}
}

// renderMessage renders a message's live update for one person in one
// zone: their chat list row and counts, then the message; it returns the
// bytes and the length of the list part.
func (s *Server) renderMessage(ctx context.Context, m db.Message, owner, peer db.User, unread int, prevAt int64, badge templ.Component, loc *time.Location) ([]byte, int) {
	buf := buffers.Get().(*bytes.Buffer)
	defer buffers.Put(buf)
	buf.Reset()
	row := chatRow(peer, m, unread, owner.ID, loc)
	err := renderInto(ctx, buf, views.ChatRowOnTop(row, time.Now().In(loc)), badge)
	listLen := buf.Len()
	if err == nil {
		rows := messageRows([]db.Message{m}, owner.ID, prevAt, loc)
		err = renderInto(ctx, buf, views.NewMessages(rows, peer.DisplayName))
	}
	if err != nil {
		s.log.Error("render live message", "err", err)
		return nil, 0
	}
	return bytes.Clone(buf.Bytes()), listLen
}

// lastMessage is the newest message of a conversation the live loop has
// published: its id and time.
type lastMessage struct{ id, at int64 }

// lastInPairLimit bounds the memory of conversations' newest messages;
// past it the memory starts afresh.
const lastInPairLimit = 100_000

// previous returns the message before m in its conversation (for the day
// separator above m), remembered from the previous publish or else read
// from the database, and remembers m. Only Run calls it, in commit order.
func (s *Server) previous(ctx context.Context, m db.Message) lastMessage {
	p := hub.PairOf(m.SenderID, m.RecipientID)
	prev, ok := s.lastInPair[p]
	if !ok || prev.id >= m.ID {
		id, at, err := s.store.MessageBefore(ctx, m.SenderID, m.RecipientID, m.ID)
		if err != nil {
			s.log.Error("live message: previous message", "err", err)
		}
		prev = lastMessage{id, at}
	}
	if len(s.lastInPair) >= lastInPairLimit {
		clear(s.lastInPair)
	}
	s.lastInPair[p] = lastMessage{m.ID, m.CreatedAt}
	return prev
}

// publishChatChanged refreshes the chat list and counts of every page of
// the owner after they read or deleted a chat; pages showing a deleted
// chat lose its history.
func (s *Server) publishChatChanged(ctx context.Context, e db.ChatChanged) {
	badge := views.UnreadTotal(e.UnreadTotal, true)
	var cleared *hub.Frame
	if e.Deleted {
		cleared, _ = frame(ctx, views.MessageList(views.Conversation{Peer: views.Peer{ID: e.Peer}}, true))
	}
	lists := s.perZone(func(loc *time.Location) (*hub.Frame, error) {
		list, err := s.chatList(ctx, e.Owner, loc)
		if err != nil {
			return nil, err
		}
		return frame(ctx, views.ChatListBody(list, true), badge)
	})
	badgeOnly, _ := frame(ctx, badge)
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
			f, _ = frame(ctx, badge)
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
	f, err := frame(ctx, parts...)
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
	f, err := frame(ctx, parts...)
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
