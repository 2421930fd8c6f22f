package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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
	Body        string
	CreatedAt   int64 // Unix ms
}

// clearedFor is the id up to which my history with peer is deleted for me
// (?1 is me, ?2 the peer).
const clearedFor = `COALESCE((SELECT cleared_through FROM chat_boxes WHERE owner_id = ?1 AND peer_id = ?2), 0)`

// MessagesBefore returns up to limit of the messages between me and peer
// that I can see, older than message before (0: the newest), oldest first.
// more reports whether older ones remain.
func (r Reader) MessagesBefore(ctx context.Context, me, peer, before int64, limit int) (msgs []Message, more bool, err error) {
	low, high := sorted(me, peer)
	if before <= 0 {
		before = 1<<63 - 1
	}
	rows, err := r.q.QueryContext(ctx, `
		SELECT id, sender_id, client_id, body, created_at FROM messages
		WHERE user_low = ?3 AND user_high = ?4 AND id < ?5 AND id > `+clearedFor+`
		ORDER BY id DESC LIMIT ?6`, me, peer, low, high, before, limit+1)
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

// MessagesAfter returns up to limit of the messages between me and peer
// that I can see, newer than message after, oldest first. more reports
// whether newer ones remain beyond them.
func (r Reader) MessagesAfter(ctx context.Context, me, peer, after int64, limit int) (msgs []Message, more bool, err error) {
	low, high := sorted(me, peer)
	rows, err := r.q.QueryContext(ctx, `
		SELECT id, sender_id, client_id, body, created_at FROM messages
		WHERE user_low = ?3 AND user_high = ?4 AND id > ?5 AND id > `+clearedFor+`
		ORDER BY id LIMIT ?6`, me, peer, low, high, after, limit+1)
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
	msgs, err := collect(rows, func(m *Message) []any {
		return []any{&m.ID, &m.SenderID, &m.ClientID, &m.Body, &m.CreatedAt}
	})
	if err != nil {
		return nil, fmt.Errorf("db: messages: %w", err)
	}
	for i := range msgs {
		if msgs[i].SenderID == me {
			msgs[i].RecipientID = peer
		} else {
			msgs[i].RecipientID = me
		}
	}
	return msgs, nil
}
