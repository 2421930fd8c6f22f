package live

import (
	"context"

	"chat/hub"
)

// A message is read only when its chat is open in a tab the browser
// shows: a chat open in a background tab still counts it unread. Each tab
// says whether it is shown when it connects and whenever that changes.

// viewing reports whether user sees the conversation with peer now: open
// in a tab the browser shows.
func (s *Service) viewing(user, peer int64) bool {
	return s.tabs.Viewing(user, hub.PairOf(user, peer))
}

// markRead clears the unread count of t's conversation.
func (s *Service) markRead(ctx context.Context, t *Tab) error {
	info, err := s.store.Chat(ctx, t.user.ID, t.peer.ID)
	if err != nil || info.Unread == 0 {
		return err
	}
	return s.store.MarkRead(ctx, t.user.ID, t.peer.ID)
}

// visibleKey is in every frame readShown reads.
var visibleKey = []byte(`"visible"`)

// shown is what a tab sends when the browser shows or hides it.
type shown struct {
	Visible *bool `json:"visible"`
}

// readShown reads a frame as a visibility change, if it is one.
func readShown(data []byte) (visible, ok bool) {
	var f shown
	if !decodeFrame(data, &f) || f.Visible == nil {
		return false, false
	}
	return *f.Visible, true
}

// setVisible records that t is shown or hidden; shown, its conversation's
// messages are read.
func (s *Service) setVisible(ctx context.Context, t *Tab, visible bool) {
	if !s.tabs.SetVisible(t, visible) || !visible || t.page != PageChat {
		return
	}
	if err := s.markRead(ctx, t); err != nil {
		s.log.Error("mark read on showing a tab", "err", err, "user_id", t.user.ID)
	}
}
