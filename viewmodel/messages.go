package viewmodel

import (
	"context"
	"time"

	"chat/db"
	"chat/views"
)

// Viewpoint is whose copy of a conversation message rows are made for:
// the reader, the peer, how far the peer has got with the reader's
// messages, and how the reader shows times.
type Viewpoint struct {
	Me       int64
	Peer     db.User
	Receipts views.Receipts
	Locale   views.Locale
}

// Receipts are rc as the sender's ticks show them.
func Receipts(rc db.Receipts) views.Receipts {
	return views.Receipts{DeliveredThrough: rc.DeliveredThrough, ReadThrough: rc.ReadThrough}
}

// MessageRows maps stored messages, with their quotes and reactions, to
// rows as v sees them, with day separators; prevAt is the time of the
// message shown above them (0: none).
func MessageRows(msgs []db.Message, d db.Details, v Viewpoint, prevAt int64) []views.MessageRow {
	rows := make([]views.MessageRow, len(msgs))
	for i, m := range msgs {
		rows[i] = MessageRow(m, d, v)
	}
	views.MarkDays(v.Locale.Lang, rows, msTime(prevAt, v.Locale.Zone), time.Now().In(v.Locale.Zone))
	return rows
}

// MessageRow is one message as v sees it, without a day separator.
func MessageRow(m db.Message, d db.Details, v Viewpoint) views.MessageRow {
	row := views.MessageRow{
		ID: m.ID, Mine: m.SenderID == v.Me, Body: m.Body,
		At: time.UnixMilli(m.CreatedAt).In(v.Locale.Zone), Hour12: v.Locale.Hour12,
		Edited: m.EditedAt != 0, Deleted: m.Deleted,
	}
	if row.Mine {
		row.ClientID = m.ClientID
		row.Status = status(m.ID, v.Receipts)
	}
	if m.ReplyTo != 0 {
		q, ok := d.Quotes[m.ReplyTo]
		if !ok {
			q = db.Quote{ID: m.ReplyTo, Gone: true}
		}
		body := q.Body
		if q.FileName != "" {
			body = filePreview(v.Locale.Lang, q.Body, q.FileName, q.Image)
		}
		row.Quote = &views.Quote{ID: q.ID, Mine: q.SenderID == v.Me, Body: body, Gone: q.Gone}
	}
	row.File = Attachment(v.Locale.Lang, m.File, v.Peer, m.ID)
	row.Reactions = reactionCounts(d.Reactions[m.ID], v)
	return row
}

// status is how far message id, the reader's own, has got.
func status(id int64, rc views.Receipts) views.Status {
	switch {
	case id <= rc.ReadThrough:
		return views.StatusRead
	case id <= rc.DeliveredThrough:
		return views.StatusDelivered
	}
	return views.StatusSent
}

// reactionCounts groups a message's reactions by emoji, in the order
// they were first chosen among the six, saying who chose each.
func reactionCounts(rs []db.Reaction, v Viewpoint) []views.ReactionCount {
	if len(rs) == 0 {
		return nil
	}
	var out []views.ReactionCount
	for _, e := range db.Reactions {
		var c views.ReactionCount
		var them bool
		for _, r := range rs {
			if r.Emoji != e {
				continue
			}
			c.Count++
			if r.UserID == v.Me {
				c.Mine = true
			} else {
				them = true
			}
		}
		if c.Count == 0 {
			continue
		}
		c.Emoji = e
		switch {
		case c.Mine && them:
			c.Who = v.Locale.Lang.T("reaction.you_and", "Name", v.Locale.Lang.Name(v.Peer.DisplayName))
		case c.Mine:
			c.Who = v.Locale.Lang.T("reaction.you")
		default:
			c.Who = v.Locale.Lang.Name(v.Peer.DisplayName)
		}
		out = append(out, c)
	}
	return out
}

// maxOpeningPage is the most messages a conversation opens with, to reach
// its first unread one.
const maxOpeningPage = 300

// Conversation is the newest page of my history with person, current to
// change seq, reaching back to the first of the unread messages from them
// (as many as the page may hold), which gets a divider above it.
func Conversation(ctx context.Context, r db.Reader, me db.User, person db.Person, info db.ChatInfo, seq int64, lc views.Locale, online Online) (views.Conversation, error) {
	return conversation(ctx, r, me, person, info, seq, lc, online, openingLimit(info))
}

// openingLimit is how many messages a conversation opens with: a page, or
// enough to reach the first unread one.
func openingLimit(info db.ChatInfo) int {
	return min(max(HistoryPage, info.Unread+HistoryPage/5), maxOpeningPage)
}

// maxReachBack is the most messages a conversation opens with to reach a
// message asked for (a search result); one further back opens in a page
// around it (conversationAround).
const maxReachBack = 1000

// ConversationAt is Conversation reaching back, in the same page, to
// message at and a few before it, when at is at most maxReachBack
// messages from the newest; otherwise the page around it.
func ConversationAt(ctx context.Context, r db.Reader, me db.User, person db.Person, info db.ChatInfo, seq int64, lc views.Locale, online Online, at int64) (views.Conversation, error) {
	limit := openingLimit(info)
	n, err := r.CountFrom(ctx, me.ID, person.ID, at)
	if err != nil {
		return views.Conversation{}, err
	}
	reach := n + HistoryPage/2
	switch {
	case n == 0: // not a message of this chat I can see
	case reach <= maxReachBack:
		limit = max(limit, reach)
	default:
		return conversationAround(ctx, r, me, person, info, seq, lc, online, at)
	}
	return conversation(ctx, r, me, person, info, seq, lc, online, limit)
}

