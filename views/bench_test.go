package views

import (
	"chat/lang"
	"context"
	"fmt"
	"io"
	"testing"
	"time"
)

func benchRows(n int, now time.Time) []MessageRow {
	rows := make([]MessageRow, n)
	for i := range rows {
		rows[i] = MessageRow{ID: int64(1000 + i), Mine: i%2 == 0, Body: fmt.Sprintf("message number %d, about the length of a chat line", i), At: now.Add(time.Duration(i-n) * time.Minute)}
		if rows[i].Mine {
			rows[i].ClientID = fmt.Sprintf("%032x", i)
		}
	}
	MarkDays(lang.English, rows, time.Time{}, now)
	return rows
}

// BenchmarkMessageFragment renders what one new message pushes to one
// viewer: the message appended to the history.
func BenchmarkMessageFragment(b *testing.B) {
	now := time.Now()
	rows := benchRows(1, now)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := NewMessages(rows, "Bob").Render(ctx, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkChatRowFragment renders the chat list update of one message.
func BenchmarkChatRowFragment(b *testing.B) {
	now := time.Now()
	row := ChatRow{PeerID: 2, PeerUsername: "bob", PeerName: "Bob", Preview: "about the length of a chat line", At: now, Unread: 3}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := ChatRowOnTop(row, now).Render(ctx, io.Discard); err != nil {
			b.Fatal(err)
		}
		if err := UnreadTotal(3, true).Render(ctx, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkChatPage renders a whole conversation page: 50 messages and a
// chat list of 20 chats.
func BenchmarkChatPage(b *testing.B) {
	now := time.Now()
	list := ChatList{Now: now}
	for i := 0; i < 20; i++ {
		list.Rows = append(list.Rows, ChatRow{PeerID: int64(i), PeerUsername: fmt.Sprint("user", i), PeerName: fmt.Sprint("User ", i), Preview: "hello there", At: now})
	}
	c := Conversation{Peer: Peer{ID: 2, Username: "bob", DisplayName: "Bob", Friend: true, Online: true}, Messages: benchRows(50, now), More: true, Seq: 1049}
	p := Page{Title: "Bob", Viewer: Viewer{Username: "alice", DisplayName: "Alice", Unread: 2}, Socket: "/ws?page=chat&peer=bob", Detail: true}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := ConversationPage(p, list, c).Render(ctx, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
