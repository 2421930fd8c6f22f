package main

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// pageTiming is the server's own time for one page, from Server-Timing.
type pageTiming struct {
	Requests int           `json:"requests"`
	Messages int           `json:"messages_on_page"`
	P50      time.Duration `json:"p50_ns"`
	P99      time.Duration `json:"p99_ns"`
}

// timeChatPage loads p's conversation with peer n times, one after the
// other, and collects the server time each took.
func timeChatPage(ctx context.Context, s *server, p, peer *person, n int) (pageTiming, error) {
	var times []time.Duration
	res := pageTiming{Requests: n, Messages: 50}
	for i := 0; i < n && ctx.Err() == nil; i++ {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.url+"/chats/"+peer.name, nil)
		req.Header.Set("Cookie", p.cookie)
		resp, err := do(req)
		if err != nil {
			return res, err
		}
		if resp.StatusCode != http.StatusOK {
			return res, fmt.Errorf("chat page: status %d", resp.StatusCode)
		}
		d, err := appDuration(resp.Header.Get("Server-Timing"))
		if err != nil {
			return res, err
		}
		times = append(times, d)
	}
	slices.Sort(times)
	res.P50, res.P99 = percentile(times, 0.5), percentile(times, 0.99)
	return res, ctx.Err()
}

// appDuration reads "app;dur=0.412" (milliseconds).
func appDuration(header string) (time.Duration, error) {
	_, dur, ok := strings.Cut(header, "dur=")
	if !ok {
		return 0, fmt.Errorf("no Server-Timing duration in %q", header)
	}
	ms, err := strconv.ParseFloat(dur, 64)
	return time.Duration(ms * float64(time.Millisecond)), err
}
