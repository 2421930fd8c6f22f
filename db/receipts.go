package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Receipts: whether my messages reached the peer and were read.
//
// Each chat box keeps two ids: its owner has received (a frame with them
// reached one of the owner's tabs) and read (seen in a tab the browser
// showed) the peer's messages up to them. The sender's ticks compare each
// message's id with the recipient's two marks: two numbers a chat box, not
// a row a message. A recipient who sees the conversation when a message
// comes receives and reads it in the same write that stores it; otherwise
// delivery is marked when the message is pushed to one of their tabs
// (MarkDelivered) and reading when they open or show the chat (MarkRead).
//
// A person may turn read receipts off: then they neither send nor see
// Read (ShowsRead); delivery still shows.

// Receipts are how far the owner of a chat box has received and read the
// peer's messages.
type Receipts struct {
	DeliveredThrough, ReadThrough int64
}

// Delivery says that owner has received peer's messages up to Through.
type Delivery struct {
	Owner, Peer, Through int64
}

// MarkDelivered records deliveries, each only if it moves its box's mark
// forward, and that each of everything's people has received all of every
// chat (a page they opened shows the newest of each). It announces each
// mark that moved (Receipt), with one change number for them all.
func (s *Store) MarkDelivered(ctx context.Context, ds []Delivery, everything []int64) error {
	err := s.w.do(ctx, func(tx *Tx) error {
		var seq int64
		moved := func(d Delivery, read int64) {
			if seq == 0 {
				seq = tx.nextSeq()
			}
			tx.emit(Receipt{Seq: seq, Reader: d.Owner, Sender: d.Peer, DeliveredThrough: d.Through, ReadThrough: read})
		}
		for _, d := range ds {
			var read int64
			err := tx.QueryRow(`UPDATE chat_boxes SET delivered_through = ?1
				WHERE owner_id = ?2 AND peer_id = ?3 AND delivered_through < ?1 RETURNING read_through`,
				d.Through, d.Owner, d.Peer).Scan(&read)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return err
			}
			moved(d, read)
		}
		for _, owner := range everything {
			d := Delivery{Owner: owner}
			var read int64
			err := tx.Query(`UPDATE chat_boxes SET delivered_through = last_message_id
				WHERE owner_id = ? AND delivered_through < last_message_id
				RETURNING peer_id, delivered_through, read_through`,
				[]any{owner}, []any{&d.Peer, &d.Through, &read}, func() error {
					moved(d, read)
					return nil
				})
			if err != nil {
				return err
			}
		}
		return nil
	})
	return wrapUnlessDomain("mark delivered", err)
}

// ReceiptsOf returns how far reader has received and read sender's
// messages, as sender sees it: without Read unless both have read
// receipts on.
func (r Reader) ReceiptsOf(ctx context.Context, reader, sender int64) (Receipts, error) {
	var rc Receipts
	var bothOn bool
	err := r.q.QueryRowContext(ctx, `SELECT
			COALESCE((SELECT delivered_through FROM chat_boxes WHERE owner_id = ?1 AND peer_id = ?2), 0),
			COALESCE((SELECT read_through FROM chat_boxes WHERE owner_id = ?1 AND peer_id = ?2), 0),
			(SELECT COUNT(*) FROM users WHERE id IN (?1, ?2) AND read_receipts = 1) = 2`,
		reader, sender).Scan(&rc.DeliveredThrough, &rc.ReadThrough, &bothOn)
	if err != nil {
		return Receipts{}, fmt.Errorf("db: receipts: %w", err)
	}
	if !bothOn {
		rc.ReadThrough = 0
	}
	return rc, nil
}

// ReadReceipts reports whether user sends and sees read receipts.
func (r Reader) ReadReceipts(ctx context.Context, user int64) (bool, error) {
	var on bool
	err := r.q.QueryRowContext(ctx, `SELECT read_receipts FROM users WHERE id = ?`, user).Scan(&on)
	if errors.Is(err, sql.ErrNoRows) {
		return false, ErrNotFound
	}
	if err != nil {
		return false, fmt.Errorf("db: read receipts: %w", err)
	}
	return on, nil
}

// SetReadReceipts turns user's read receipts on or off, announcing the
// change (ReceiptsSetting) if there was one.
func (s *Store) SetReadReceipts(ctx context.Context, user int64, on bool) error {
	err := s.w.do(ctx, func(tx *Tx) error {
		n, err := tx.Exec(`UPDATE users SET read_receipts = ? WHERE id = ? AND read_receipts <> ?`, on, user, on)
		if err != nil || n == 0 {
			return err
		}
		tx.emit(ReceiptsSetting{Seq: tx.nextSeq(), User: user, On: on})
		return nil
	})
	return wrapUnlessDomain("set read receipts", err)
}
