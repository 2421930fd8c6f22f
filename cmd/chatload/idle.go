package main

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// idleResult is the memory a server needs per open, idle socket.
type idleResult struct {
	Sockets      int     `json:"sockets"`
	RSSBefore    int64   `json:"rss_before_bytes"`
	RSSAfter     int64   `json:"rss_after_bytes"`
	PerSocketKiB float64 `json:"rss_per_socket_kib"`
}

// holdIdle opens n sockets with query (the chat list page) spread over
// people, waits for the server's memory to settle, and reports the growth
// per socket.
func holdIdle(ctx context.Context, s *server, people []*person, query string, n int, o options) (idleResult, error) {
	res := idleResult{Sockets: n}
	var err error
	if res.RSSBefore, err = s.settledRSS(ctx); err != nil {
		return res, err
	}
	conns := make([]*websocket.Conn, n)
	defer func() {
		var wg sync.WaitGroup
		for _, c := range conns {
			if c != nil {
				wg.Go(func() { c.Close() })
			}
		}
		wg.Wait()
	}()
	start := time.Now()
	err = parallel(ctx, n, 128, func(i int) error {
		cookie := ""
		if len(people) > 0 {
			cookie = people[i%len(people)].cookie
		}
		c, err := dial(ctx, s, cookie, query, i)
		if err != nil {
			return err
		}
		conns[i] = c
		// Read (and so answer pings) in the background, as a page does;
		// the frames themselves are not needed.
		go func() {
			for {
				if _, _, err := c.NextReader(); err != nil {
					return
				}
			}
		}()
		if (i+1)%10000 == 0 {
			logf(o, "  %d sockets open (%.0f/s)", i+1, float64(i+1)/time.Since(start).Seconds())
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	logf(o, "  %d sockets open in %v", n, time.Since(start).Round(time.Millisecond))
	select {
	case <-ctx.Done():
		return res, ctx.Err()
	case <-time.After(3 * time.Second):
	}
	if res.RSSAfter, err = s.settledRSS(ctx); err != nil {
		return res, err
	}
	res.PerSocketKiB = float64(res.RSSAfter-res.RSSBefore) / float64(n) / 1024
	return res, nil
}

// serveBare is the baseline: the read and write pumps of gorilla's chat
// example and nothing else (no session, no hub, no database), measured the
// same way as the chat server.
func serveBare(addr string) error {
	upgrader := websocket.Upgrader{ReadBufferSize: 1024, WriteBufferSize: 1024}
	mux := http.NewServeMux()
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/ws", func(w http.ResponseWriter, r *http.Request) {
		conn, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		send := make(chan []byte, 256)
		go func() { // write pump
			ping := time.NewTicker(30 * time.Second)
			defer func() {
				ping.Stop()
				conn.Close()
			}()
			for {
				select {
				case m, ok := <-send:
					conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
					if !ok {
						conn.WriteMessage(websocket.CloseMessage, nil)
						return
					}
					if err := conn.WriteMessage(websocket.TextMessage, m); err != nil {
						return
					}
				case <-ping.C:
					conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
					if err := conn.WriteMessage(websocket.PingMessage, nil); err != nil {
						return
					}
				}
			}
		}()
		// read pump
		defer close(send)
		conn.SetReadLimit(64 << 10)
		conn.SetReadDeadline(time.Now().Add(45 * time.Second))
		conn.SetPongHandler(func(string) error { return conn.SetReadDeadline(time.Now().Add(45 * time.Second)) })
		for {
			if _, _, err := conn.ReadMessage(); err != nil {
				return
			}
		}
	})
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	return srv.ListenAndServe()
}

// startBare starts this program as the bare pump server.
func startBare(ctx context.Context, logPath, self string) (*server, error) {
	return startProcess(ctx, logPath, "/login", self, "-bare-server", "{addr}")
}

func kib(b int64) string { return fmt.Sprintf("%.1f KiB", float64(b)/1024) }
