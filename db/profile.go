package db

import (
	"context"
	"fmt"
)

// ProfileChanged: User changed how others see them (their name). The
// people who see them (Reader.Peers) are shown it live.
type ProfileChanged struct {
	User int64
}

func (ProfileChanged) isEvent() {}

// SetDisplayName changes my display name (already checked) to name.
func (s *Store) SetDisplayName(ctx context.Context, me int64, name string) error {
	err := s.w.do(ctx, func(tx *Tx) error {
		n, err := tx.Exec(`UPDATE users SET display_name = ? WHERE id = ? AND deleted_at IS NULL AND display_name <> ?`, name, me, name)
		if err != nil || n == 0 {
			return err
		}
		tx.emit(ProfileChanged{User: me})
		return nil
	})
	return wrapUnlessDomain("set display name", err)
}

// SetAvatar sets my profile picture to the files large and small (in
// place, and held: attachments.go), or, both empty, back to my initials;
// the picture before is removed from disk unless something else names it.
func (s *Store) SetAvatar(ctx context.Context, me int64, large, small string) error {
	var l, sm any // NULL for none
	if large != "" {
		l, sm = large, small
	}
	err := s.w.do(ctx, func(tx *Tx) error {
		n, err := tx.Exec(`UPDATE users SET avatar = ?, avatar_small = ? WHERE id = ? AND deleted_at IS NULL AND avatar IS NOT ?`, l, sm, me, l)
		if err != nil || n == 0 {
			return err
		}
		if err := tx.removeUnusedFiles(); err != nil {
			return err
		}
		tx.emit(ProfileChanged{User: me})
		return nil
	})
	return wrapUnlessDomain("set avatar", err)
}

// Avatar returns my profile picture's files: large, small, empty for none.
func (r Reader) Avatar(ctx context.Context, me int64) (large, small string, err error) {
	err = r.q.QueryRowContext(ctx, `SELECT COALESCE(avatar, ''), COALESCE(avatar_small, '') FROM users WHERE id = ?`, me).Scan(&large, &small)
	if err != nil {
		return "", "", fmt.Errorf("db: avatar: %w", err)
	}
	return large, small, nil
}

// IsAvatar reports whether file sum is someone's profile picture now.
func (r Reader) IsAvatar(ctx context.Context, sum string) (bool, error) {
	var yes bool
	err := r.q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE avatar = ?1) OR EXISTS (SELECT 1 FROM users WHERE avatar_small = ?1)`, sum).Scan(&yes)
	if err != nil {
		return false, fmt.Errorf("db: is avatar: %w", err)
	}
	return yes, nil
}

// SetLanguage sets the language I chose (a tag), or "" for my browser's.
func (s *Store) SetLanguage(ctx context.Context, me int64, tag string) error {
	err := s.w.do(ctx, func(tx *Tx) error {
		_, err := tx.Exec(`UPDATE users SET language = ? WHERE id = ?`, tag, me)
		return err
	})
	return wrapUnlessDomain("set language", err)
}

// Peers are the people who see me somewhere: in a chat box, as a friend,
// or in a friend request.
func (r Reader) Peers(ctx context.Context, me int64) ([]int64, error) {
	rows, err := r.q.QueryContext(ctx, `
		SELECT owner_id FROM chat_boxes WHERE peer_id = ?1
		UNION SELECT user_low + user_high - ?1 FROM friendships WHERE ?1 IN (user_low, user_high)
		UNION SELECT from_id + to_id - ?1 FROM friend_requests WHERE ?1 IN (from_id, to_id)`, me)
	if err != nil {
		return nil, fmt.Errorf("db: peers: %w", err)
	}
	ids, err := collect(rows, func(id *int64) []any { return []any{id} })
	if err != nil {
		return nil, fmt.Errorf("db: peers: %w", err)
	}
	return ids, nil
}
