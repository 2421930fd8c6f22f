package live

import (
	"context"

	"chat/db"
	"chat/hub"
	"chat/transport"
	"chat/viewmodel"
	"chat/views"
)

// publishChatMuted shows the chat's Mute button in its new state in the
// owner's tabs that have the chat open.
func (s *Service) publishChatMuted(e db.ChatMuted) {
	pair := hub.PairOf(e.Owner, e.Peer)
	var f *transport.Frame
	for _, t := range s.tabsOf(e.Owner) {
		if t.pair != pair {
			continue
		}
		if f == nil {
			if f = s.frame(views.MuteButton(t.peer.Username, e.Muted, true)); f == nil {
				return
			}
		}
		t.deliver(e.Seq, f)
	}
}

// publishChatChanged refreshes the chat list and counts of every tab of
// the owner after they read or deleted a chat; tabs showing a deleted
// chat lose its history.
func (s *Service) publishChatChanged(e db.ChatChanged) {
	ctx := context.Background()
	badge := views.UnreadTotal(e.UnreadTotal, true)
	var cleared *transport.Frame
	if e.Deleted {
		cleared = s.frame(views.MessageList(views.Conversation{}, true), views.ConversationSeq(e.Seq, true))
	}
	lists := map[views.Locale]*transport.Frame{}
	list := func(lc views.Locale) *transport.Frame {
		f, ok := lists[lc]
		if !ok {
			l, err := viewmodel.ChatList(ctx, s.store.Reader, e.Owner, lc)
			if err != nil {
				s.log.Error("live chat list", "err", err)
			} else {
				f = s.frame(views.ChatListBody(l, true), badge)
			}
			lists[lc] = f
		}
		return f
	}
	badgeOnly := s.frame(badge)
	pair := hub.PairOf(e.Owner, e.Peer)
	for _, t := range s.tabsOf(e.Owner) {
		switch {
		case t.page == PageFriends:
			t.deliver(e.Seq, badgeOnly)
		default:
			if f := list(t.locale); f != nil {
				t.deliver(e.Seq, f)
			}
			if cleared != nil && t.pair == pair {
				t.deliver(e.Seq, cleared)
			}
		}
	}
}
