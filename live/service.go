// Package live keeps every open page current. It owns the tabs (one live
// connection per browser tab), brings each tab up to date when it
// (re)connects, takes the messages a tab sends, and after each commit
// pushes the rendered change to every tab that shows it: new messages,
// changes to messages, receipts, chat boxes read or deleted, friends,
// presence, typing.
//
// One goroutine (run) publishes, in commit order, what the store reports
// on its events channel, and the presence changes the hub reports on its
// own. The websocket transport writes the frames; the hub says which tabs
// exist; viewmodel and views render them.
package live

import (
	"cmp"
	"log/slog"
	"sync/atomic"
	"time"

	"chat/db"
	"chat/hub"
	"chat/transport"
	"chat/views"
)

// Config is what the live layer needs.
type Config struct {
	Store *db.Store
	// Events is the channel the store reports on (db.Options.Events); the
	// live layer reads it until the store closes it.
	Events <-chan []db.Event
	Log    *slog.Logger
	// SendRate and SendBurst limit how fast one person can send messages:
	// SendRate a second on average, SendBurst at once. Zero means 10 and 20.
	SendRate  float64
	SendBurst int
	// OfflineAfter is how long someone counts as online after their last
	// tab closed (zero: the hub's default).
	OfflineAfter time.Duration
	// Transport tunes the sockets (zero: the defaults).
	Transport transport.Options
	// MaxTabsPerLogin and MaxTabsPerPerson cap the tabs open at once
	// (zero: 20 and 50); past a cap the oldest is closed.
	MaxTabsPerLogin, MaxTabsPerPerson int
	// Observer, if set, is told how long each message took from being
	// stored to being published to the tabs.
	Observer Observer
}

// Observer is told of each message published, for the operator's
// metrics. It is called on the publishing goroutine: it must not block.
type Observer interface {
	Published(sinceStored time.Duration)
}

// Service is the live layer.
type Service struct {
	store    *db.Store
	log      *slog.Logger
	tabs     *hub.Hub[*Tab]
	sockets  *transport.Pool
	sends    *sendLimiter
	typings  *sendLimiter // typing frames shown
	presence chan int64
	// seen are the people gone offline whose last seen is stored: their
	// friends' pages show it (last_seen.go).
	seen chan int64
	// deliveries records what reached the recipients' tabs (receipts.go).
	deliveries *deliveries
	lastTab    atomic.Int64 // tab ids, in the order tabs open: the origin of the messages they send

	maxTabsPerLogin, maxTabsPerPerson int
	observer                          Observer

	// recent and settings belong to run (see previous and receiptsOn).
	recent   map[hub.Pair]lastMessage
	settings map[int64]bool
}

// Start starts the live layer: the hub, the socket writers, and the
// goroutine that publishes what the store commits. Stop ends it.
func Start(cfg Config) *Service {
	presence := make(chan int64, 1024)
	s := &Service{
		store:    cfg.Store,
		log:      cfg.Log,
		tabs:     hub.New[*Tab](hub.Options{OfflineAfter: cfg.OfflineAfter, Presence: presence}),
		sockets:  transport.NewPool(cfg.Transport),
		sends:    newSendLimiter(cfg.SendRate, cfg.SendBurst),
		typings:  newSendLimiter(typingRate, typingBurst),
		presence: presence,
		seen:     make(chan int64, 1024),
		recent:   map[hub.Pair]lastMessage{},
		settings: map[int64]bool{},

		maxTabsPerLogin:  cmp.Or(cfg.MaxTabsPerLogin, 20),
		maxTabsPerPerson: cmp.Or(cfg.MaxTabsPerPerson, 50),
		observer:         cfg.Observer,
	}
	s.deliveries = startDeliveries(cfg.Store, func(err error) { s.log.Error("live receipts: mark delivered", "err", err) })
	go s.run(cfg.Events)
	return s
}

