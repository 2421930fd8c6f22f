package db

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// What people do to a message after sending it: edit it, delete it for
// everyone or for themselves, react to it. Each is a numbered change kept
// in changes (changes.go), so a page that reconnects catches up with it,
// and is announced as MessageChanged or MessageHidden.

// Windows within which a message may still be changed by its sender.
const (
	EditWindow   = 15 * time.Minute
	DeleteWindow = time.Hour
)

// Reactions are the six emoji a message can be reacted with.
var Reactions = []string{"👍", "❤️", "😂", "😮", "😢", "🙏"}

// IsReaction reports whether emoji is one of Reactions.
func IsReaction(emoji string) bool {
	for _, r := range Reactions {
		if r == emoji {
			return true
		}
	}
	return false
}

// Why a change to a message was refused.
var (
	ErrNotYours    = errors.New("db: not your message")
	ErrTooLate     = errors.New("db: too late to change the message")
	ErrDeleted     = errors.New("db: message deleted")
	ErrNotReaction = errors.New("db: not one of the reactions")
)

// Kinds of kept changes to messages.
const (
	ChangeMessageEdited  ChangeKind = "message_edited"
	ChangeMessageDeleted ChangeKind = "message_deleted" // for everyone
	ChangeMessageHidden  ChangeKind = "message_hidden"  // for its owner only
	ChangeReaction       ChangeKind = "reaction"
)

// MessageChanged: message ID of A and B's conversation was edited,
// deleted for everyone, or reacted to, by A. Both see it.
type MessageChanged struct {
	Seq  int64
	ID   int64
	A, B int64
	Kind ChangeKind
}

// MessageHidden: Owner deleted message ID of their conversation with
// Peer for themselves. Only Owner's tabs change.
type MessageHidden struct {
	Seq         int64
	ID          int64
	Owner, Peer int64
}

func (MessageChanged) isEvent() {}
func (MessageHidden) isEvent()  {}

// target is a message as a change to it sees it.
type target struct {
	sender    int64
	createdAt int64
	deleted   bool
}

// messageIn reads message id of my conversation with peer if my copy of
// the history holds it: ErrNotFound otherwise.
func messageIn(tx *Tx, me, peer, id int64) (target, error) {
	low, high := sorted(me, peer)
	var t target
	err := tx.QueryRow(`SELECT m.sender_id, m.created_at, m.deleted FROM messages m
		WHERE m.id = ?3 AND m.user_low = ?4 AND m.user_high = ?5 AND `+visibleTo, me, peer, id, low, high).
		Scan(&t.sender, &t.createdAt, &t.deleted)
	if errors.Is(err, sql.ErrNoRows) {
		return t, ErrNotFound
	}
	return t, err
}

// ownRecent checks that t is my message, not deleted, sent within window.
func (t target) ownRecent(me int64, window time.Duration) error {
	switch {
	case t.sender != me:
		return ErrNotYours
	case t.deleted:
		return ErrDeleted
	case now()-t.createdAt > window.Milliseconds():
		return ErrTooLate
	}
	return nil
}

// checkMayWrite checks that a may add to the conversation with b: they
// are friends (ErrNotFriends otherwise) and neither blocked the other
// (ErrBlocked, ErrYouBlocked).
func checkMayWrite(tx *Tx, a, b int64) error {
	low, high := sorted(a, b)
	var one int
	err := tx.QueryRow(`SELECT 1 FROM friendships WHERE user_low = ? AND user_high = ?`, low, high).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFriends
	}
	if err != nil {
		return err
	}
	return blockBetween(tx, a, b)
}

// changed numbers and keeps a change both people see, and announces it.
func changed(tx *Tx, me, peer, id int64, kind ChangeKind) error {
	seq := tx.nextSeq()
	if err := logMessageChange(tx, seq, me, peer, 0, id, kind); err != nil {
		return err
	}
	tx.emit(MessageChanged{Seq: seq, ID: id, A: me, B: peer, Kind: kind})
	return nil
}

// EditMessage replaces the text of my message id to peer, sent within
// EditWindow, with body (already checked as a message is). Editing to the
// same text changes nothing.
func (s *Store) EditMessage(ctx context.Context, me, peer, id int64, body string) error {
	err := s.w.do(ctx, func(tx *Tx) error {
		t, err := messageIn(tx, me, peer, id)
		if err != nil {
			return err
		}
		if err := t.ownRecent(me, EditWindow); err != nil {
			return err
		}
		if err := checkMayWrite(tx, me, peer); err != nil {
			return err
		}
		n, err := tx.Exec(`UPDATE messages SET body = ?, edited_at = ? WHERE id = ? AND body <> ?`, body, now(), id, body)
		if err != nil || n == 0 {
			return err
		}
		return changed(tx, me, peer, id, ChangeMessageEdited)
	})
	return wrapUnlessDomain("edit message", err)
}

