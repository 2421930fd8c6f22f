package live

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/a-h/templ"

	"chat/db"
	"chat/hub"
	"chat/transport"
	"chat/viewmodel"
	"chat/views"
)

// Changes to messages already shown: an edit, a deletion for everyone or
// for one person, a reaction. The tabs that show the conversation get the
// message as it is now (and the replies that quote it); the chat lists
// get the chat's row when its preview may have changed.

// publishMessageChanged shows a changed message to both people.
func (s *Service) publishMessageChanged(e db.MessageChanged) {
	preview := e.Kind != db.ChangeReaction
	s.publishChange(e.Seq, e.A, e.B, e.ID, preview)
	s.publishChange(e.Seq, e.B, e.A, e.ID, preview)
}

// publishMessageHidden takes a message out of its owner's tabs.
func (s *Service) publishMessageHidden(e db.MessageHidden) {
	s.publishChange(e.Seq, e.Owner, e.Peer, e.ID, true)
}

// publishChange shows message id of owner's conversation with peer, as
// owner's copy now holds it, in owner's tabs: the message in those with
// the conversation open, and, if preview, the chat's row in the lists.
// Frames are rendered once per time zone among the tabs.
func (s *Service) publishChange(seq, owner, peer, id int64, preview bool) {
	tabs := s.tabsOf(owner)
	if len(tabs) == 0 {
		return
	}
	ctx := context.Background()
	pair := hub.PairOf(owner, peer)
	rows := map[views.Locale]templ.Component{}
	row := func(lc views.Locale) templ.Component {
		if c, ok := rows[lc]; ok {
			return c
		}
		var c templ.Component = templ.NopComponent
		box, err := s.store.ChatBoxOf(ctx, owner, peer)
		switch {
		case !preview || errors.Is(err, db.ErrNotFound): // not in the list
		case err != nil:
			s.log.Error("live change: chat box", "err", err)
		default:
			r := viewmodel.ChatRow(box.Peer, box.Last, box.Unread, owner, lc)
			c = views.ChatRowPatch(r, time.Now().In(lc.Zone))
		}
		rows[lc] = c
		return c
	}
	lists := map[views.Locale]*transport.Frame{}
	conversations := map[views.Locale]*transport.Frame{}
	for _, t := range tabs {
		switch {
		case t.page == PageFriends:
		case t.pair == pair:
			f, ok := conversations[t.locale]
			if !ok {
				patch, err := messagePatch(ctx, s.store.Reader, owner, t.peer, []int64{id}, t.locale)
				if err != nil {
					s.log.Error("live change: message", "err", err)
					return
				}
				f = s.frame(t.locale.Lang, row(t.locale), patch)
				conversations[t.locale] = f
			}
			if f != nil {
				t.deliver(seq, f)
			}
		case preview:
			f, ok := lists[t.locale]
			if !ok {
				f = s.frame(t.locale.Lang, row(t.locale))
				lists[t.locale] = f
			}
			if f != nil {
				t.deliver(seq, f)
			}
		}
	}
}

// messagePatch renders messages ids of my conversation with peer as my
// copy holds them now, with the replies that quote them: the rows to
// update, and the ids gone from my copy.
func messagePatch(ctx context.Context, r db.Reader, me int64, peer db.User, ids []int64, lc views.Locale) (templ.Component, error) {
	seen := map[int64]bool{}
	var msgs []db.Message
	var gone []int64
	add := func(id int64) error {
		if seen[id] {
			return nil
		}
		seen[id] = true
		m, err := r.MessageByID(ctx, me, peer.ID, id)
		if errors.Is(err, db.ErrNotFound) {
			gone = append(gone, id)
			return nil
		}
		if err != nil {
			return err
		}
		msgs = append(msgs, m)
		return nil
	}
	for _, id := range ids {
		if err := add(id); err != nil {
			return nil, err
		}
		// Replies show what they quote: it may have changed or gone.
		replies, err := r.RepliesTo(ctx, me, peer.ID, id)
		if err != nil {
			return nil, err
		}
		for _, reply := range replies {
			if err := add(reply); err != nil {
				return nil, err
			}
		}
	}
	slices.SortFunc(msgs, func(a, b db.Message) int { return int(a.ID - b.ID) })
	rows, err := viewmodel.Messages(ctx, r, me, peer, msgs, 0, lc)
	if err != nil {
		return nil, err
	}
	return views.MessagePatch(rows, gone, lc.Lang.Name(peer.DisplayName)), nil
}
