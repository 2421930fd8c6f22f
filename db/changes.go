package db

import (
	"context"
	"database/sql"
	"fmt"
)

// The change sequence.
//
// Every change that open pages show is numbered in one sequence, in commit
// order: a new message (its id is its number), a chat box read or deleted,
// and, as they come, edits, reactions and receipts. A page knows the
// number it is current to; when it reconnects it asks for what came after,
// whatever its kind. New messages are found in messages by id; other
// changes a reconnecting page has to replay are kept in changes.
//
// The writer hands out the numbers (it is the only writer, so their order
// is the commit order). A message keeps its number as its id; a number
// given to any other change is stored in change_counter with the
// transaction that used it. The last number given is the larger of the
// two, so none is given twice, even after the newest messages are deleted
// (deleting them is itself a numbered change).

// ChangeKind says what a kept change did.
type ChangeKind string

// Kinds of kept changes.
const (
	// ChangeChatDeleted: the owner deleted their chat box and its history.
	ChangeChatDeleted ChangeKind = "chat_deleted"
)

// Change is a kept change of a conversation, and the message it is
// about (0: none).
type Change struct {
	Seq       int64
	Kind      ChangeKind
	MessageID int64
}

// nextMessageID hands out the next change number to a new message.
func (tx *Tx) nextMessageID() int64 {
	tx.w.seq++
	return tx.w.seq
}

// nextSeq hands out the next change number to a change other than a new
// message; the transaction stores it (saveSeq).
func (tx *Tx) nextSeq() int64 {
	tx.w.seq++
	tx.counted = true
	return tx.w.seq
}

// lastSeqSQL is the number of the newest committed change.
const lastSeqSQL = `SELECT MAX((SELECT last FROM change_counter), COALESCE((SELECT MAX(id) FROM messages), 0))`

// lastSeq reads the last number handed out, when the writer starts.
func lastSeq(ctx context.Context, conn *sql.Conn) (int64, error) {
	var seq int64
	if err := conn.QueryRowContext(ctx, lastSeqSQL).Scan(&seq); err != nil {
		return 0, fmt.Errorf("db: change counter: %w", err)
	}
	return seq, nil
}

// saveSeq stores the last number handed out by the transaction.
func saveSeq(tx *Tx, seq int64) error {
	if _, err := tx.Exec(`UPDATE change_counter SET last = ?`, seq); err != nil {
		return fmt.Errorf("db: save change counter: %w", err)
	}
	return nil
}

// logChange keeps change seq of the conversation of a and b, seen by owner
// only (0: by both).
func logChange(tx *Tx, seq, a, b, owner int64, kind ChangeKind) error {
	return logMessageChange(tx, seq, a, b, owner, 0, kind)
}

// logMessageChange keeps change seq of message id (0: none) of the
// conversation of a and b, seen by owner only (0: by both).
func logMessageChange(tx *Tx, seq, a, b, owner, id int64, kind ChangeKind) error {
	low, high := sorted(a, b)
	_, err := tx.Exec(`INSERT INTO changes (seq, user_low, user_high, owner_id, kind, created_at, message_id) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		seq, low, high, nullIfZero(owner), string(kind), now(), nullIfZero(id))
	return err
}

// nullIfZero is NULL for 0, for optional references.
func nullIfZero(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// LastSeq is the number of the newest committed change: a page read in
// the same Snapshot is current to it.
func (r Reader) LastSeq(ctx context.Context) (int64, error) {
	var seq int64
	if err := r.q.QueryRowContext(ctx, lastSeqSQL).Scan(&seq); err != nil {
		return 0, fmt.Errorf("db: last change: %w", err)
	}
	return seq, nil
}

// ChangesAfter returns the kept changes of my conversation with peer
// numbered after after that I can see, oldest first.
func (r Reader) ChangesAfter(ctx context.Context, me, peer, after int64) ([]Change, error) {
	low, high := sorted(me, peer)
	rows, err := r.q.QueryContext(ctx, `SELECT seq, kind, COALESCE(message_id, 0) FROM changes
		WHERE user_low = ? AND user_high = ? AND seq > ? AND (owner_id IS NULL OR owner_id = ?)
		ORDER BY seq`, low, high, after, me)
	if err != nil {
		return nil, fmt.Errorf("db: changes after: %w", err)
	}
	changes, err := collect(rows, func(c *Change) []any { return []any{&c.Seq, &c.Kind, &c.MessageID} })
	if err != nil {
		return nil, fmt.Errorf("db: changes after: %w", err)
	}
	return changes, nil
}