// DeleteForEveryone deletes my message id to peer, sent within
// DeleteWindow, for both of us: its text, its quote of another message,
// its reactions and its file are removed from the database (the file from
// the disk, unless another message names it); both copies show that it
// was deleted. Replies quoting it show the original as deleted.
func (s *Store) DeleteForEveryone(ctx context.Context, me, peer, id int64) error {
	err := s.w.do(ctx, func(tx *Tx) error {
		t, err := messageIn(tx, me, peer, id)
		if err != nil {
			return err
		}
		if err := t.ownRecent(me, DeleteWindow); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE messages SET body = '', deleted = 1, edited_at = NULL, reply_to = NULL WHERE id = ?`, id); err != nil {
			return err
		}
		if _, err := tx.Exec(`DELETE FROM reactions WHERE message_id = ?`, id); err != nil {
			return err
		}
		// Its file goes too, from the disk once no other message names it.
		if _, err := tx.Exec(`DELETE FROM attachments WHERE message_id = ?`, id); err != nil {
			return err
		}
		if err := tx.removeUnusedFiles(); err != nil {
			return err
		}
		return changed(tx, me, peer, id, ChangeMessageDeleted)
	})
	return wrapUnlessDomain("delete message for everyone", err)
}

// HideMessage deletes message id of my conversation with peer for me
// only: my copy of the history no longer holds it; the peer's does. Once
// neither copy holds it, the message is deleted from the database.
func (s *Store) HideMessage(ctx context.Context, me, peer, id int64) error {
	err := s.w.do(ctx, func(tx *Tx) error {
		if _, err := messageIn(tx, me, peer, id); err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO hidden_messages (owner_id, message_id) VALUES (?, ?)`, me, id); err != nil {
			return err
		}
		// The peer's copy no longer holds it either: they deleted it for
		// themselves, or deleted the chat after it.
		var theirs int
		err := tx.QueryRow(`SELECT
				EXISTS (SELECT 1 FROM hidden_messages WHERE owner_id = ?1 AND message_id = ?3)
				OR ?3 <= COALESCE((SELECT cleared_through FROM chat_boxes WHERE owner_id = ?1 AND peer_id = ?2), 0)`,
			peer, me, id).Scan(&theirs)
		if err != nil {
			return err
		}
		if theirs == 1 {
			if _, err := tx.Exec(`DELETE FROM messages WHERE id = ?`, id); err != nil {
				return err
			}
			if err := tx.removeUnusedFiles(); err != nil {
				return err
			}
		}
		seq := tx.nextSeq()
		if err := logMessageChange(tx, seq, me, peer, me, id, ChangeMessageHidden); err != nil {
			return err
		}
		tx.emit(MessageHidden{Seq: seq, ID: id, Owner: me, Peer: peer})
		return nil
	})
	return wrapUnlessDomain("delete message for me", err)
}

// React sets my reaction to message id of my conversation with peer to
// emoji, or removes it when it already is emoji: one reaction per person
// per message.
func (s *Store) React(ctx context.Context, me, peer, id int64, emoji string) error {
	if !IsReaction(emoji) {
		return ErrNotReaction
	}
	err := s.w.do(ctx, func(tx *Tx) error {
		t, err := messageIn(tx, me, peer, id)
		if err != nil {
			return err
		}
		if t.deleted {
			return ErrDeleted
		}
		if err := checkMayWrite(tx, me, peer); err != nil {
			return err
		}
		n, err := tx.Exec(`DELETE FROM reactions WHERE message_id = ? AND user_id = ? AND emoji = ?`, id, me, emoji)
		if err != nil {
			return err
		}
		if n == 0 {
			if _, err := tx.Exec(`INSERT INTO reactions (message_id, user_id, emoji) VALUES (?1, ?2, ?3)
				ON CONFLICT (message_id, user_id) DO UPDATE SET emoji = ?3`, id, me, emoji); err != nil {
				return err
			}
		}
		return changed(tx, me, peer, id, ChangeReaction)
	})
	return wrapUnlessDomain("react", err)
}
