package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Chat boxes: each person's own view of a conversation. Deleting a chat
// box only moves the deleter's cleared_through mark, so the other side
// keeps everything; once both marks have passed a message, nobody can see
// it and it is deleted for real (purgeCleared).

// ChatBox is one line of a person's chat list.
type ChatBox struct {
	Peer   User
	Unread int
	Last   Message
}

// ChatInfo is the state of my chat box with someone, for opening it.
type ChatInfo struct {
	Exists         bool // there is a box, deleted or not
	Hidden         bool // I deleted it and nothing came since
	Unread         int
	ClearedThrough int64 // messages up to this id are deleted for me
	Muted          bool  // it never alerts me
}

// MarkRead clears the unread count of my chat box with peer: I have
// received and read everything in it, as my receipts tell the peer. It
// writes (and announces) nothing when there was nothing unread.
func (s *Store) MarkRead(ctx context.Context, me, peer int64) error {
	err := s.w.do(ctx, func(tx *Tx) error {
		var unread int
		err := tx.QueryRow(`SELECT unread FROM chat_boxes WHERE owner_id = ? AND peer_id = ?`, me, peer).Scan(&unread)
		if errors.Is(err, sql.ErrNoRows) || unread == 0 {
			return nil
		}
		if err != nil {
			return err
		}
		var through int64
		if err := tx.QueryRow(`UPDATE chat_boxes SET unread = 0, read_through = last_message_id,
				delivered_through = MAX(delivered_through, last_message_id)
			WHERE owner_id = ? AND peer_id = ? RETURNING last_message_id`, me, peer).Scan(&through); err != nil {
			return err
		}
		total, err := addUnread(tx, me, -unread)
		if err != nil {
			return err
		}
		seq := tx.nextSeq()
		tx.emit(ChatChanged{Seq: seq, Owner: me, Peer: peer, UnreadTotal: total})
		tx.emit(Receipt{Seq: seq, Reader: me, Sender: peer, DeliveredThrough: through, ReadThrough: through})
		return nil
	})
	return wrapUnlessDomain("mark read", err)
}

