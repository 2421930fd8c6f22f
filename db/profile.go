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
