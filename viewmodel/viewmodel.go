// Package viewmodel builds what each screen shows: it reads the store and
// maps rows to the view models of package views. Pages (handlers) and
// live pushes (live) both build their view models here, so a chat row or
// a message looks the same whichever way it reaches the browser.
package viewmodel

import (
	"context"
	"time"

	"chat/db"
	"chat/views"
)

// Limits of what one screen shows.
const (
	ChatListLimit = 200 // chat boxes in the list
	HistoryPage   = 50  // messages per page of history
	SearchLimit   = 20  // people per search
)

// Online says whether a user counts as online: the live layer knows.
type Online func(user int64) bool

// Viewer is the header's view of the signed-in person.
func Viewer(ctx context.Context, r db.Reader, me db.User) (views.Viewer, error) {
	unread, err := r.UnreadTotal(ctx, me.ID)
	if err != nil {
		return views.Viewer{}, err
	}
	requests, err := r.IncomingRequestCount(ctx, me.ID)
	if err != nil {
		return views.Viewer{}, err
	}
	sounds, err := r.Sounds(ctx, me.ID)
	if err != nil {
		return views.Viewer{}, err
	}
	return views.Viewer{Username: me.Username, DisplayName: me.DisplayName, Unread: unread, Requests: requests, Sounds: sounds}, nil
}

// msTime converts Unix milliseconds, with 0 as the zero time.
func msTime(ms int64, loc *time.Location) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).In(loc)
}
