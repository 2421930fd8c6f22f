package live

import (
	"sync"
	"sync/atomic"

	"chat/db"
	"chat/hub"
	"chat/transport"
	"chat/views"
)

// Page says which page a tab shows, and so which live fragments it takes.
type Page int

const (
	PageChats   Page = iota // "/": the chat list
	PageFriends             // "/friends"
	PageChat                // "/chats/{peer}": chat list and conversation
)

// Tab is one browser tab's live connection: who it is, what it shows, and
// the socket it is written to.
type Tab struct {
	id      int64
	user    db.User
	session int64
	page    Page
	peer    db.User      // on PageChat
	pair    hub.Pair     // on PageChat
	locale  views.Locale // how the browser shows times
	sock    *transport.Socket

	// lastPeer caches the recipient of the tab's previous message; only
	// the tab's reader touches it.
	lastPeer db.User
	// evicted is set when the tab was closed to keep its person under
	// the caps (limitTabs).
	evicted atomic.Bool
	// friend is whether the tab's person and peer are friends, neither
	// blocking the other (PageChat): only then does their typing show on
	// the other side.
	friend atomic.Bool

	mu sync.Mutex
	// held keeps what is published to the tab while its catch-up is
	// rendered; live is set once the catch-up is sent.
	held []heldFrame
	live bool
	// floor is the change number the catch-up brought the tab up to: the
	// frames of changes up to it are dropped, the page has them.
	floor int64
}

type heldFrame struct {
	seq   int64
	frame *transport.Frame
}

// maxHeld bounds what waits for a slow catch-up; past it the tab is
// closed and the page reconnects.
const maxHeld = 1024

// deliver sends the frame of change seq (0: a frame that is not a
// numbered change, always sent) to the tab, unless its catch-up covered
// the change. It reports whether the frame is on its way to the page.
func (t *Tab) deliver(seq int64, f *transport.Frame) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case !t.live:
		if len(t.held) >= maxHeld {
			t.sock.Close(transport.CloseTryAgain, "too slow")
			return false
		}
		t.held = append(t.held, heldFrame{seq, f})
		return true
	case seq != 0 && seq <= t.floor:
		return false
	default:
		return t.sock.Send(f)
	}
}

// goLive sends the catch-up, current to change floor, then what was
// published meanwhile and is newer; from then on frames go straight out.
func (t *Tab) goLive(catchUp []byte, floor int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.floor = floor
	t.sock.Send(transport.NewFrame(catchUp))
	for _, h := range t.held {
		if h.seq == 0 || h.seq > floor {
			t.sock.Send(h.frame)
		}
	}
	t.held, t.live = nil, true
}
