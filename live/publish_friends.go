package live

import (
	"context"
	"time"

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
	friendsPage := s.friendsFrames(user, func(l lang.Lang) []templ.Component {
		if notice.id == "" {
			return []templ.Component{badge}
		}
		return []templ.Component{badge, views.NoticeLine(views.Notice{Text: l.T(notice.id, "Name", notice.name)})}
	})
	badgeOnly := s.framed(badge)
	var chatPage *localized
	var friends bool
	for _, t := range tabs {
		switch {
		case t.page == PageFriends:
			friendsPage.deliver(t, 0)
		case t.page == PageChat && t.peer.ID == other:
			if chatPage == nil {
				chatPage, friends = s.peerFrames(user, t.peer, badge, true)
			}
			t.friend.Store(friends)
			chatPage.deliver(t, 0)
		default:
			badgeOnly.deliver(t, 0)
		}
	}
}

// friendsFrames are the friends page's lists, as a live update, and what
// extra adds in each language (nil: nothing). The lists are read when
// first needed, once.
func (s *Service) friendsFrames(user int64, extra func(lang.Lang) []templ.Component) *localized {
	var fv views.FriendsView
	read := false
	return localize(func(lc views.Locale) *transport.Frame {
		if !read {
			var err error
			if fv, err = viewmodel.Friends(context.Background(), s.store.Reader, user, "", views.Notice{}, s.Online); err != nil {
				s.log.Error("live friends", "err", err)
				return nil
			}
			read = true
		}
		parts := []templ.Component{views.FriendsLists(fv)}
		if extra != nil {
			parts = append(parts, extra(lc.Lang)...)
		}
		return s.frame(lc.Lang, parts...)
	})
}

// peerFrames are a conversation page's view of its peer, as a live
// update: presence, and whether they can write to each other when the
// friendship changed; and whether the two are friends who see each
// other's presence.
func (s *Service) peerFrames(user int64, peer db.User, badge templ.Component, friendship bool) (*localized, bool) {
	person, err := s.store.PersonByUsername(context.Background(), user, peer.Username)
	if err != nil {
		s.log.Error("live peer", "err", err)
		return localize(func(views.Locale) *transport.Frame { return nil }), false
	}
	frames := localize(func(lc views.Locale) *transport.Frame {
		pv := viewmodel.Peer(person, s.Online, lc)
		parts := []templ.Component{views.PeerPresence(pv, true)}
		if friendship {
			parts = append(parts, views.ComposerStatus(pv, true), views.BlockButton(pv, true))
		}
		if badge != nil {
			parts = append(parts, badge)
		}
		return s.frame(lc.Lang, parts...)
	})
	pv := viewmodel.Peer(person, s.Online, views.Locale{Zone: time.UTC}) // for what does not depend on it
	return frames, pv.Friend && !pv.PresenceHidden
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
		friendsPage := s.friendsFrames(f.ID, nil)
		var chatPage *localized
		for _, t := range s.tabsOf(f.ID) {
			switch {
			case t.page == PageFriends:
				friendsPage.deliver(t, 0)
			case t.page == PageChat && t.peer.ID == user:
				if chatPage == nil {
					chatPage, _ = s.peerFrames(f.ID, t.peer, nil, false)
				}
				chatPage.deliver(t, 0)
			}
		}
	}
}
