package live

import (
	"context"

	"github.com/a-h/templ"

	"chat/db"
	"chat/lang"
	"chat/viewmodel"
	"chat/views"
)

// catchUpLimit is how many missed messages a reconnecting page is sent one
// by one; past it the history is replaced by its newest page.
const catchUpLimit = 200

// catchUp renders what a page needs on every (re)connect to be current:
// the top bar (the person's name and sound setting, which they may have
// changed elsewhere meanwhile), the counts in the navigation, and its own
// content. A conversation gets
// the changes numbered after after: the messages it missed, or, when too
// many came or its history was deleted meanwhile, its newest page of
// history. Everything is read in one snapshot; catchUp returns the frame
// and the change number the snapshot is current to.
func (s *Service) catchUp(ctx context.Context, t *Tab, after int64) ([]byte, int64, error) {
	me := t.user
	if t.page == PageChat && s.tabs.Viewing(me.ID, t.pair) {
		// This page is open and seen now, so what arrived meanwhile is read.
		if err := s.markRead(ctx, t); err != nil {
			return nil, 0, err
		}
	}
	var parts []templ.Component
	var seq int64
	err := s.store.Snapshot(ctx, func(r db.Reader) error {
		var err error
		if seq, err = r.LastSeq(ctx); err != nil {
			return err
		}
		v, err := viewmodel.Viewer(ctx, r, me)
		if err != nil {
			return err
		}
		parts = append(parts, views.ViewerName(v.Username, v.DisplayName, true), views.SoundButton(v.Sounds, true),
			views.UnreadTotal(v.Unread, true), views.RequestCount(v.Requests, true))
		switch t.page {
		case PageFriends:
			fv, err := viewmodel.Friends(ctx, r, me.ID, "", views.Notice{}, s.Online)
			if err != nil {
				return err
			}
			parts = append(parts, views.FriendsLists(fv))
		case PageChats, PageChat:
			if t.page == PageChat {
				conv, err := s.catchUpConversation(ctx, r, t, after, seq)
				if err != nil {
					return err
				}
				parts = append(parts, conv...)
			}
			list, err := viewmodel.ChatList(ctx, r, me.ID, t.locale)
			if err != nil {
				return err
			}
			parts = append(parts, views.ChatListBody(list, true))
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	data, err := fragments(lang.With(ctx, t.locale.Lang), parts...)
	return data, seq, err
}

// catchUpConversation is the conversation's part of a catch-up, read in
// r, current to change seq. It never replaces the composer: what the
// person is typing stays.
func (s *Service) catchUpConversation(ctx context.Context, r db.Reader, t *Tab, after, seq int64) ([]templ.Component, error) {
	me, peer := t.user, t.peer
	person, err := r.PersonByUsername(ctx, me.ID, peer.Username)
	if err != nil {
		return nil, err
	}
	info, err := r.Chat(ctx, me.ID, peer.ID)
	if err != nil {
		return nil, err
	}
	pv := viewmodel.Peer(person, s.Online, t.locale)
	// Typing shows only between friends neither of whom blocked the other.
	t.friend.Store(pv.Friend && !pv.PresenceHidden)
	rc, err := r.ReceiptsOf(ctx, peer.ID, me.ID)
	if err != nil {
		return nil, err
	}
	parts := []templ.Component{
		views.PeerName(pv, true), views.PeerAvatar(pv, true),
		views.PeerPresence(pv, true), views.ComposerStatus(pv, true), views.BlockButton(pv, true),
		views.MuteButton(peer.Username, info.Muted, true), views.ConversationSeq(seq, true),
		views.ReceiptsMarker(viewmodel.Receipts(rc), true),
	}

	changes, err := r.ChangesAfter(ctx, me.ID, peer.ID, after)
	if err != nil {
		return nil, err
	}
	replace := false
	var changed []int64 // messages the page may hold that changed since
	for _, c := range changes {
		switch {
		case c.Kind == db.ChangeChatDeleted:
			replace = true // the history the page shows was deleted
		case c.MessageID != 0 && c.MessageID <= after:
			changed = append(changed, c.MessageID)
		}
	}
	var missed []db.Message
	if !replace {
		var more bool
		if missed, more, err = r.MessagesAfter(ctx, me.ID, peer.ID, after, catchUpLimit); err != nil {
			return nil, err
		}
		replace = more
	}
	if replace {
		// No divider: what the page showed was seen.
		conv, err := viewmodel.Conversation(ctx, r, me, person, db.ChatInfo{Muted: info.Muted}, seq, t.locale, s.Online)
		if err != nil {
			return nil, err
		}
		return append(parts, views.MessageList(conv, true)), nil
	}
	if len(changed) > 0 {
		patch, err := messagePatch(ctx, r, me.ID, peer, changed, t.locale)
		if err != nil {
			return nil, err
		}
		parts = append(parts, patch)
	}
	if len(missed) == 0 {
		return parts, nil
	}
	// The message above the first missed one is the page's last; its day
	// decides whether a day separator goes between them.
	prevID, prevAt, err := r.MessageBefore(ctx, me.ID, peer.ID, missed[0].ID)
	if err != nil {
		return nil, err
	}
	if prevID <= info.ClearedThrough {
		prevAt = 0
	}
	rows, err := viewmodel.Messages(ctx, r, me.ID, peer, missed, prevAt, t.locale)
	if err != nil {
		return nil, err
	}
	return append(parts, views.NewMessages(rows, t.locale.Lang.Name(peer.DisplayName))), nil
}
