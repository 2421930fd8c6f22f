package viewmodel

import (
	"context"
	"time"

	"chat/db"
	"chat/views"
)

// ChatList is my chat list, times in loc.
func ChatList(ctx context.Context, r db.Reader, me int64, lc views.Locale) (views.ChatList, error) {
	boxes, err := r.ChatList(ctx, me, ChatListLimit)
	if err != nil {
		return views.ChatList{}, err
	}
	list := views.ChatList{Now: time.Now().In(lc.Zone), Rows: make([]views.ChatRow, len(boxes))}
	for i, b := range boxes {
		list.Rows[i] = ChatRow(b.Peer, b.Last, b.Unread, me, lc)
	}
	return list, nil
}

// ChatRow is one line of my chat list: my chat with peer, whose last
// message is last.
func ChatRow(peer db.User, last db.Message, unread int, me int64, lc views.Locale) views.ChatRow {
	return views.ChatRow{
		PeerID:       peer.ID,
		PeerUsername: peer.Username,
		PeerName:     peer.DisplayName,
		Preview:      last.Body,
		Mine:         last.SenderID == me,
		At:           time.UnixMilli(last.CreatedAt).In(lc.Zone),
		Hour12:       lc.Hour12,
		Unread:       unread,
	}
}

// MessageRows maps stored messages to rows as me sees them, with day
// separators; prevAt is the time of the message shown above them (0:
// none).
func MessageRows(msgs []db.Message, me int64, prevAt int64, lc views.Locale) []views.MessageRow {
	rows := make([]views.MessageRow, len(msgs))
	for i, m := range msgs {
		rows[i] = messageRow(m, me, lc)
	}
	views.MarkDays(rows, msTime(prevAt, lc.Zone), time.Now().In(lc.Zone))
	return rows
}

func messageRow(m db.Message, me int64, lc views.Locale) views.MessageRow {
	row := views.MessageRow{ID: m.ID, Mine: m.SenderID == me, Body: m.Body, At: time.UnixMilli(m.CreatedAt).In(lc.Zone), Hour12: lc.Hour12}
	if row.Mine {
		row.ClientID = m.ClientID
	}
	return row
}

// Peer is the other person of a conversation as I see them. Their
// presence shows only to friends.
func Peer(p db.Person, online Online) views.Peer {
	friend := p.Relation == db.RelationFriend
	return views.Peer{
		ID: p.ID, Username: p.Username, DisplayName: p.DisplayName,
		Friend: friend, Online: friend && online(p.ID),
		Relation: relations[p.Relation], RequestID: p.RequestID,
	}
}

// maxOpeningPage is the most messages a conversation opens with, to reach
// its first unread one.
const maxOpeningPage = 300

// Conversation is the newest page of my history with person, current to
// change seq, reaching back to the first of the unread messages from them
// (as many as the page may hold), which gets a divider above it.
func Conversation(ctx context.Context, r db.Reader, me db.User, person db.Person, info db.ChatInfo, seq int64, lc views.Locale, online Online) (views.Conversation, error) {
	unread := info.Unread
	limit := min(max(HistoryPage, unread+HistoryPage/5), maxOpeningPage)
	msgs, more, err := r.MessagesBefore(ctx, me.ID, person.ID, 0, limit)
	if err != nil {
		return views.Conversation{}, err
	}
	rows := MessageRows(msgs, me.ID, 0, lc)
	markFirstUnread(rows, msgs, person.ID, unread)
	return views.Conversation{
		Peer:     Peer(person, online),
		Messages: rows,
		More:     more,
		Seq:      seq,
		Muted:    info.Muted,
	}, nil
}

// markFirstUnread puts the divider above the first of the last unread
// messages from peer, or above the earliest of theirs the page holds when
// it holds fewer.
func markFirstUnread(rows []views.MessageRow, msgs []db.Message, peer int64, unread int) {
	if unread <= 0 || len(rows) == 0 {
		return
	}
	first, left := 0, unread
	for i := len(msgs) - 1; i >= 0 && left > 0; i-- {
		if msgs[i].SenderID == peer {
			first, left = i, left-1
		}
	}
	rows[first].UnreadBelow = unread
}

// OlderMessages is the page of my history with peer before message
// before, and the day whose separator the page now shows above it rather
// than below (empty if none).
func OlderMessages(ctx context.Context, r db.Reader, me, peer, before int64, lc views.Locale) (rows []views.MessageRow, more bool, dropDay string, err error) {
	msgs, more, err := r.MessagesBefore(ctx, me, peer, before, HistoryPage)
	if err != nil {
		return nil, false, "", err
	}
	rows = MessageRows(msgs, me, 0, lc)
	if len(rows) > 0 {
		beforeAt, err := r.MessageSentAt(ctx, me, peer, before)
		if err != nil {
			return nil, false, "", err
		}
		if next := msTime(beforeAt, lc.Zone); !next.IsZero() && views.DayKey(next) == views.DayKey(rows[len(rows)-1].At) {
			dropDay = views.DayKey(next)
		}
	}
	return rows, more, dropDay, nil
}
