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
	var button *localized
	for _, t := range s.tabsOf(e.Owner) {
		if t.pair != pair {
			continue
		}
		if button == nil {
			button = s.framed(views.MuteButton(t.peer.Username, e.Muted, true))
		}
		button.deliver(t, e.Seq)
	}
}

// publishChatChanged refreshes the chat list and counts of every tab of
// the owner after they read or deleted a chat; tabs showing a deleted
// chat lose its history.
func (s *Service) publishChatChanged(e db.ChatChanged) {
	ctx := context.Background()
	badge := views.UnreadTotal(e.UnreadTotal, true)
	badgeOnly := s.framed(badge)
	// The list is read again for each locale: it says each chat's time.
	list := localize(func(lc views.Locale) *transport.Frame {
		l, err := viewmodel.ChatList(ctx, s.store.Reader, e.Owner, lc)
		if err != nil {
			s.log.Error("live chat list", "err", err)
			return nil
		}
		return s.frame(lc.Lang, views.ChatListBody(l, true), badge)
	})
	emptied := s.framed(views.MessageList(views.Conversation{}, true), views.ConversationSeq(e.Seq, true))
	pair := hub.PairOf(e.Owner, e.Peer)
	for _, t := range s.tabsOf(e.Owner) {
		switch {
		case t.page == PageFriends:
			badgeOnly.deliver(t, e.Seq)
		default:
			list.deliver(t, e.Seq)
			if e.Deleted && t.pair == pair {
				emptied.deliver(t, e.Seq)
			}
		}
	}
}
