package live

import (
	"context"

	"github.com/a-h/templ"

	"chat/db"
	"chat/lang"
	"chat/transport"
	"chat/viewmodel"
	"chat/views"
)

// toldOf is what the other person of a friends change is told on their
// friends page: that they were asked, accepted or declined. Withdrawn
// requests and ended friendships only change the lists.
func (s *Service) toldOf(e db.FriendsChanged) told {
	var id string
	switch e.What {
	case db.FriendRequested:
		id = "friends.told_requested"
	case db.FriendsMade:
		id = "friends.told_made"
	case db.FriendDeclined:
		id = "friends.told_declined"
	default:
		return told{}
	}
	who, err := s.store.UserByID(context.Background(), e.A)
	if err != nil {
		s.log.Error("live friends: who", "err", err)
		return told{}
	}
	return told{id: id, name: who.DisplayName}
}

// told is a notice for a friends page: a message id, said with a name in
// each page's language; none when id is empty.
type told struct{ id, name string }

// publishFriends refreshes what user's tabs show about their friends and
// requests after something changed between them and other; friends pages
// show the notice, if any.
func (s *Service) publishFriends(user, other int64, notice told) {
	tabs := s.tabsOf(user)
	if len(tabs) == 0 {
		return
	}
	ctx := context.Background()
	n, err := s.store.IncomingRequestCount(ctx, user)
	if err != nil {
		s.log.Error("live friends: request count", "err", err)
		return
	}
	badge := views.RequestCount(n, true)
	var friendsPage, chatPage, badgeOnly *transport.Frame
	var friends bool
	for _, t := range tabs {
		var f *transport.Frame
		switch {
		case t.page == PageFriends:
			if friendsPage == nil {
				if notice.id != "" {
					text := t.locale.Lang.T(notice.id, "Name", notice.name)
					friendsPage = s.friendsFrame(user, t.locale.Lang, badge, views.NoticeLine(views.Notice{Text: text}))
				} else {
					friendsPage = s.friendsFrame(user, t.locale.Lang, badge)
				}
			}
			f = friendsPage
		case t.page == PageChat && t.peer.ID == other:
			if chatPage == nil {
				chatPage, friends = s.peerFrame(user, t.peer, t.locale, badge, true)
			}
			t.friend.Store(friends)
			f = chatPage
		default:
			if badgeOnly == nil {
				badgeOnly = s.frame(t.locale.Lang, badge)
			}
			f = badgeOnly
		}
		if f != nil {
			t.deliver(0, f)
		}
	}
}

// friendsFrame is the friends page's lists, as a live update.
func (s *Service) friendsFrame(user int64, l lang.Lang, extra ...templ.Component) *transport.Frame {
	fv, err := viewmodel.Friends(context.Background(), s.store.Reader, user, "", views.Notice{}, s.Online)
	if err != nil {
		s.log.Error("live friends", "err", err)
		return nil
	}
	return s.frame(l, append([]templ.Component{views.FriendsLists(fv)}, extra...)...)
}

// peerFrame is a conversation page's view of its peer: presence, and
// whether they can write to each other when the friendship changed; and
// whether they are friends.
func (s *Service) peerFrame(user int64, peer db.User, lc views.Locale, badge templ.Component, friendship bool) (*transport.Frame, bool) {
	person, err := s.store.PersonByUsername(context.Background(), user, peer.Username)
	if err != nil {
		s.log.Error("live peer", "err", err)
		return nil, false
	}
	pv := viewmodel.Peer(person, s.Online, lc)
	parts := []templ.Component{views.PeerPresence(pv, true)}
	if friendship {
		parts = append(parts, views.ComposerStatus(pv, true), views.BlockButton(pv, true))
	}
	if badge != nil {
		parts = append(parts, badge)
	}
	return s.frame(lc.Lang, parts...), pv.Friend && !pv.PresenceHidden
}

// publishPresence shows user's new online state to their friends: the
// friend list (which orders by it) and conversations with them.
func (s *Service) publishPresence(user int64) {
	friends, err := s.store.Friends(context.Background(), user)
	if err != nil {
		s.log.Error("live presence: friends", "err", err)
		return
	}
	blocks, err := s.store.Blocks(context.Background(), user)
	if err != nil {
		s.log.Error("live presence: blocks", "err", err)
		return
	}
	for _, f := range friends {
		if blocks.Hidden(f.ID) {
			continue // neither sees the other's presence
		}
		var friendsPage, chatPage *transport.Frame
		for _, t := range s.tabsOf(f.ID) {
			switch {
			case t.page == PageFriends:
				if friendsPage == nil {
					friendsPage = s.friendsFrame(f.ID, t.locale.Lang)
				}
				if friendsPage != nil {
					t.deliver(0, friendsPage)
				}
			case t.page == PageChat && t.peer.ID == user:
				if chatPage == nil {
					chatPage, _ = s.peerFrame(f.ID, t.peer, t.locale, nil, false)
				}
				if chatPage != nil {
					t.deliver(0, chatPage)
				}
			}
		}
	}
}
