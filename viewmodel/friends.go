package viewmodel

import (
	"context"
	"slices"
	"strings"

	"chat/db"
	"chat/views"
)

// FriendList is my friends, online ones first, then by name.
func FriendList(ctx context.Context, r db.Reader, me int64, online Online) ([]views.Friend, error) {
	users, err := r.Friends(ctx, me)
	if err != nil {
		return nil, err
	}
	blocks, err := r.Blocks(ctx, me)
	if err != nil {
		return nil, err
	}
	friends := make([]views.Friend, len(users))
	for i, u := range users {
		hidden := blocks.Hidden(u.ID)
		friends[i] = views.Friend{
			ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Avatar: AvatarURL(u.Avatar), Online: !hidden && online(u.ID),
			Blocked: blocks.ByMe[u.ID], PresenceHidden: hidden,
		}
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

func requests(reqs []db.FriendRequest) []views.Request {
	out := make([]views.Request, len(reqs))
	for i, r := range reqs {
		out[i] = views.Request{ID: r.ID, UserID: r.Other.ID, Username: r.Other.Username, DisplayName: r.Other.DisplayName}
	}
	return out
}

var relations = map[db.Relation]views.Relation{
	db.RelationNone:     views.RelationNone,
	db.RelationFriend:   views.RelationFriend,
	db.RelationSent:     views.RelationSent,
	db.RelationReceived: views.RelationReceived,
	db.RelationSelf:     views.RelationSelf,
}

func person(p db.Person) views.Person {
	return views.Person{ID: p.ID, Username: p.Username, DisplayName: p.DisplayName, Avatar: AvatarURL(p.Avatar), Relation: relations[p.Relation], RequestID: p.RequestID, Blocked: p.Blocked}
}

// SearchResults finds people whose username starts with q.
func SearchResults(ctx context.Context, r db.Reader, me int64, q string) ([]views.Person, error) {
	if q == "" {
		return nil, nil
	}
	found, err := r.SearchPeople(ctx, me, q, SearchLimit)
	if err != nil {
		return nil, err
	}
	people := make([]views.Person, len(found))
	for i, p := range found {
		people[i] = person(p)
	}
	return people, nil
}

// Friends is everything the friends page shows, with the results of
// searching q (none when empty) and a notice after an action.
func Friends(ctx context.Context, r db.Reader, me int64, q string, notice views.Notice, online Online) (views.FriendsView, error) {
	v := views.FriendsView{Query: q, Searched: q != "", Notice: notice}
	var err error
	if v.Friends, err = FriendList(ctx, r, me, online); err != nil {
		return v, err
	}
	in, out, err := r.FriendRequests(ctx, me)
	if err != nil {
		return v, err
	}
	v.Incoming, v.Outgoing = requests(in), requests(out)
	v.Results, err = SearchResults(ctx, r, me, q)
	return v, err
}
