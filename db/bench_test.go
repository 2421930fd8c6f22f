package db

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
)

func benchPairs(b *testing.B, s *testStore, n int) [][2]User {
	pairs := make([][2]User, n)
	for i := range pairs {
		a := mustCreateUser(b, s, fmt.Sprint("a", i))
		c := mustCreateUser(b, s, fmt.Sprint("b", i))
		mustBefriend(b, s, a, c)
		pairs[i] = [2]User{a, c}
	}
	return pairs
}

// BenchmarkSendMessage stores messages one after another: each waits for
// its own commit (an fsync at synchronous=FULL).
func BenchmarkSendMessage(b *testing.B) {
	s := mustOpen(b)
	p := benchPairs(b, s, 1)[0]
	ctx := context.Background()
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		n++
		if _, _, err := s.send(ctx, NewMessage{From: p[0], To: p[1], ClientID: fmt.Sprint("s", n), Body: "hello there"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSendMessageConcurrent stores messages from many senders at
// once, as a busy server does: they share transactions and fsyncs.
func BenchmarkSendMessageConcurrent(b *testing.B) {
	s := mustOpen(b)
	pairs := benchPairs(b, s, 64)
	ctx := context.Background()
	var next, id atomic.Int64
	b.SetParallelism(16)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		p := pairs[next.Add(1)%int64(len(pairs))]
		for pb.Next() {
			if _, _, err := s.send(ctx, NewMessage{From: p[0], To: p[1], ClientID: fmt.Sprint("c", id.Add(1)), Body: "hello there"}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
