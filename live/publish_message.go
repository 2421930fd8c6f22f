package live

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"time"

	"github.com/a-h/templ"

	"chat/db"
	"chat/hub"
	"chat/lang"
	"chat/transport"
	"chat/viewmodel"
	"chat/views"
)

// publishMessage shows a new message in the conversation on every tab of
// both people that has it open, and moves its chat box to the top of
// their chat lists with the new counts. A tab with the conversation open
// gets one frame: the list update, then the message (and, for the
// sender, the recipient's receipts); the others get the list update alone
// (the friends page: only the unread badge). Each person's frames are
// rendered once per time zone among their tabs, by the socket writer that
// first needs them: this loop is the one path every message takes, and
// stays quick. Once the message is on its way to one of the recipient's
// tabs, it is delivered.
func (s *Service) publishMessage(e db.MessageSent) {
	m := e.Message
	pair := hub.PairOf(m.SenderID, m.RecipientID)
	prev := s.previous(m)
	for _, side := range []db.ChatState{e.Sender, e.Recipient} {
		sender := side.Owner.ID == m.SenderID
		// The ticks of the side's own messages: how far the other side
		// has got with them.
		other := e.Recipient
		if !sender {
			other = e.Sender
		}
		receipts := shownReceipts(other.DeliveredThrough, other.ReadThrough, s.receiptsOn(side.Owner.ID) && s.receiptsOn(other.Owner.ID))
		var prevAt int64 // the message above this one on the owner's page
		if prev.id > side.ClearedThrough {
			prevAt = prev.at
		}
		// The unread total moved: the message counts unread for this side,
		// who is not seeing the chat. Their tabs update the badge, and
		// alert if the browser does not show them.
		badge := func(l lang.Lang) templ.Component {
			if side.UnreadTotal < 0 {
				return templ.NopComponent
			}
			return templ.Join(views.UnreadTotal(side.UnreadTotal, true), views.NewMessageAlert(views.Alert{
				ID: m.ID, From: l.Name(side.Peer.DisplayName), Preview: viewmodel.Preview(l, m),
				Href: "/chats/" + side.Peer.Username, Muted: side.Muted,
			}))
		}
		type rendered struct{ withMessage, listOnly *transport.Frame }
		zones := map[views.Locale]rendered{}
		render := func(lc views.Locale) rendered {
			if r, ok := zones[lc]; ok {
				return r
			}
			// The list update is a prefix of the whole frame: both come
			// from one rendering.
			var once sync.Once
			var data []byte
			var listLen int
			produce := func() ([]byte, int) {
				once.Do(func() { data, listLen = s.renderMessage(m, side, receipts, sender, prevAt, badge(lc.Lang), lc) })
				return data, listLen
			}
			r := rendered{
				withMessage: transport.LazyFrame(func() []byte { d, _ := produce(); return d }),
				listOnly:    transport.LazyFrame(func() []byte { d, n := produce(); return d[:n:n] }),
			}
			zones[lc] = r
			return r
		}
		var badgeOnly *localized // made when a friends page needs it: rarely
		reached := false
		s.tabs.Each(side.Owner.ID, func(t *Tab) {
			var on bool
			switch {
			case t.pair == pair:
				on = t.deliver(m.ID, render(t.locale).withMessage)
			case t.page == PageFriends:
				if side.UnreadTotal < 0 {
					return
				}
				if badgeOnly == nil {
					badgeOnly = localize(func(lc views.Locale) *transport.Frame { return s.frame(lc.Lang, badge(lc.Lang)) })
				}
				on = badgeOnly.deliver(t, m.ID)
			default:
				on = t.deliver(m.ID, render(t.locale).listOnly)
			}
			reached = reached || on
		})
		if !sender && reached && side.DeliveredThrough < m.ID {
			s.deliveries.add(side.Owner.ID, side.Peer.ID, m.ID)
		}
	}
	s.markReadIfViewing(e)
	if s.observer != nil {
		// CreatedAt is stamped in the transaction that stored it.
		s.observer.Published(time.Since(time.UnixMilli(m.CreatedAt)))
	}
}

