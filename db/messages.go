package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
)

// Messages.
//
// Each message is stored once, for the pair, in messages. Each person has
// their own chat box per conversation in chat_boxes (chat_boxes.go): the
// last message (for the preview and the list order), their unread count,
// whether they deleted it, and up to which message they deleted. The
// original design kept a full copy of the history per person; one copy
// halves the writes of the hot path (one message row instead of two) and
// the disk, while the per-person box keeps what really differs between the
// two sides. A message's id is its change number (changes.go), so ids grow
// in the order messages were stored.

// Message is one stored message.
type Message struct {
	ID          int64
	SenderID    int64
	RecipientID int64
	ClientID    string
	Body        string // empty once deleted for everyone
	CreatedAt   int64  // Unix ms
	ReplyTo     int64  // the message this one quotes, or 0
	EditedAt    int64  // Unix ms of the last edit, or 0
	Deleted     bool   // deleted for everyone
	File        *File  // the file it carries, or nil (attachments.go)
}

// Details are what a page shows of some messages besides their own
// rows: the quotes of the replies and the reactions, by message id.
type Details struct {
	Quotes    map[int64]Quote
	Reactions map[int64][]Reaction
}

// Quote is the quoted message of a reply, as the reader sees it. Gone:
// it was deleted (for everyone, or for the reader), so nothing of it
// shows.
type Quote struct {
	ID       int64
	SenderID int64
	Body     string
	Gone     bool
	// The name of the file it carries ("" for none), and whether that
	// is an image.
	FileName string
	Image    bool
}

// Reaction is one person's reaction to a message.
type Reaction struct {
	MessageID int64
	UserID    int64
	Emoji     string
}

// clearedFor is the id up to which my history with peer is deleted for me
// (?1 is me, ?2 the peer).
const clearedFor = `COALESCE((SELECT cleared_through FROM chat_boxes WHERE owner_id = ?1 AND peer_id = ?2), 0)`

// visibleTo is the condition for a message m of the pair being in my copy
// of the history (?1 is me, ?2 the peer): after where I deleted the chat,
// and not deleted for me.
const visibleTo = `m.id > ` + clearedFor + `
	AND NOT EXISTS (SELECT 1 FROM hidden_messages h WHERE h.owner_id = ?1 AND h.message_id = m.id)`

// messageColumns are the columns scanMessages reads, of messagesWithFiles.
const messageColumns = `m.id, m.sender_id, m.client_id, m.body, m.created_at, COALESCE(m.reply_to, 0), COALESCE(m.edited_at, 0), m.deleted, ` + fileColumns

// messagesWithFiles are messages m, each with its attachment a if any.
const messagesWithFiles = `messages m LEFT JOIN attachments a ON a.message_id = m.id`

// fileColumns are the columns of an attachment a that fileFields reads,
// empty when there is none.
const fileColumns = `COALESCE(a.sha256, ''), COALESCE(a.name, ''), COALESCE(a.type, ''), COALESCE(a.size, 0), COALESCE(a.width, 0), COALESCE(a.height, 0), COALESCE(a.thumb, '')`

// messageFields are where messageColumns are read into, for m.
func messageFields(m *Message) []any {
	return append([]any{&m.ID, &m.SenderID, &m.ClientID, &m.Body, &m.CreatedAt, &m.ReplyTo, &m.EditedAt, &m.Deleted}, fileFields(m)...)
}

// fileFields are where fileColumns are read into, for m: a File that
// keepFile drops again when the message has none.
func fileFields(m *Message) []any {
	m.File = &File{}
	f := m.File
	return []any{&f.SHA256, &f.Name, &f.Type, &f.Size, &f.Width, &f.Height, &f.Thumb}
}

// keepFile leaves m.File set only when the message carries a file.
func keepFile(m *Message) {
	if m.File != nil && m.File.SHA256 == "" {
		m.File = nil
	}
}

