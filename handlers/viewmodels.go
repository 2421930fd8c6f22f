package handlers

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"chat/db"
	"chat/views"
)

// Limits of what one page shows.
const (
	chatListLimit = 200 // chat boxes in the list
	historyPage   = 50  // messages per page of history
	searchLimit   = 20  // people per search
)

// viewer is the header's view of the signed-in person.
func (s *Server) viewer(ctx context.Context, me db.User) (views.Viewer, error) {
	unread, err := s.store.UnreadTotal(ctx, me.ID)
	if err != nil {
		return views.Viewer{}, err
	}
	requests, err := s.store.IncomingRequestCount(ctx, me.ID)
	if err != nil {
		return views.Viewer{}, err
	}
	return views.Viewer{Username: me.Username, DisplayName: me.DisplayName, Unread: unread, Requests: requests}, nil
}

// page builds the layout's view model for the signed-in viewer.
func (s *Server) page(r *http.Request, title string, section views.Section, socket string) (views.Page, error) {
	v, err := s.viewer(r.Context(), sessionOf(r).User)
	if err != nil {
		return views.Page{}, err
	}
	return views.Page{Title: title, Section: section, Viewer: v, Socket: socket}, nil
}

func (s *Server) chatList(ctx context.Context, me int64, loc *time.Location) (views.ChatList, error) {
	boxes, err := s.store.ChatList(ctx, me, chatListLimit)
	if err != nil {
		return views.ChatList{}, err
	}
	list := views.ChatList{Now: time.Now().In(loc), Rows: make([]views.ChatRow, len(boxes))}
	for i, b := range boxes {
		list.Rows[i] = chatRow(b.Peer, b.Last, b.Unread, me, loc)
	}
	return list, nil
}

func chatRow(peer db.User, last db.Message, unread int, me int64, loc *time.Location) views.ChatRow {
	return views.ChatRow{
		PeerID:       peer.ID,
		PeerUsername: peer.Username,
		PeerName:     peer.DisplayName,
		Preview:      last.Body,
		Mine:         last.SenderID == me,
		At:           time.UnixMilli(last.CreatedAt).In(loc),
		Unread:       unread,
	}
}

// messageRows maps stored messages to rows as me sees them, with day
// separators; prevAt is the time of the message shown above them (0: none).
func messageRows(msgs []db.Message, me int64, prevAt int64, loc *time.Location) []views.MessageRow {
	rows := make([]views.MessageRow, len(msgs))
	for i, m := range msgs {
		rows[i] = messageRow(m, me, loc)
	}
	views.MarkDays(rows, msTime(prevAt, loc), time.Now().In(loc))
	return rows
}

func messageRow(m db.Message, me int64, loc *time.Location) views.MessageRow {
	row := views.MessageRow{ID: m.ID, Mine: m.SenderID == me, Body: m.Body, At: time.UnixMilli(m.CreatedAt).In(loc)}
	if row.Mine {
		row.ClientID = m.ClientID
	}
	return row
}

// msTime converts Unix milliseconds, with 0 as the zero time.
func msTime(ms int64, loc *time.Location) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).In(loc)
}

// friendList is my friends, online ones first, then by name.
func (s *Server) friendList(ctx context.Context, me int64) ([]views.Friend, error) {
	users, err := s.store.Friends(ctx, me)
	if err != nil {
		return nil, err
	}
	friends := make([]views.Friend, len(users))
	for i, u := range users {
		friends[i] = views.Friend{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Online: s.hub.Online(u.ID)}
	}
	slices.SortStableFunc(friends, func(a, b views.Friend) int {
		if a.Online != b.Online {
			if a.Online {
				return -1
			}
			return 1
		}
		return strings.Compare(strings.ToLower(a.DisplayName), strings.ToLower(b.DisplayName))
	})
	return friends, nil
}

func requestViews(reqs []db.FriendRequest) []views.Request {
	out := make([]views.Request, len(reqs))
	for i, r := range reqs {
		out[i] = views.Request{ID: r.ID, UserID: r.Other.ID, Username: r.Other.Username, DisplayName: r.Other.DisplayName}
	}
	return out
}

func personView(p db.Person) views.Person {
	rel := map[db.Relation]views.Relation{
		db.RelationNone:     views.RelationNone,
		db.RelationFriend:   views.RelationFriend,
		db.RelationSent:     views.RelationSent,
		db.RelationReceived: views.RelationReceived,
	}[p.Relation]
	return views.Person{ID: p.ID, Username: p.Username, DisplayName: p.DisplayName, Relation: rel, RequestID: p.RequestID}
}

// searchResults finds people whose username starts with q.
func (s *Server) searchResults(ctx context.Context, me int64, q string) ([]views.Person, error) {
	if q == "" {
		return nil, nil
	}
	found, err := s.store.SearchPeople(ctx, me, q, searchLimit)
	if err != nil {
		return nil, err
	}
	people := make([]views.Person, len(found))
	for i, p := range found {
		people[i] = personView(p)
	}
	return people, nil
}

// friendsView is everything the friends page shows.
func (s *Server) friendsView(ctx context.Context, me int64, q string, notice views.Notice) (views.FriendsView, error) {
	v := views.FriendsView{Query: q, Searched: q != "", Notice: notice}
	var err error
	if v.Friends, err = s.friendList(ctx, me); err != nil {
		return v, err
	}
	in, out, err := s.store.FriendRequests(ctx, me)
	if err != nil {
		return v, err
	}
	v.Incoming, v.Outgoing = requestViews(in), requestViews(out)
	v.Results, err = s.searchResults(ctx, me, q)
	return v, err
}

// peerView is the other person of a conversation as me sees them. Their
// presence shows only to friends.
func (s *Server) peerView(p db.Person) views.Peer {
	friend := p.Relation == db.RelationFriend
	return views.Peer{ID: p.ID, Username: p.Username, DisplayName: p.DisplayName, Friend: friend, Online: friend && s.hub.Online(p.ID)}
}
