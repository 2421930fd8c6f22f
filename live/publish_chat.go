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
			if f = s.frame(t.locale.Lang, views.MuteButton(t.peer.Username, e.Muted, true)); f == nil {
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
	lists := map[views.Locale]*transport.Frame{}
	list := func(lc views.Locale) *transport.Frame {
		f, ok := lists[lc]
		if !ok {
			l, err := viewmodel.ChatList(ctx, s.store.Reader, e.Owner, lc)
			if err != nil {
				s.log.Error("live chat list", "err", err)
			} else {
				f = s.frame(lc.Lang, views.ChatListBody(l, true), badge)
			}
			lists[lc] = f
		}
		return f
	}
	pair := hub.PairOf(e.Owner, e.Peer)
	for _, t := range s.tabsOf(e.Owner) {
		switch {
		case t.page == PageFriends:
			if f := s.frame(t.locale.Lang, badge); f != nil {
				t.deliver(e.Seq, f)
			}
		default:
			if f := list(t.locale); f != nil {
				t.deliver(e.Seq, f)
			}
			if e.Deleted && t.pair == pair {
				if f := s.frame(t.locale.Lang, views.MessageList(views.Conversation{}, true), views.ConversationSeq(e.Seq, true)); f != nil {
					t.deliver(e.Seq, f)
				}
			}
		}
	}
}
