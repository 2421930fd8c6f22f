package main

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"chat/views"

	"github.com/a-h/templ"
)

// The parser finds this run's messages in frames as the server renders
// them (views), and nothing in the chat list's previews.
func TestParseArrivals(t *testing.T) {
	this := func(from, seq int) string {
		return fmt.Sprintf("chatload %d %d %d 1700000000000000000", runID, from, seq)
	}
	at := time.Unix(1700000000, 0).UTC()
	var rows []views.MessageRow
	for i, body := range []string{"chatload 1 7 9 1700000000000000000", this(7, 1), this(7, 2), "hello, a person wrote this"} {
		rows = append(rows, views.MessageRow{ID: int64(i + 1), Body: body, At: at})
	}
	var frame bytes.Buffer
	for _, c := range []templ.Component{
		views.ChatRowOnTop(views.ChatRow{PeerID: 7, PeerUsername: "load7", PeerName: "Load 7", Preview: this(7, 1), At: at}, at),
		views.NewMessages(rows, "Load 7"),
		views.ChatListBody(views.ChatList{Rows: []views.ChatRow{{PeerID: 7, PeerUsername: "load7", Preview: this(7, 2), At: at}}, Now: at}, true),
	} {
		if err := c.Render(context.Background(), &frame); err != nil {
			t.Fatal(err)
		}
	}
	got := parseArrivals(frame.Bytes(), nil)
	if len(got) != 2 || got[0] != (arrival{7, 1, 1700000000000000000}) || got[1].seq != 2 {
		t.Errorf("parsed %+v from %s; want messages 1 and 2 of this run, and no previews", got, frame.String())
	}
}