// MessagesBefore returns up to limit of the messages between me and peer
// that I can see, older than message before (0: the newest), oldest first.
// more reports whether older ones remain.
func (r Reader) MessagesBefore(ctx context.Context, me, peer, before int64, limit int) (msgs []Message, more bool, err error) {
	low, high := sorted(me, peer)
	if before <= 0 {
		before = 1<<63 - 1
	}
	rows, err := r.q.QueryContext(ctx, `
		SELECT `+messageColumns+` FROM `+messagesWithFiles+`
		WHERE m.user_low = ?3 AND m.user_high = ?4 AND m.id < ?5 AND `+visibleTo+`
		ORDER BY m.id DESC LIMIT ?6`, me, peer, low, high, before, limit+1)
	if err != nil {
		return nil, false, fmt.Errorf("db: messages before: %w", err)
	}
	msgs, err = scanMessages(rows, me, peer)
	if err != nil {
		return nil, false, err
	}
	if len(msgs) > limit {
		msgs, more = msgs[:limit], true
	}
	for i, j := 0, len(msgs)-1; i < j; i, j = i+1, j-1 {
		msgs[i], msgs[j] = msgs[j], msgs[i]
	}
	return msgs, more, nil
}

// CountFrom counts the messages between me and peer that I can see, from
// message id (included) to the newest.
func (r Reader) CountFrom(ctx context.Context, me, peer, id int64) (int, error) {
	low, high := sorted(me, peer)
	var n int
	err := r.q.QueryRowContext(ctx, `
		SELECT COUNT(*) FROM messages m
		WHERE m.user_low = ?3 AND m.user_high = ?4 AND m.id >= ?5 AND `+visibleTo, me, peer, low, high, id).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("db: count from: %w", err)
	}
	return n, nil
}

// MessagesAfter returns up to limit of the messages between me and peer
// that I can see, newer than message after, oldest first. more reports
// whether newer ones remain beyond them.
func (r Reader) MessagesAfter(ctx context.Context, me, peer, after int64, limit int) (msgs []Message, more bool, err error) {
	low, high := sorted(me, peer)
	rows, err := r.q.QueryContext(ctx, `
		SELECT `+messageColumns+` FROM `+messagesWithFiles+`
		WHERE m.user_low = ?3 AND m.user_high = ?4 AND m.id > ?5 AND `+visibleTo+`
		ORDER BY m.id LIMIT ?6`, me, peer, low, high, after, limit+1)
	if err != nil {
		return nil, false, fmt.Errorf("db: messages after: %w", err)
	}
	msgs, err = scanMessages(rows, me, peer)
	if err != nil {
		return nil, false, err
	}
	if len(msgs) > limit {
		msgs, more = msgs[:limit], true
	}
	return msgs, more, nil
}

// MessageByID returns message id of my conversation with peer as my copy
// of the history holds it; ErrNotFound if my copy does not hold it.
func (r Reader) MessageByID(ctx context.Context, me, peer, id int64) (Message, error) {
	low, high := sorted(me, peer)
	rows, err := r.q.QueryContext(ctx, `
		SELECT `+messageColumns+` FROM `+messagesWithFiles+`
		WHERE m.id = ?3 AND m.user_low = ?4 AND m.user_high = ?5 AND `+visibleTo, me, peer, id, low, high)
	if err != nil {
		return Message{}, fmt.Errorf("db: message: %w", err)
	}
	msgs, err := scanMessages(rows, me, peer)
	if err != nil {
		return Message{}, err
	}
	if len(msgs) == 0 {
		return Message{}, ErrNotFound
	}
	return msgs[0], nil
}

// RepliesTo returns the ids of the messages of my conversation with peer
// that quote message id and that my copy holds, oldest first.
func (r Reader) RepliesTo(ctx context.Context, me, peer, id int64) ([]int64, error) {
	low, high := sorted(me, peer)
	rows, err := r.q.QueryContext(ctx, `
		SELECT m.id FROM messages m
		WHERE m.reply_to = ?3 AND m.user_low = ?4 AND m.user_high = ?5 AND `+visibleTo+`
		ORDER BY m.id`, me, peer, id, low, high)
	if err != nil {
		return nil, fmt.Errorf("db: replies: %w", err)
	}
	ids, err := collect(rows, func(id *int64) []any { return []any{id} })
	if err != nil {
		return nil, fmt.Errorf("db: replies: %w", err)
	}
	return ids, nil
}

