package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"chat/views"
)

// cpuSpeed is how long this machine takes, at the moment, to render one
// message fragment with the server's own templates: a yardstick printed
// at the start and end of a run, because a shared machine can be a third
// slower for a while, and that explains a spread between runs better than
// guessing.
func cpuSpeed() time.Duration {
	rows := []views.MessageRow{{ID: 1, Mine: true, ClientID: "0123456789abcdef", Body: "about the length of a chat line", At: time.Now()}}
	ctx := context.Background()
	const rounds, perRound = 7, 5000
	times := make([]time.Duration, rounds)
	for i := range times {
		start := time.Now()
		for range perRound {
			if err := views.NewMessages(rows, "Bob").Render(ctx, io.Discard); err != nil {
				panic(fmt.Sprintf("render: %v", err))
			}
		}
		times[i] = time.Since(start) / perRound
	}
	slices.Sort(times)
	return times[rounds/2]
}
