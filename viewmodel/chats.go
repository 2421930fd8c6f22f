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
		PeerName:     lc.Lang.Name(peer.DisplayName),
		PeerAvatar:   AvatarURL(peer.Avatar),
		Preview:      Preview(lc.Lang, last),
		Mine:         last.SenderID == me,
		Deleted:      last.Deleted,
		At:           msTime(last.CreatedAt, lc.Zone),
		Hour12:       lc.Hour12,
		Unread:       unread,
	}
}

// Peer is the other person of a conversation as I see them. Their
// presence shows only to friends.
func Peer(p db.Person, online Online, lc views.Locale) views.Peer {
	friend := p.Relation == db.RelationFriend
	hidden := p.Blocked || p.BlockedViewer || p.Deleted
	v := views.Peer{
		ID: p.ID, Username: p.Username, DisplayName: lc.Lang.Name(p.DisplayName), Avatar: AvatarURL(p.Avatar),
		Friend: friend, Online: friend && !hidden && online(p.ID),
		Relation: relations[p.Relation], RequestID: p.RequestID,
		Blocked: p.Blocked, PresenceHidden: hidden, Deleted: p.Deleted,
		Now: time.Now().In(lc.Zone), Hour12: lc.Hour12,
	}
	if friend && !hidden && !v.Online {
		v.LastSeen = msTime(p.LastSeen, lc.Zone)
	}
	return v
}
