package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"slices"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/gorilla/websocket"
)

// The crash audit: people send messages while the server is killed
// (SIGKILL, no chance to flush anything) at random moments and started
// again; each page resends what it has not seen acknowledged, with the
// same client id, as app.js does. At the end the store must hold every
// acknowledged message exactly once, unchanged, in a database that passes
// SQLite's integrity check.

// crashPeople is how many people (in befriended pairs) send during the
// audit, each a message every crashSendEvery: below the server's per
// person rate limit, so nothing is refused for sending too fast.
const (
	crashPeople    = 20
	crashSendEvery = 150 * time.Millisecond
)

type crashResult struct {
	Kills        int             `json:"kills"`
	Seed         uint64          `json:"seed"`
	Sent         int             `json:"sent"`
	Acknowledged int             `json:"acknowledged"`
	Lost         int             `json:"lost"`
	Duplicated   int             `json:"duplicated"`
	Changed      int             `json:"changed"`
	Integrity    string          `json:"integrity_check"`
	Restarts     []time.Duration `json:"restart_ns"`
}

// sentMessage is one message a person sent: its body, and whether the
// server has acknowledged it (the page showed it as stored).
type sentMessage struct {
	from  *person
	body  string
	acked bool
}

// crashAudit is the state of one audit: every message sent, by client id.
type crashAudit struct {
	mu   sync.Mutex
	sent map[string]*sentMessage
	seq  int
}

// ownMessage finds the client ids of one's own messages in a frame: the
// rows the server renders for the sender carry them.
var ownMessage = regexp.MustCompile(`data-client-id="([A-Za-z0-9_-]+)"`)

func runCrash(ctx context.Context, o options, r *report) error {
	h, err := newHarness(ctx, o)
	if err != nil {
		return err
	}
	defer h.close()
	if h.bin == "" {
		return errors.New("-mode crash kills the server: it must start it (no -url)")
	}
	dir := filepath.Join(h.tmp, "data")
	seed := o.seed
	if seed == 0 {
		seed = rand.Uint64()
	}
	rng := rand.New(rand.NewPCG(seed, 0))
	res := &crashResult{Kills: o.kills, Seed: seed}
	r.Crash = res

	s, err := h.start(ctx, dir, "FULL")
	if err != nil {
		return err
	}
	people, err := h.people(ctx, s, dir, crashPeople, true)
	if err != nil {
		s.stop()
		return err
	}
	a := &crashAudit{sent: map[string]*sentMessage{}}
	for round := 0; round <= o.kills; round++ {
		last := round == o.kills
		// Run for a random while, then kill; the last round runs until
		// everything sent is acknowledged, then stops the server properly.
		runFor := time.Duration(300+rng.IntN(1200)) * time.Millisecond
		if err := a.round(ctx, s, people, runFor, last); err != nil {
			s.kill()
			return fmt.Errorf("round %d: %w", round, err)
		}
		if last {
			if err := s.stop(); err != nil {
				return err
			}
			break
		}
		logf(o, "killed the server (%d of %d)", round+1, o.kills)
		start := time.Now()
		if s, err = h.start(ctx, dir, "FULL"); err != nil {
			return err
		}
		res.Restarts = append(res.Restarts, time.Since(start))
	}
	return a.check(filepath.Join(dir, "chat.db"), res)
}

// round opens everyone's conversation, resends what was never
// acknowledged, then sends new messages for runFor and kills the server
// while they are in flight. A last round instead waits until every
// message is acknowledged.
func (a *crashAudit) round(ctx context.Context, s *server, people []*person, runFor time.Duration, last bool) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	conns := make([]*websocket.Conn, len(people))
	var wg sync.WaitGroup
	defer func() {
		for _, c := range conns {
			if c != nil {
				c.Close()
			}
		}
		wg.Wait()
	}()
	for i, p := range people {
		peer := people[i^1]
		c, err := dial(ctx, s, p.cookie, "page=chat&peer="+peer.name+"&after=0", i)
		if err != nil {
			return err
		}
		conns[i] = c
		wg.Go(func() { a.read(c) })
	}
	send := func(i int, clientID, body string) error {
		return conns[i].WriteMessage(websocket.TextMessage, sendJSON(people[i^1].name, body, clientID))
	}
	// What the page still shows as sending goes again, with its client id.
	for _, m := range a.unacknowledged() {
		if err := send(m.from.index, m.id, m.body); err != nil {
			return err
		}
	}
	if last {
		deadline := time.Now().Add(30 * time.Second)
		for len(a.unacknowledged()) > 0 {
			if time.Now().After(deadline) {
				return fmt.Errorf("%d messages still unacknowledged after 30 s", len(a.unacknowledged()))
			}
			time.Sleep(50 * time.Millisecond)
		}
		return nil
	}
	stop := time.After(runFor)
	tick := time.NewTicker(crashSendEvery)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			s.kill() // with the sockets open and messages on their way
			return nil
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
		for i, p := range people {
			id, body := a.newMessage(p)
			if err := send(i, id, body); err != nil {
				return nil // the server is going away; the page keeps the message
			}
		}
	}
}

