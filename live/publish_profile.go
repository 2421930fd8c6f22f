package live

import (
	"context"
	"errors"
	"time"

	"chat/db"
	"chat/transport"
	"chat/viewmodel"
	"chat/views"
)

// publishProfile shows a person's new name or picture wherever it is
// open: their own tabs' top bar, and for everyone who sees them, their
// row in the chat list, the heading of the conversation with them, and
// the friends page's lists.
func (s *Service) publishProfile(e db.ProfileChanged) {
	ctx := context.Background()
	me, err := s.store.UserByID(ctx, e.User)
	if err != nil {
		s.log.Error("live profile: user", "err", err)
		return
	}
	for _, t := range s.tabsOf(me.ID) {
		if own := s.frame(t.locale.Lang, views.ViewerName(me.Username, me.DisplayName, true)); own != nil {
			t.deliver(0, own)
		}
	}
	peers, err := s.store.Peers(ctx, me.ID)
	if err != nil {
		s.log.Error("live profile: peers", "err", err)
		return
	}
	for _, p := range peers {
		tabs := s.tabsOf(p)
		if len(tabs) == 0 {
			continue
		}
		friendsPage := s.friendsFrames(p, nil)
		row := localize(func(lc views.Locale) *transport.Frame { return s.chatRowFrame(ctx, p, me.ID, lc) })
		var heading *transport.Frame // a name and a picture: the same in every language
		for _, t := range tabs {
			switch {
			case t.page == PageFriends:
				friendsPage.deliver(t, 0)
				continue
			case t.page == PageChat && t.peer.ID == me.ID:
				if heading == nil {
					_, small, err := s.store.Avatar(ctx, me.ID)
					if err != nil {
						s.log.Error("live profile: avatar", "err", err)
					}
					pv := views.Peer{ID: me.ID, Username: me.Username, DisplayName: me.DisplayName, Avatar: viewmodel.AvatarURL(small)}
					heading = s.frame(t.locale.Lang, views.PeerName(pv, true), views.PeerAvatar(pv, true))
				}
				if heading != nil {
					t.deliver(0, heading)
				}
			}
			row.deliver(t, 0)
		}
	}
}

// chatRowFrame is owner's chat list row of their chat with peer, brought
// up to date in place (nil when the list does not show it).
func (s *Service) chatRowFrame(ctx context.Context, owner, peer int64, lc views.Locale) *transport.Frame {
	box, err := s.store.ChatBoxOf(ctx, owner, peer)
	if errors.Is(err, db.ErrNotFound) {
		return nil
	}
	if err != nil {
		s.log.Error("live profile: chat row", "err", err)
		return nil
	}
	row := viewmodel.ChatRow(box.Peer, box.Last, box.Unread, owner, lc)
	return s.frame(lc.Lang, views.ChatRowPatch(row, time.Now().In(lc.Zone)))
}
