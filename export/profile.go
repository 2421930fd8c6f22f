package export

import (
	"chat/db"
	"time"
)

// person is how the export names someone.
type person struct {
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
}

func personOf(u db.User) person { return person{u.Username, u.DisplayName} }

// profile writes profile.json (who I am, my settings) and friends.json
// (my friends and the requests waiting either way).
func (x *exporter) profile() error {
	a, err := x.r.Account(x.ctx, x.me)
	if err != nil {
		return err
	}
	x.myName = a.Username
	err = x.writeJSON("profile.json", struct {
		person
		SignedUp     time.Time `json:"signed_up"`
		ReadReceipts bool      `json:"read_receipts"`
	}{personOf(a.User), x.at(a.CreatedAt), a.ReadReceipts})
	if err != nil {
		return err
	}
	friends, err := x.r.Friends(x.ctx, x.me)
	if err != nil {
		return err
	}
	in, out, err := x.r.FriendRequests(x.ctx, x.me)
	if err != nil {
		return err
	}
	people := func(us []db.User) []person {
		out := make([]person, len(us))
		for i, u := range us {
			out[i] = personOf(u)
		}
		return out
	}
	others := func(rs []db.FriendRequest) []person {
		out := make([]person, len(rs))
		for i, r := range rs {
			out[i] = personOf(r.Other)
		}
		return out
	}
	return x.writeJSON("friends.json", struct {
		Friends          []person `json:"friends"`
		RequestsReceived []person `json:"requests_received"`
		RequestsSent     []person `json:"requests_sent"`
	}{people(friends), others(in), others(out)})
}