// newMessage records a message about to be sent.
func (a *crashAudit) newMessage(from *person) (clientID, body string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.seq++
	clientID = fmt.Sprintf("crash%08d", a.seq)
	body = fmt.Sprintf("crash audit %d from %s", a.seq, from.name)
	a.sent[clientID] = &sentMessage{from: from, body: body}
	return clientID, body
}

type pendingMessage struct {
	id   string
	from *person
	body string
}

func (a *crashAudit) unacknowledged() []pendingMessage {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []pendingMessage
	for id, m := range a.sent {
		if !m.acked {
			out = append(out, pendingMessage{id, m.from, m.body})
		}
	}
	slices.SortFunc(out, func(x, y pendingMessage) int { return cmpString(x.id, y.id) })
	return out
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// read marks acknowledged every message of one's own a frame shows.
func (a *crashAudit) read(c *websocket.Conn) {
	for {
		_, frame, err := c.ReadMessage()
		if err != nil {
			return
		}
		ids := ownMessage.FindAllSubmatch(frame, -1)
		a.mu.Lock()
		for _, m := range ids {
			if sm := a.sent[string(m[1])]; sm != nil {
				sm.acked = true
			}
		}
		a.mu.Unlock()
	}
}

// check reads the database file the server left and compares it with
// what was acknowledged.
func (a *crashAudit) check(path string, res *crashResult) error {
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&res.Integrity); err != nil {
		return err
	}
	rows, err := db.Query(`SELECT client_id, body FROM messages WHERE client_id LIKE 'crash%'`)
	if err != nil {
		return err
	}
	defer rows.Close()
	stored := map[string][]string{}
	bodies := map[string]int{}
	for rows.Next() {
		var id, body string
		if err := rows.Scan(&id, &body); err != nil {
			return err
		}
		stored[id] = append(stored[id], body)
		bodies[body]++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	res.Sent = len(a.sent)
	for id, m := range a.sent {
		if !m.acked {
			continue
		}
		res.Acknowledged++
		switch got := stored[id]; {
		case len(got) == 0:
			res.Lost++
		case len(got) > 1 || bodies[m.body] > 1:
			res.Duplicated++
		case got[0] != m.body:
			res.Changed++
		}
	}
	return nil
}

// kill ends the process at once, as a power cut or the OOM killer would.
func (s *server) kill() {
	if s.cmd == nil {
		return
	}
	s.stopOnce.Do(func() {
		s.cmd.Process.Kill()
		<-s.done
	})
}

func (c *crashResult) print(out io.Writer) {
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "crash audit\t%d kills (-seed %d)\n", c.Kills, c.Seed)
	fmt.Fprintf(w, "messages sent / acknowledged\t%d / %d\n", c.Sent, c.Acknowledged)
	fmt.Fprintf(w, "acknowledged and lost / duplicated / changed\t%d / %d / %d\n", c.Lost, c.Duplicated, c.Changed)
	fmt.Fprintf(w, "integrity check\t%s\n", c.Integrity)
	if len(c.Restarts) > 0 {
		d := slices.Clone(c.Restarts)
		slices.Sort(d)
		fmt.Fprintf(w, "restart to ready, median / slowest\t%s / %s ms\n", ms(d[len(d)/2]), ms(d[len(d)-1]))
	}
	w.Flush()
}

// failed reports whether the audit found any harm.
func (c *crashResult) failed() error {
	if c.Lost+c.Duplicated+c.Changed > 0 || c.Integrity != "ok" || c.Acknowledged == 0 {
		return fmt.Errorf("crash audit: %d acknowledged, %d lost, %d duplicated, %d changed, integrity %q",
			c.Acknowledged, c.Lost, c.Duplicated, c.Changed, c.Integrity)
	}
	return nil
}
