package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// portsPerAddress is how many sockets one loopback source address carries:
// the ephemeral port range holds about 28,000.
const portsPerAddress = 20000

// dialer returns a websocket dialer whose connections leave from
// 127.0.0.k, spreading sockets over source addresses.
func dialer(k int) *websocket.Dialer {
	local := &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(1+k))}
	return &websocket.Dialer{
		NetDialContext:   (&net.Dialer{LocalAddr: local, Timeout: 10 * time.Second}).DialContext,
		HandshakeTimeout: 15 * time.Second,
		ReadBufferSize:   1024,
		WriteBufferSize:  1024,
	}
}

var dialers = map[int]*websocket.Dialer{}
var dialersMu sync.Mutex

// dial opens a page's websocket as the browser does: the session cookie,
// this site's Origin. n numbers the socket, to pick its source address.
func dial(ctx context.Context, s *server, cookie, query string, n int) (*websocket.Conn, error) {
	k := n / portsPerAddress
	dialersMu.Lock()
	d := dialers[k]
	if d == nil {
		d = dialer(k)
		dialers[k] = d
	}
	dialersMu.Unlock()
	h := http.Header{}
	h.Set("Origin", s.url)
	if cookie != "" {
		h.Set("Cookie", cookie)
	}
	conn, resp, err := d.DialContext(ctx, "ws://"+s.host+"/ws?"+query, h)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		return nil, fmt.Errorf("socket %d: %w (status %d)", n, err, status)
	}
	return conn, nil
}

// The body of every generated message: "chatload <run> <from> <seq>
// <sent>", with this run's number (so history from earlier runs, which a
// reconnecting page is sent, is told apart), the sender's index, their
// message number and the send time (Unix nanoseconds), so the receiving
// side can time it and check order.
const bodyMark = "chatload "

var runID = time.Now().UnixNano() % 1e9

func messageBody(from, seq int, sent time.Time) string {
	return bodyMark + strconv.FormatInt(runID, 10) + " " + strconv.Itoa(from) + " " + strconv.Itoa(seq) + " " + strconv.FormatInt(sent.UnixNano(), 10)
}

// bubble starts the text of a message (views' messageBubble); previews
// in chat rows are not, so they are never taken for arrivals.
var bubble = []byte(`<p class="text">`)

// arrival is one message seen on a socket.
type arrival struct {
	from, seq int
	sent      int64
}

// parseArrivals finds this run's generated messages in a frame.
func parseArrivals(frame []byte, out []arrival) []arrival {
	for {
		i := bytes.Index(frame, bubble)
		if i < 0 {
			return out
		}
		frame = frame[i+len(bubble):]
		end := bytes.Index(frame, []byte("</p>"))
		if end < 0 {
			return out
		}
		text := frame[:end]
		frame = frame[end:]
		j := bytes.Index(text, []byte(bodyMark))
		if j < 0 {
			continue
		}
		fields := bytes.Fields(text[j+len(bodyMark):])
		if len(fields) != 4 {
			continue
		}
		var nums [4]int64
		for k, f := range fields {
			nums[k], _ = strconv.ParseInt(string(f), 10, 64)
		}
		if nums[0] == runID {
			out = append(out, arrival{from: int(nums[1]), seq: int(nums[2]), sent: nums[3]})
		}
	}
}

// sendJSON is what the composer's ws-send posts, with htmx's headers, as
// the browser sends it.
func sendJSON(to, message, clientID string) []byte {
	return []byte(`{"to":"` + to + `","message":"` + message + `","client_id":"` + clientID +
		`","HEADERS":{"HX-Request":"true","HX-Trigger":"composer","HX-Trigger-Name":null,"HX-Target":"composer","HX-Current-URL":"http://chatload/chats/` + to + `"}}`)
}

// conversation is one person's conversation page open on a socket.
type conversation struct {
	me, peer *person
	typing   bool // a typing frame before every message
	conn     *websocket.Conn
	writeMu  sync.Mutex
	nextSeq  int
	// arrived is signalled each time the peer receives one of my messages.
	arrived chan struct{}
	// lastFromPeer is the last message number received from the peer, to
	// check each arrives once and in order.
	lastFromPeer atomic.Int64
}

func (c *conversation) send(seq int) error {
	now := time.Now()
	// Client ids are unique per run: the server stores one message per
	// sender and client id, so reusing one would be answered as a resend.
	msg := sendJSON(c.peer.name, messageBody(c.me.index, seq, now), fmt.Sprintf("load-%d-%d-%d", runID, c.me.index, seq))
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	c.conn.SetWriteDeadline(now.Add(10 * time.Second))
	// The page says its person is typing before the message goes, as a
	// browser does while the message is typed.
	if c.typing {
		if err := c.conn.WriteMessage(websocket.TextMessage, typingJSON); err != nil {
			return err
		}
	}
	return c.conn.WriteMessage(websocket.TextMessage, msg)
}

var typingJSON = []byte(`{"typing":true}`)

// tally counts what the readers saw.
type tally struct {
	arrivals   atomic.Int64
	duplicates atomic.Int64 // a message seen twice, or out of order
	gaps       atomic.Int64 // a message skipped
	refused    atomic.Int64 // the server answered with an error
	mu         sync.Mutex
	recording  bool
	from, to   time.Time
	latencies  []time.Duration
	inWindow   int64
}

// window starts recording arrivals between from and to.
func (t *tally) window(from, to time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.recording, t.from, t.to, t.latencies, t.inWindow = true, from, to, nil, 0
}

func (t *tally) record(now time.Time, sent int64) {
	t.arrivals.Add(1)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.recording && !now.Before(t.from) && now.Before(t.to) {
		t.inWindow++
		t.latencies = append(t.latencies, now.Sub(time.Unix(0, sent)))
	}
}

// read runs a conversation socket's reader until it closes: it times the
// peer's messages and wakes the peer's sender.
func (c *conversation) read(t *tally, peerOf func(*conversation) *conversation) {
	var buf []arrival
	for {
		_, frame, err := c.conn.ReadMessage()
		if err != nil {
			return
		}
		now := time.Now()
		if bytes.Contains(frame, []byte(`id="send-error"`)) {
			t.refused.Add(1)
			if c.arrived != nil {
				select {
				case c.arrived <- struct{}{}:
				default:
				}
			}
			continue
		}
		buf = parseArrivals(frame, buf[:0])
		for _, a := range buf {
			if a.from == c.me.index {
				continue // my own message, shown back to me
			}
			last := int(c.lastFromPeer.Load())
			switch {
			case a.seq <= last:
				if t.duplicates.Add(1) <= 3 {
					fmt.Fprintf(os.Stderr, "duplicate on %s: message %d from %d after %d\n", c.me.name, a.seq, a.from, last)
				}
				continue
			case a.seq > last+1:
				t.gaps.Add(int64(a.seq - last - 1))
			}
			c.lastFromPeer.Store(int64(a.seq))
			t.record(now, a.sent)
			if p := peerOf(c); p != nil && p.arrived != nil {
				select {
				case p.arrived <- struct{}{}:
				default:
				}
			}
		}
	}
}
