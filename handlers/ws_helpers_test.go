package handlers

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gorilla/websocket"
)

// wsClient is a page's websocket as the test sees it: every frame received
// is kept, in order.
type wsClient struct {
	t    testing.TB
	conn *websocket.Conn

	mu     sync.Mutex
	frames []string
	closed error // why reading stopped
	notify chan struct{}
}

// dial opens the websocket of a page (query as the page's ws-connect adds
// it) with the browser's cookies and this site's Origin.
func (b *browser) dial(query string) *wsClient {
	b.t.Helper()
	c, resp, err := b.tryDial(query, b.site.URL)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		b.t.Fatalf("dial %s: %v (status %d)", query, err, status)
	}
	return c
}

// dialIn opens a socket as a browser that asks for pages in
// acceptLanguage does.
func (b *browser) dialIn(query, acceptLanguage string) *wsClient {
	b.t.Helper()
	h := http.Header{"Accept-Language": {acceptLanguage}}
	c, _, err := b.tryDialWith(query, b.site.URL, h)
	if err != nil {
		b.t.Fatalf("dial %s: %v", query, err)
	}
	return c
}

func (b *browser) tryDial(query, origin string) (*wsClient, *http.Response, error) {
	return b.tryDialWith(query, origin, http.Header{})
}

func (b *browser) tryDialWith(query, origin string, h http.Header) (*wsClient, *http.Response, error) {
	u, _ := url.Parse(b.site.URL)
	if origin != "" {
		h.Set("Origin", origin)
	}
	var cookies []string
	for _, c := range b.client.Jar.Cookies(u) {
		cookies = append(cookies, c.Name+"="+c.Value)
	}
	if len(cookies) > 0 {
		h.Set("Cookie", strings.Join(cookies, "; "))
	}
	conn, resp, err := websocket.DefaultDialer.Dial("ws://"+u.Host+"/ws?"+query, h)
	if err != nil {
		return nil, resp, err
	}
	c := &wsClient{t: b.t, conn: conn, notify: make(chan struct{}, 1)}
	go c.read()
	b.t.Cleanup(func() { conn.Close() })
	return c, resp, nil
}

func (c *wsClient) read() {
	for {
		_, data, err := c.conn.ReadMessage()
		c.mu.Lock()
		if err != nil {
			c.closed = err
		} else {
			c.frames = append(c.frames, string(data))
		}
		c.mu.Unlock()
		select {
		case c.notify <- struct{}{}:
		default:
		}
		if err != nil {
			return
		}
	}
}

// waitFor waits until cond holds for the frames received so far.
func (c *wsClient) waitFor(what string, cond func(frames []string, closed error) bool) {
	c.t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		frames, closed := c.snapshot()
		if cond(frames, closed) {
			return
		}
		select {
		case <-c.notify:
		case <-deadline:
			c.t.Fatalf("timed out waiting for %s; got %d frames, closed: %v\nlast: %s", what, len(frames), closed, last(frames))
		}
	}
}

// snapshot returns the frames so far and why reading stopped, if it did.
func (c *wsClient) snapshot() ([]string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.frames), c.closed
}

// last returns the newest frame.
func (c *wsClient) last() string {
	frames, _ := c.snapshot()
	return last(frames)
}

func last(frames []string) string {
	if len(frames) == 0 {
		return "(none)"
	}
	return frames[len(frames)-1]
}

// waitContains waits for a frame containing s and returns it.
func (c *wsClient) waitContains(s string) string {
	c.t.Helper()
	var found string
	c.waitFor("a frame containing "+s, func(frames []string, _ error) bool {
		for _, f := range frames {
			if strings.Contains(f, s) {
				found = f
				return true
			}
		}
		return false
	})
	return found
}

// waitClosed waits for the server to close the socket and returns the close
// code.
func (c *wsClient) waitClosed() int {
	c.t.Helper()
	var code int
	c.waitFor("the socket to close", func(_ []string, closed error) bool {
		if ce, ok := closed.(*websocket.CloseError); ok {
			code = ce.Code
			return true
		}
		if closed != nil {
			code = -1
			return true
		}
		return false
	})
	return code
}

// messageIDs returns the ids of the messages in every frame so far, in
// order, counting a message each time it arrives.
func (c *wsClient) messageIDs() []string {
	frames, _ := c.snapshot()
	var ids []string
	for _, f := range frames {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(f))
		if err != nil {
			c.t.Fatal(err)
		}
		doc.Find(".msg[data-id]").Each(func(_ int, s *goquery.Selection) {
			ids = append(ids, s.AttrOr("data-id", ""))
		})
	}
	return ids
}

// count returns how many frames so far contain s.
func (c *wsClient) count(s string) int {
	frames, _ := c.snapshot()
	n := 0
	for _, f := range frames {
		n += strings.Count(f, s)
	}
	return n
}

// send writes a frame as the page would.
func (c *wsClient) send(frame string) {
	c.t.Helper()
	if err := c.conn.WriteMessage(websocket.TextMessage, []byte(frame)); err != nil {
		c.t.Fatal(err)
	}
}

// befriend makes the two browsers' users friends through the site.
func befriend(t *testing.T, a, b *browser, bUsername string) {
	t.Helper()
	a.post("/friends/requests", url.Values{"username": {bUsername}})
	resp, doc := b.get("/friends")
	id := doc.Find("#incoming form").First().AttrOr("action", "")
	if id == "" {
		t.Fatalf("no incoming request on %s's friends page (status %d)", bUsername, resp.StatusCode)
	}
	b.post(id, nil)
}
