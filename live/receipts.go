package live

import (
	"context"
	"errors"
	"sync"

	"chat/db"
	"chat/hub"
	"chat/viewmodel"
	"chat/views"
)

// Receipts: the sender's ticks. A message is delivered once its frame is
// on its way to one of the recipient's tabs, or the recipient opens a page
// (which shows everything); read once they see it (seen.go). The store
// keeps two marks per chat box (db/receipts.go); this file records
// deliveries and shows every receipt to the sender's tabs.

// deliveries gathers the deliveries to record and records them in the
// background, many in one write: publishing never waits for the writer
// (which may be waiting for publishing), and a busy conversation's
// deliveries collapse into its newest.
type deliveries struct {
	store *db.Store
	log   func(error)

	mu         sync.Mutex
	pending    map[[2]int64]int64 // (owner, peer) -> through
	everything map[int64]bool     // people who received all of every chat
	wake       chan struct{}
	stop       chan struct{}
	done       chan struct{}
}

func startDeliveries(store *db.Store, log func(error)) *deliveries {
	d := &deliveries{store: store, log: log, pending: map[[2]int64]int64{}, everything: map[int64]bool{},
		wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go d.run()
	return d
}

// add records, soon, that owner received peer's messages up to through.
func (d *deliveries) add(owner, peer, through int64) {
	d.mu.Lock()
	k := [2]int64{owner, peer}
	if through > d.pending[k] {
		d.pending[k] = through
	}
	d.mu.Unlock()
	d.poke()
}

// addAll records, soon, that owner received all of every chat.
func (d *deliveries) addAll(owner int64) {
	d.mu.Lock()
	d.everything[owner] = true
	d.mu.Unlock()
	d.poke()
}

func (d *deliveries) poke() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

func (d *deliveries) run() {
	defer close(d.done)
	for {
		select {
		case <-d.stop:
			return
		case <-d.wake:
		}
		d.mu.Lock()
		batch := make([]db.Delivery, 0, len(d.pending))
		for k, through := range d.pending {
			batch = append(batch, db.Delivery{Owner: k[0], Peer: k[1], Through: through})
		}
		clear(d.pending)
		everything := make([]int64, 0, len(d.everything))
		for owner := range d.everything {
			everything = append(everything, owner)
		}
		clear(d.everything)
		d.mu.Unlock()
		if err := d.store.MarkDelivered(context.Background(), batch, everything); err != nil && !errors.Is(err, db.ErrClosed) {
			d.log(err)
		}
	}
}

// close stops recording; what is pending is left: pages deliver it again
// when they next connect.
func (d *deliveries) close() {
	close(d.stop)
	<-d.done
}

// shownReceipts are a recipient's marks as the sender's ticks show them:
// Read only when both have read receipts on.
func shownReceipts(delivered, read int64, bothOn bool) views.Receipts {
	if !bothOn {
		read = 0
	}
	return views.Receipts{DeliveredThrough: delivered, ReadThrough: read}
}

// receiptsOn reports user's read receipts setting, for the ticks of new
// messages. Only the publishing loop (run) calls it: the ReceiptsSetting
// events, which come in commit order with the messages, keep its memory
// in step with the store, which it reads only for someone new.
func (s *Service) receiptsOn(user int64) bool {
	if on, ok := s.settings[user]; ok {
		return on
	}
	on, err := s.store.ReadReceipts(context.Background(), user)
	if err != nil {
		s.log.Error("live receipts: setting", "err", err)
		return false // Read stays hidden until it can be known
	}
	if len(s.settings) >= recentLimit {
		clear(s.settings)
	}
	s.settings[user] = on
	return on
}

// publishReceipt moves the ticks on in the sender's tabs that show the
// conversation.
func (s *Service) publishReceipt(e db.Receipt) {
	pair := hub.PairOf(e.Reader, e.Sender)
	var tabs []*Tab
	s.tabs.Each(e.Sender, func(t *Tab) {
		if t.pair == pair {
			tabs = append(tabs, t)
		}
	})
	if len(tabs) == 0 {
		return
	}
	// The event has the marks; whether Read shows depends on both
	// settings, which this loop keeps in commit order with the events.
	rc := shownReceipts(e.DeliveredThrough, e.ReadThrough, s.receiptsOn(e.Reader) && s.receiptsOn(e.Sender))
	f := s.frame(tabs[0].locale.Lang, views.ReceiptsMarker(rc, true)) // marks, no words
	if f == nil {
		return
	}
	for _, t := range tabs {
		t.deliver(e.Seq, f)
	}
}

// publishReceiptsSetting shows the ticks anew wherever Read appears or
// disappears with user's setting: user's own conversations, and their
// friends' conversations with them.
func (s *Service) publishReceiptsSetting(e db.ReceiptsSetting) {
	s.settings[e.User] = e.On
	ctx := context.Background()
	mark := func(t *Tab, reader, sender int64) {
		rc, err := s.store.ReceiptsOf(ctx, reader, sender)
		if err != nil {
			s.log.Error("live receipts setting", "err", err)
			return
		}
		if f := s.frame(t.locale.Lang, views.ReceiptsMarker(viewmodel.Receipts(rc), true)); f != nil {
			t.deliver(e.Seq, f)
		}
	}
	for _, t := range s.tabsOf(e.User) {
		if t.page == PageChat {
			mark(t, t.peer.ID, e.User)
		}
	}
	friends, err := s.store.Friends(ctx, e.User)
	if err != nil {
		s.log.Error("live receipts setting: friends", "err", err)
		return
	}
	for _, f := range friends {
		for _, t := range s.tabsOf(f.ID) {
			if t.page == PageChat && t.peer.ID == e.User {
				mark(t, e.User, f.ID)
			}
		}
	}
}