// renderMessage renders a message's live update for one side in one
// zone: the chat list row and counts, then the message (and, for the
// sender, the receipts its ticks follow); it returns the bytes and the
// length of the list part.
func (s *Service) renderMessage(m db.Message, side db.ChatState, receipts views.Receipts, sender bool, prevAt int64, badge templ.Component, lc views.Locale) ([]byte, int) {
	buf := buffers.Get().(*bytes.Buffer)
	defer buffers.Put(buf)
	buf.Reset()
	ctx := lang.With(context.Background(), lc.Lang)
	row := viewmodel.ChatRow(side.Peer, m, side.Unread, side.Owner.ID, lc)
	err := renderInto(ctx, buf, views.ChatRowOnTop(row, time.Now().In(lc.Zone)), badge)
	listLen := buf.Len()
	var d db.Details
	if err == nil && m.ReplyTo != 0 {
		// A reply shows what it quotes, as this side's copy holds it.
		d, err = s.store.Details(ctx, side.Owner.ID, side.Peer.ID, []db.Message{m})
	}
	if err == nil {
		v := viewmodel.Viewpoint{Me: side.Owner.ID, Peer: side.Peer, Receipts: receipts, Locale: lc}
		err = renderInto(ctx, buf, views.NewMessages(viewmodel.MessageRows([]db.Message{m}, d, v, prevAt), lc.Lang.Name(side.Peer.DisplayName)))
	}
	if err == nil && sender {
		err = renderInto(ctx, buf, views.ReceiptsMarker(receipts, true))
	}
	if err != nil {
		s.log.Error("render live message", "err", err)
		return nil, 0
	}
	return bytes.Clone(buf.Bytes()), listLen
}

// markReadIfViewing marks the message read when it was counted unread but
// the recipient sees the conversation by now: they opened it, or showed
// its tab, between the message being queued (when the count was decided)
// and its commit.
func (s *Service) markReadIfViewing(e db.MessageSent) {
	r := e.Recipient
	if r.UnreadTotal < 0 || !s.viewing(r.Owner.ID, r.Peer.ID) {
		return
	}
	// Not waited for here: the writer may be waiting for this loop.
	go func() {
		if err := s.store.MarkRead(context.Background(), r.Owner.ID, r.Peer.ID); err != nil && !errors.Is(err, db.ErrClosed) {
			s.log.Error("live message: mark read", "err", err)
		}
	}()
}

// lastMessage is the newest message of a conversation the loop has
// published: its id and time.
type lastMessage struct{ id, at int64 }

// recentLimit bounds the memory of conversations' newest messages; past
// it the memory starts afresh.
const recentLimit = 100_000

// previous returns the message before m in its conversation (for the day
// separator above m), remembered from the previous publish or else read
// from the database, and remembers m. Only run calls it, in commit order.
func (s *Service) previous(m db.Message) lastMessage {
	p := hub.PairOf(m.SenderID, m.RecipientID)
	prev, ok := s.recent[p]
	if !ok || prev.id >= m.ID {
		id, at, err := s.store.MessageBefore(context.Background(), m.SenderID, m.RecipientID, m.ID)
		if err != nil {
			s.log.Error("live message: previous message", "err", err)
		}
		prev = lastMessage{id, at}
	}
	if len(s.recent) >= recentLimit {
		clear(s.recent)
	}
	s.recent[p] = lastMessage{m.ID, m.CreatedAt}
	return prev
}

// answerDuplicate answers a resend of a stored message as the first send
// was answered: the tab that sent it gets the message (app.js puts it in
// its place, or drops it if the page has it already). A page that missed
// the first answer and more than a catch-up's worth after it would
// otherwise show it as unsent forever, and resend it on every reconnect.
func (s *Service) answerDuplicate(e db.MessageDuplicate) {
	m := e.Message
	var tab *Tab
	s.tabs.Each(m.SenderID, func(t *Tab) {
		if t.id == e.Origin && t.pair == hub.PairOf(m.SenderID, m.RecipientID) {
			tab = t
		}
	})
	if tab == nil {
		return // closed since, or not the conversation's page
	}
	info, err := s.store.Chat(context.Background(), m.SenderID, m.RecipientID)
	if err != nil {
		s.log.Error("live duplicate: chat", "err", err)
		return
	}
	var f *transport.Frame
	if m.ID <= info.ClearedThrough {
		// The sender deleted the chat since: the message stays out of
		// sight, and the page stops waiting for it.
		f = s.frame(tab.locale.Lang, views.SendNotice(tab.locale.Lang.T("send.sent_before_deleted"), m.ClientID, true))
	} else {
		// prevAt is the message's own time: no day separator comes with
		// it, the page has the one of its day.
		rows, err := viewmodel.Messages(context.Background(), s.store.Reader, m.SenderID, tab.peer, []db.Message{m}, m.CreatedAt, tab.locale)
		if err != nil {
			s.log.Error("live duplicate: render", "err", err)
			return
		}
		f = s.frame(tab.locale.Lang, views.NewMessages(rows, tab.locale.Lang.Name(tab.peer.DisplayName)))
	}
	if f != nil {
		tab.deliver(0, f)
	}
}

// answerRefused tells the tab that sent a message why it was not stored.
func (s *Service) answerRefused(e db.MessageRefused) {
	say, known := RefusalText(e.Err, e.To.DisplayName)
	if !known && !errors.Is(e.Err, db.ErrClosed) {
		s.log.Error("send: store failed", "err", e.Err, "user_id", e.From)
	}
	s.tabs.Each(e.From, func(t *Tab) {
		if t.id == e.Origin {
			s.refuseTo(t, say, e.ClientID)
		}
	})
}