// conversationAround is a page of my history with person around message
// at: half a page before it, it, half a page after, and loaders for older
// and newer pages.
func conversationAround(ctx context.Context, r db.Reader, me db.User, person db.Person, info db.ChatInfo, seq int64, lc views.Locale, online Online, at int64) (views.Conversation, error) {
	msgs, more, err := r.MessagesBefore(ctx, me.ID, person.ID, at+1, HistoryPage/2+1)
	if err != nil {
		return views.Conversation{}, err
	}
	after, newer, err := r.MessagesAfter(ctx, me.ID, person.ID, at, HistoryPage/2)
	if err != nil {
		return views.Conversation{}, err
	}
	return conversationOf(ctx, r, me, person, info, seq, lc, online, append(msgs, after...), more, newer)
}

// NewerMessages is the page of my history with peer after message after,
// for the loader below a page opened around an earlier message.
func NewerMessages(ctx context.Context, r db.Reader, me int64, peer db.User, after int64, lc views.Locale) (rows []views.MessageRow, more bool, err error) {
	msgs, more, err := r.MessagesAfter(ctx, me, peer.ID, after, HistoryPage)
	if err != nil {
		return nil, false, err
	}
	afterAt, err := r.MessageSentAt(ctx, me, peer.ID, after)
	if err != nil {
		return nil, false, err
	}
	rows, err = Messages(ctx, r, me, peer, msgs, afterAt, lc)
	return rows, more, err
}

// conversation is the newest limit messages of my history with person.
func conversation(ctx context.Context, r db.Reader, me db.User, person db.Person, info db.ChatInfo, seq int64, lc views.Locale, online Online, limit int) (views.Conversation, error) {
	msgs, more, err := r.MessagesBefore(ctx, me.ID, person.ID, 0, limit)
	if err != nil {
		return views.Conversation{}, err
	}
	return conversationOf(ctx, r, me, person, info, seq, lc, online, msgs, more, false)
}

// conversationOf is the conversation page showing msgs, with older ones
// above (more) and, when it was opened around an earlier message, newer
// ones below (newer); a page that ends at the newest has the unread
// divider.
func conversationOf(ctx context.Context, r db.Reader, me db.User, person db.Person, info db.ChatInfo, seq int64, lc views.Locale, online Online, msgs []db.Message, more, newer bool) (views.Conversation, error) {
	v, d, err := viewpoint(ctx, r, me.ID, person.User, msgs, lc)
	if err != nil {
		return views.Conversation{}, err
	}
	rows := MessageRows(msgs, d, v, 0)
	if !newer {
		markFirstUnread(rows, msgs, person.ID, info.Unread)
	}
	return views.Conversation{
		Peer:            Peer(person, online, lc),
		Messages:        rows,
		More:            more,
		Newer:           newer,
		Seq:             seq,
		Muted:           info.Muted,
		Receipts:        v.Receipts,
		ReactionChoices: db.Reactions,
	}, nil
}

// viewpoint reads what rows of msgs, messages of my conversation with
// peer, need besides the messages: the peer's receipts, the quotes and
// the reactions.
func viewpoint(ctx context.Context, r db.Reader, me int64, peer db.User, msgs []db.Message, lc views.Locale) (Viewpoint, db.Details, error) {
	rc, err := r.ReceiptsOf(ctx, peer.ID, me)
	if err != nil {
		return Viewpoint{}, db.Details{}, err
	}
	d, err := r.Details(ctx, me, peer.ID, msgs)
	if err != nil {
		return Viewpoint{}, db.Details{}, err
	}
	return Viewpoint{Me: me, Peer: peer, Receipts: Receipts(rc), Locale: lc}, d, nil
}

// Messages are rows of msgs, messages of my conversation with peer, read
// with what they show besides (receipts, quotes, reactions); prevAt is
// the time of the message shown above them.
func Messages(ctx context.Context, r db.Reader, me int64, peer db.User, msgs []db.Message, prevAt int64, lc views.Locale) ([]views.MessageRow, error) {
	v, d, err := viewpoint(ctx, r, me, peer, msgs, lc)
	if err != nil {
		return nil, err
	}
	return MessageRows(msgs, d, v, prevAt), nil
}

// markFirstUnread puts the divider above the first of the last unread
// messages from peer, or above the earliest of theirs the page holds when
// it holds fewer.
func markFirstUnread(rows []views.MessageRow, msgs []db.Message, peer int64, unread int) {
	if unread <= 0 || len(rows) == 0 {
		return
	}
	first, left := 0, unread
	for i := len(msgs) - 1; i >= 0 && left > 0; i-- {
		if msgs[i].SenderID == peer {
			first, left = i, left-1
		}
	}
	rows[first].UnreadBelow = unread
}

// OlderMessages is the page of my history with peer before message
// before, and the day whose separator the page now shows above it rather
// than below (empty if none).
func OlderMessages(ctx context.Context, r db.Reader, me int64, peer db.User, before int64, lc views.Locale) (rows []views.MessageRow, more bool, dropDay string, err error) {
	msgs, more, err := r.MessagesBefore(ctx, me, peer.ID, before, HistoryPage)
	if err != nil {
		return nil, false, "", err
	}
	if rows, err = Messages(ctx, r, me, peer, msgs, 0, lc); err != nil {
		return nil, false, "", err
	}
	if len(rows) > 0 {
		beforeAt, err := r.MessageSentAt(ctx, me, peer.ID, before)
		if err != nil {
			return nil, false, "", err
		}
		if next := msTime(beforeAt, lc.Zone); !next.IsZero() && views.DayKey(next) == views.DayKey(rows[len(rows)-1].At) {
			dropDay = views.DayKey(next)
		}
	}
	return rows, more, dropDay, nil
}
