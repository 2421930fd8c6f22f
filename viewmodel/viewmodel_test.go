package viewmodel

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"chat/db"
	"chat/lang"
	"chat/views"
)

func openStore(t *testing.T) *db.Store {
	t.Helper()
	s, err := db.Open(context.Background(), filepath.Join(t.TempDir(), "chat.db"), db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func createUser(t *testing.T, s *db.Store, username, name string) db.User {
	t.Helper()
	u, err := s.CreateUser(context.Background(), db.NewUser{Username: username, DisplayName: name, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func befriend(t *testing.T, s *db.Store, a, b db.User) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.SendFriendRequest(ctx, a.ID, b.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SendFriendRequest(ctx, b.ID, a.ID); err != nil {
		t.Fatal(err)
	}
}

// The friend list puts online friends first, then orders by name without
// regard to case.
func TestFriendListOnlineFirstThenByName(t *testing.T) {
	s := openStore(t)
	me := createUser(t, s, "me", "Me")
	var online []int64
	for _, f := range []struct{ username, name string }{{"zed", "zed"}, {"amy", "Amy"}, {"bob", "bob"}, {"cat", "Cat"}} {
		u := createUser(t, s, f.username, f.name)
		befriend(t, s, me, u)
		if f.username == "zed" || f.username == "cat" {
			online = append(online, u.ID)
		}
	}
	friends, err := FriendList(context.Background(), s.Reader, me.ID, func(id int64) bool { return slices.Contains(online, id) })
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range friends {
		got = append(got, f.DisplayName)
	}
	if want := []string{"Cat", "zed", "Amy", "bob"}; !slices.Equal(got, want) {
		t.Errorf("friend list %v, want %v", got, want)
	}
}

// A conversation's peer shows as online only to friends.
func TestPeerPresenceOnlyBetweenFriends(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	me, friend, stranger := createUser(t, s, "me", "Me"), createUser(t, s, "friend", "Friend"), createUser(t, s, "stranger", "Stranger")
	befriend(t, s, me, friend)
	everyoneOnline := func(int64) bool { return true }
	for _, c := range []struct {
		who    db.User
		friend bool
	}{{friend, true}, {stranger, false}} {
		p, err := s.PersonByUsername(ctx, me.ID, c.who.Username)
		if err != nil {
			t.Fatal(err)
		}
		v := Peer(p, everyoneOnline, views.Locale{Zone: time.UTC})
		if v.Friend != c.friend || v.Online != c.friend {
			t.Errorf("%s: friend %v online %v, want both %v", c.who.Username, v.Friend, v.Online, c.friend)
		}
	}
}

// Rows are in the reader's zone, and the last message is marked when it
// is theirs.
func TestRowsAreInTheReadersZone(t *testing.T) {
	zone := time.FixedZone("UTC+8", 8*3600)
	at := time.Date(2026, 11, 26, 23, 30, 0, 0, time.UTC) // 07:30 the next day in UTC+8
	m := db.Message{ID: 7, SenderID: 1, RecipientID: 2, Body: "hi", CreatedAt: at.UnixMilli(), ClientID: "c1"}
	lc := views.Locale{Zone: zone, Hour12: true}
	row := ChatRow(db.User{ID: 2, Username: "bob", DisplayName: "Bob"}, m, 3, 1, lc)
	if !row.Mine || row.Unread != 3 || row.At.Hour() != 7 || row.At.Day() != 27 || !row.Hour12 {
		t.Errorf("chat row %+v", row)
	}
	mine := MessageRows([]db.Message{m}, db.Details{}, Viewpoint{Me: 1, Locale: lc}, 0)
	theirs := MessageRows([]db.Message{m}, db.Details{}, Viewpoint{Me: 2, Locale: lc}, 0)
	if !mine[0].Mine || mine[0].ClientID != "c1" || theirs[0].Mine || theirs[0].ClientID != "" {
		t.Errorf("as the sender %+v, as the recipient %+v", mine[0], theirs[0])
	}
	if !mine[0].Hour12 {
		t.Error("a message row does not know the reader's clock")
	}
	if mine[0].Day == "" {
		t.Error("the first row has no day separator")
	}
}

// The divider goes above the first of the last unread messages from the
// peer, whatever of one's own is between them; above the earliest of
// theirs the page holds when it holds fewer.
func TestMarkFirstUnread(t *testing.T) {
	const me, peer = 1, 2
	from := func(senders ...int64) []db.Message {
		var msgs []db.Message
		for i, s := range senders {
			msgs = append(msgs, db.Message{ID: int64(i + 1), SenderID: s})
		}
		return msgs
	}
	for _, c := range []struct {
		msgs   []db.Message
		unread int
		want   int // index of the row with the divider, -1 for none
	}{
		{from(peer, me, peer, me, peer), 2, 2},
		{from(peer, peer, peer), 1, 2},
		{from(peer, peer, peer), 3, 0},
		{from(me, peer, peer), 5, 1},
		{from(peer, me), 0, -1},
	} {
		rows := make([]views.MessageRow, len(c.msgs))
		markFirstUnread(rows, c.msgs, peer, c.unread)
		got := -1
		for i, r := range rows {
			if r.UnreadBelow > 0 {
				if got >= 0 || r.UnreadBelow != c.unread {
					t.Errorf("%d unread: divider %d on row %d", c.unread, r.UnreadBelow, i)
				}
				got = i
			}
		}
		if got != c.want {
			t.Errorf("%d unread of %d messages: divider on row %d, want %d", c.unread, len(c.msgs), got, c.want)
		}
	}
}

// A row says how far the reader's own message got, what a reply quotes as
// the reader's copy holds it, and who reacted how.
func TestRowsShowTicksQuotesAndReactions(t *testing.T) {
	const me, peer = 1, 2
	v := Viewpoint{Me: me, Peer: db.User{ID: peer, DisplayName: "Bob"}, Locale: views.Locale{Zone: time.UTC},
		Receipts: views.Receipts{DeliveredThrough: 11, ReadThrough: 10}}
	msgs := []db.Message{
		{ID: 10, SenderID: me, Body: "read"},
		{ID: 11, SenderID: me, Body: "delivered", ReplyTo: 10},
		{ID: 12, SenderID: me, Body: "sent", ReplyTo: 3, EditedAt: 5},
		{ID: 13, SenderID: peer, Body: "", Deleted: true},
	}
	d := db.Details{
		Quotes: map[int64]db.Quote{10: {ID: 10, SenderID: me, Body: "read"}, 3: {ID: 3, Gone: true}},
		Reactions: map[int64][]db.Reaction{10: {
			{MessageID: 10, UserID: peer, Emoji: "❤️"}, {MessageID: 10, UserID: me, Emoji: "👍"}, {MessageID: 10, UserID: peer, Emoji: "👍"},
		}},
	}
	rows := MessageRows(msgs, d, v, 0)
	if rows[0].Status != views.StatusRead || rows[1].Status != views.StatusDelivered || rows[2].Status != views.StatusSent {
		t.Errorf("ticks: %v %v %v", rows[0].Status, rows[1].Status, rows[2].Status)
	}
	if q := rows[1].Quote; q == nil || !q.Mine || q.Body != "read" || q.Gone {
		t.Errorf("reply quotes %+v", q)
	}
	if q := rows[2].Quote; q == nil || !q.Gone || !rows[2].Edited {
		t.Errorf("reply to a deleted message quotes %+v, edited %v", q, rows[2].Edited)
	}
	if !rows[3].Deleted || rows[3].Mine {
		t.Errorf("deleted row %+v", rows[3])
	}
	// In the order of the six: 👍 before ❤️.
	got := rows[0].Reactions
	want := []views.ReactionCount{{Emoji: "👍", Count: 2, Mine: true, Who: "you and Bob"}, {Emoji: "❤️", Count: 1, Who: "Bob"}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("reactions %+v, want %+v", got, want)
	}
}

func TestDeviceNames(t *testing.T) {
	for ua, want := range map[string]string{
		"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36":                                   "Chrome on Linux",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0":                   "Edge on Windows",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1": "Safari on iPhone",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 14.7; rv:132.0) Gecko/20100101 Firefox/132.0":                                                     "Firefox on macOS",
		"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36":                       "Chrome on Android",
		"curl/8.5.0": "A browser",
		"":           "A browser",
	} {
		if got := DeviceName(lang.English, ua); got != want {
			t.Errorf("DeviceName(%q) = %q, want %q", ua, got, want)
		}
	}
}
