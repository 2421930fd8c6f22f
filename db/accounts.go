package db

import (
	"context"
	"time"
)

// Deleting an account. The users row stays, emptied: messages are stored
// once for the pair, so the ones the person sent stay in their peers'
// copies, from "Deleted account" (its name is empty, said in each reader's
// language: lang.Lang.Name). Everything else of theirs goes: logins,
// chat boxes, friendships, requests, blocks, reactions, what they deleted
// for themselves, the messages only they still held (and with them the
// files only those named), and their rows in the search index.

// UsernameHeld is how long a deleted account's username stays taken, so
// that nobody can pose as its person to the people who knew them.
const UsernameHeld = 30 * 24 * time.Hour

// AccountDeleted: User deleted their account. Peers are the people who
// had a conversation, a friendship or a request with them: their pages
// show it.
type AccountDeleted struct {
	User  int64
	Peers []int64
}

func (AccountDeleted) isEvent() {}

// DeleteAccount deletes my account, as above, and returns my logins that
// ended, for the caller to close their pages.
func (s *Store) DeleteAccount(ctx context.Context, me int64) (sessions []int64, err error) {
	err = s.w.do(ctx, func(tx *Tx) error {
		sessions = sessions[:0]
		var peers []int64
		var id int64
		err := tx.Query(`
			SELECT peer_id FROM chat_boxes WHERE owner_id = ?1
			UNION SELECT owner_id FROM chat_boxes WHERE peer_id = ?1
			UNION SELECT user_low + user_high - ?1 FROM friendships WHERE ?1 IN (user_low, user_high)
			UNION SELECT from_id + to_id - ?1 FROM friend_requests WHERE ?1 IN (from_id, to_id)`, []any{me}, []any{&id}, func() error {
			peers = append(peers, id)
			return nil
		})
		if err != nil {
			return err
		}
		err = tx.Query(`DELETE FROM sessions WHERE user_id = ? RETURNING id`, []any{me}, []any{&id}, func() error {
			sessions = append(sessions, id)
			return nil
		})
		if err != nil {
			return err
		}
		// The messages the peer's copy no longer holds: they had deleted
		// the chat after them, or deleted them for themselves.
		_, err = tx.Exec(`
			DELETE FROM messages WHERE ?1 IN (user_low, user_high) AND (
				NOT EXISTS (SELECT 1 FROM chat_boxes b
					WHERE b.owner_id = messages.user_low + messages.user_high - ?1 AND b.peer_id = ?1 AND messages.id > b.cleared_through)
				OR EXISTS (SELECT 1 FROM hidden_messages h
					WHERE h.owner_id = messages.user_low + messages.user_high - ?1 AND h.message_id = messages.id))`, me)
		if err != nil {
			return err
		}
		for _, q := range []string{
			`DELETE FROM hidden_messages WHERE owner_id = ?1`,
			`DELETE FROM reactions WHERE user_id = ?1`,
			`DELETE FROM chat_boxes WHERE owner_id = ?1`,
			`DELETE FROM friendships WHERE ?1 IN (user_low, user_high)`,
			`DELETE FROM friend_requests WHERE ?1 IN (from_id, to_id)`,
			`DELETE FROM blocks WHERE ?1 IN (blocker_id, blocked_id)`,
		} {
			if _, err := tx.Exec(q, me); err != nil {
				return err
			}
		}
		_, err = tx.Exec(`UPDATE users SET display_name = '', password_hash = '', deleted_at = ?,
			unread_total = 0, read_receipts = 1, avatar = NULL, avatar_small = NULL WHERE id = ?`, now(), me)
		if err != nil {
			return err
		}
		if err := tx.removeUnusedFiles(); err != nil {
			return err
		}
		tx.emit(AccountDeleted{User: me, Peers: peers})
		return nil
	})
	return sessions, wrapUnlessDomain("delete account", err)
}

// freeUsername renames, out of the way, a deleted account whose username
// is wanted and was held long enough: "~deleted-<id>", which no one can
// sign up as.
func freeUsername(tx *Tx, username string) error {
	_, err := tx.Exec(`UPDATE users SET username = '~deleted-' || id
		WHERE username = ? AND deleted_at IS NOT NULL AND deleted_at <= ?`, username, now()-UsernameHeld.Milliseconds())
	return err
}