// DeleteChat deletes my chat box with peer and my copy of its history; the
// peer's side is untouched. A later message brings the box back with only
// what came after. Messages neither side can see any more are removed from
// the database. ErrNotFound if there is no chat to delete.
func (s *Store) DeleteChat(ctx context.Context, me, peer int64) error {
	err := s.w.do(ctx, func(tx *Tx) error {
		var unread int
		var hidden bool
		err := tx.QueryRow(`SELECT unread, hidden FROM chat_boxes WHERE owner_id = ? AND peer_id = ?`, me, peer).Scan(&unread, &hidden)
		if errors.Is(err, sql.ErrNoRows) || hidden {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE chat_boxes SET hidden = 1, unread = 0, cleared_through = last_message_id
			WHERE owner_id = ? AND peer_id = ?`, me, peer); err != nil {
			return err
		}
		total, err := addUnread(tx, me, -unread)
		if err != nil {
			return err
		}
		if err := purgeCleared(tx, me, peer); err != nil {
			return err
		}
		seq := tx.nextSeq()
		if err := logChange(tx, seq, me, peer, me, ChangeChatDeleted); err != nil {
			return err
		}
		tx.emit(ChatChanged{Seq: seq, Owner: me, Peer: peer, Deleted: true, UnreadTotal: total})
		return nil
	})
	return wrapUnlessDomain("delete chat", err)
}

// SetMuted mutes or unmutes my chat with peer: muted, it still counts
// unread but never alerts me. ErrNotFound if there is no chat yet.
func (s *Store) SetMuted(ctx context.Context, me, peer int64, muted bool) error {
	err := s.w.do(ctx, func(tx *Tx) error {
		n, err := tx.Exec(`UPDATE chat_boxes SET muted = ? WHERE owner_id = ? AND peer_id = ? AND muted <> ?`, muted, me, peer, muted)
		if err != nil {
			return err
		}
		if n == 0 {
			var one int
			err := tx.QueryRow(`SELECT 1 FROM chat_boxes WHERE owner_id = ? AND peer_id = ?`, me, peer).Scan(&one)
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			return err // nil: it already was
		}
		tx.emit(ChatMuted{Seq: tx.nextSeq(), Owner: me, Peer: peer, Muted: muted})
		return nil
	})
	return wrapUnlessDomain("mute chat", err)
}

// purgeCleared deletes the messages of a pair that both people have
// deleted: those up to the lower of their two cleared_through marks; and
// the files only they named.
func purgeCleared(tx *Tx, a, b int64) error {
	low, high := sorted(a, b)
	n, err := tx.Exec(`
		DELETE FROM messages WHERE user_low = ?1 AND user_high = ?2 AND id <= (
			SELECT CASE WHEN COUNT(*) = 2 THEN MIN(cleared_through) ELSE 0 END FROM chat_boxes
			WHERE (owner_id = ?1 AND peer_id = ?2) OR (owner_id = ?2 AND peer_id = ?1))`, low, high)
	if err != nil || n == 0 {
		return err
	}
	return tx.removeUnusedFiles()
}

// addUnread changes a person's unread total by delta and returns the new total.
func addUnread(tx *Tx, user int64, delta int) (int, error) {
	var total int
	err := tx.QueryRow(`UPDATE users SET unread_total = unread_total + ? WHERE id = ? RETURNING unread_total`,
		delta, user).Scan(&total)
	return total, err
}

// UnreadTotal is the number of messages waiting to be read over all my chats.
func (r Reader) UnreadTotal(ctx context.Context, me int64) (int, error) {
	var n int
	if err := r.q.QueryRowContext(ctx, `SELECT unread_total FROM users WHERE id = ?`, me).Scan(&n); err != nil {
		return 0, fmt.Errorf("db: unread total: %w", err)
	}
	return n, nil
}

// chatBoxes reads chat boxes of b (chat_boxes) in the order and number
// where and rest say, each with the newest message its owner's copy
// holds (none, ID 0, when they deleted every one for themselves).
const chatBoxes = `
	SELECT u.id, u.username, u.display_name, COALESCE(u.avatar_small, ''), b.unread,
		COALESCE(m.id, 0), COALESCE(m.sender_id, 0), COALESCE(m.body, ''), COALESCE(m.created_at, 0), COALESCE(m.deleted, 0),
		` + fileColumns + `
	FROM chat_boxes b
	JOIN users u ON u.id = b.peer_id
	LEFT JOIN messages m ON m.id = (
		SELECT v.id FROM messages v
		WHERE v.user_low = MIN(b.owner_id, b.peer_id) AND v.user_high = MAX(b.owner_id, b.peer_id)
			AND v.id > b.cleared_through AND v.id <= b.last_message_id
			AND NOT EXISTS (SELECT 1 FROM hidden_messages h WHERE h.owner_id = b.owner_id AND h.message_id = v.id)
		ORDER BY v.id DESC LIMIT 1)
	LEFT JOIN attachments a ON a.message_id = m.id
	WHERE b.owner_id = ? AND b.hidden = 0`

// ChatList returns up to limit of my chat boxes, newest activity first.
// Deleted boxes are left out until a new message brings them back.
func (r Reader) ChatList(ctx context.Context, me int64, limit int) ([]ChatBox, error) {
	rows, err := r.q.QueryContext(ctx, chatBoxes+` ORDER BY b.last_message_id DESC LIMIT ?`, me, limit)
	if err != nil {
		return nil, fmt.Errorf("db: chat list: %w", err)
	}
	return scanChatBoxes(rows, me)
}

// ChatBoxOf returns my chat box with peer as my chat list shows it;
// ErrNotFound if the list does not show it.
func (r Reader) ChatBoxOf(ctx context.Context, me, peer int64) (ChatBox, error) {
	rows, err := r.q.QueryContext(ctx, chatBoxes+` AND b.peer_id = ?`, me, peer)
	if err != nil {
		return ChatBox{}, fmt.Errorf("db: chat box: %w", err)
	}
	boxes, err := scanChatBoxes(rows, me)
	if err != nil {
		return ChatBox{}, err
	}
	if len(boxes) == 0 {
		return ChatBox{}, ErrNotFound
	}
	return boxes[0], nil
}

func scanChatBoxes(rows *sql.Rows, me int64) ([]ChatBox, error) {
	boxes, err := collect(rows, func(b *ChatBox) []any {
		return append([]any{&b.Peer.ID, &b.Peer.Username, &b.Peer.DisplayName, &b.Peer.Avatar, &b.Unread,
			&b.Last.ID, &b.Last.SenderID, &b.Last.Body, &b.Last.CreatedAt, &b.Last.Deleted}, fileFields(&b.Last)...)
	})
	if err != nil {
		return nil, fmt.Errorf("db: chat list: %w", err)
	}
	for i := range boxes {
		keepFile(&boxes[i].Last)
		if boxes[i].Last.SenderID == me {
			boxes[i].Last.RecipientID = boxes[i].Peer.ID
		} else {
			boxes[i].Last.RecipientID = me
		}
	}
	return boxes, nil
}

// Chat returns the state of my chat box with peer; Exists is false if
// there never was one.
func (r Reader) Chat(ctx context.Context, me, peer int64) (ChatInfo, error) {
	var c ChatInfo
	err := r.q.QueryRowContext(ctx, `SELECT unread, hidden, cleared_through, muted FROM chat_boxes
		WHERE owner_id = ? AND peer_id = ?`, me, peer).Scan(&c.Unread, &c.Hidden, &c.ClearedThrough, &c.Muted)
	if errors.Is(err, sql.ErrNoRows) {
		return ChatInfo{}, nil
	}
	if err != nil {
		return ChatInfo{}, fmt.Errorf("db: chat: %w", err)
	}
	c.Exists = true
	return c, nil
}