// Stats are what the live layer counts, for the operator's metrics.
type Stats struct {
	Tabs, People int   // open tabs, and people with one
	Dropped      int64 // sockets closed because they read too slowly
}

// Stats counts the live layer's tabs now, and the sockets dropped so far.
func (s *Service) Stats() Stats {
	tabs, people := s.tabs.Counts()
	return Stats{Tabs: tabs, People: people, Dropped: s.sockets.Dropped()}
}

// Running reports whether the live layer takes pages: it has not been
// stopped.
func (s *Service) Running() bool { return s.tabs.Running() }

// Stop closes every tab with "service restart" (pages reconnect to the
// server that replaces this one), refuses new ones and returns once every
// socket is closed. Publishing goes on until the store closes its events
// channel, so the store's last writes never wait: close the store after
// Stop.
func (s *Service) Stop() {
	for _, t := range s.tabs.Stop() {
		t.sock.Close(transport.CloseRestart, "server restart")
	}
	s.sockets.Close()
	s.deliveries.close()
}

// tabsOf returns user's tabs at this moment, to publish to outside the
// hub's lock.
func (s *Service) tabsOf(user int64) []*Tab {
	var tabs []*Tab
	s.tabs.Each(user, func(t *Tab) { tabs = append(tabs, t) })
	return tabs
}

// Online reports whether a user counts as online.
func (s *Service) Online(user int64) bool { return s.tabs.Online(user) }

// Close codes of this site (RFC 6455 leaves 4000-4999 to applications).
// The page does not reconnect after either; app.js says why.
const (
	closeLoggedOut   = 4001 // the login ended: go to the login page
	closeTooManyTabs = 4002 // newer tabs of the same person took its place
)

// CloseSession closes the tabs of a login that ended.
func (s *Service) CloseSession(session int64) {
	for _, t := range s.tabs.Group(session) {
		t.sock.Close(closeLoggedOut, "logged out")
	}
}

// run publishes, one at a time and in order, each change the store
// committed and each presence change, until the store closes its events.
func (s *Service) run(events <-chan []db.Event) {
	for {
		select {
		case batch, ok := <-events:
			if !ok {
				return
			}
			for _, e := range batch {
				s.publish(e)
			}
		case user := <-s.presence:
			if s.Online(user) {
				s.publishPresence(user)
			} else {
				s.recordLastSeen(user)
			}
		case user := <-s.seen:
			s.publishPresence(user)
		}
	}
}

// publish shows one event on the tabs it concerns.
func (s *Service) publish(e db.Event) {
	switch e := e.(type) {
	case db.MessageSent:
		s.publishMessage(e)
	case db.MessageDuplicate:
		s.answerDuplicate(e)
	case db.MessageRefused:
		s.answerRefused(e)
	case db.ChatChanged:
		s.publishChatChanged(e)
	case db.ChatMuted:
		s.publishChatMuted(e)
	case db.MessageChanged:
		s.publishMessageChanged(e)
	case db.MessageHidden:
		s.publishMessageHidden(e)
	case db.Receipt:
		s.publishReceipt(e)
	case db.ReceiptsSetting:
		s.publishReceiptsSetting(e)
	case db.FriendsChanged:
		s.publishFriends(e.A, e.B, told{})
		s.publishFriends(e.B, e.A, s.toldOf(e))
	case db.ProfileChanged:
		s.publishProfile(e)
	case db.SoundsSetting:
		for _, t := range s.tabsOf(e.User) {
			if f := s.frame(t.locale.Lang, views.SoundButton(e.On, true)); f != nil {
				t.deliver(0, f)
			}
		}
	case db.LastSeenSetting:
		s.publishLastSeenSetting(e.User)
	case db.AccountDeleted:
		// Their pages show the account as deleted: no friend, no
		// composer, no presence.
		for _, peer := range e.Peers {
			s.publishFriends(peer, e.User, told{})
		}
	}
}