// Details reads the quotes and reactions of msgs, messages of my
// conversation with peer in id order, in two reads for all of them.
func (r Reader) Details(ctx context.Context, me, peer int64, msgs []Message) (Details, error) {
	d := Details{Quotes: map[int64]Quote{}, Reactions: map[int64][]Reaction{}}
	if len(msgs) == 0 {
		return d, nil
	}
	low, high := sorted(me, peer)
	// Quotes: each quoted message, if my copy still holds it.
	var quoted []int64
	for _, m := range msgs {
		if m.ReplyTo != 0 {
			quoted = append(quoted, m.ReplyTo)
		}
	}
	if len(quoted) > 0 {
		rows, err := r.q.QueryContext(ctx, `
			SELECT m.id, m.sender_id, m.body, m.deleted, COALESCE(a.name, ''), a.thumb IS NOT NULL
			FROM json_each(?3) q JOIN messages m ON m.id = q.value LEFT JOIN attachments a ON a.message_id = m.id
			WHERE m.user_low = ?4 AND m.user_high = ?5 AND `+visibleTo,
			me, peer, jsonList(quoted), low, high)
		if err != nil {
			return d, fmt.Errorf("db: quotes: %w", err)
		}
		found, err := collect(rows, func(q *Quote) []any { return []any{&q.ID, &q.SenderID, &q.Body, &q.Gone, &q.FileName, &q.Image} })
		if err != nil {
			return d, fmt.Errorf("db: quotes: %w", err)
		}
		for _, q := range found {
			d.Quotes[q.ID] = q
		}
		for _, id := range quoted {
			if q, ok := d.Quotes[id]; !ok || q.Gone {
				d.Quotes[id] = Quote{ID: id, Gone: true}
			}
		}
	}
	// Reactions, of the messages in the page's range of ids.
	rows, err := r.q.QueryContext(ctx, `
		SELECT x.message_id, x.user_id, x.emoji FROM reactions x JOIN messages m ON m.id = x.message_id
		WHERE x.message_id BETWEEN ? AND ? AND m.user_low = ? AND m.user_high = ?
		ORDER BY x.message_id, x.user_id`, msgs[0].ID, msgs[len(msgs)-1].ID, low, high)
	if err != nil {
		return d, fmt.Errorf("db: reactions: %w", err)
	}
	reactions, err := collect(rows, func(x *Reaction) []any { return []any{&x.MessageID, &x.UserID, &x.Emoji} })
	if err != nil {
		return d, fmt.Errorf("db: reactions: %w", err)
	}
	for _, x := range reactions {
		d.Reactions[x.MessageID] = append(d.Reactions[x.MessageID], x)
	}
	return d, nil
}

// jsonList is ids as a JSON array, for json_each: one parameter for a
// list of any length.
func jsonList(ids []int64) string {
	b := []byte{'['}
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}

// MessageBefore returns the id and time of the message between a and b
// just before message id, or zeros if there is none.
func (r Reader) MessageBefore(ctx context.Context, a, b, id int64) (prevID, prevAt int64, err error) {
	low, high := sorted(a, b)
	err = r.q.QueryRowContext(ctx, `SELECT id, created_at FROM messages WHERE user_low = ? AND user_high = ? AND id < ?
		ORDER BY id DESC LIMIT 1`, low, high, id).Scan(&prevID, &prevAt)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, nil
	}
	if err != nil {
		return 0, 0, fmt.Errorf("db: message before: %w", err)
	}
	return prevID, prevAt, nil
}

// MessageSentAt returns when message id between me and peer was sent, or 0
// if there is no such message I can see.
func (r Reader) MessageSentAt(ctx context.Context, me, peer, id int64) (int64, error) {
	low, high := sorted(me, peer)
	var at int64
	err := r.q.QueryRowContext(ctx, `SELECT created_at FROM messages
		WHERE id = ?3 AND user_low = ?4 AND user_high = ?5 AND id > `+clearedFor, me, peer, id, low, high).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("db: message time: %w", err)
	}
	return at, nil
}

func scanMessages(rows *sql.Rows, me, peer int64) ([]Message, error) {
	msgs, err := collect(rows, messageFields)
	if err != nil {
		return nil, fmt.Errorf("db: messages: %w", err)
	}
	for i := range msgs {
		keepFile(&msgs[i])
		if msgs[i].SenderID == me {
			msgs[i].RecipientID = peer
		} else {
			msgs[i].RecipientID = me
		}
	}
	return msgs, nil
}
