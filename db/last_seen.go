package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// LastSeenSetting: User turned showing their last seen on or off; what
// they and their friends see of each other changes.
type LastSeenSetting struct {
	User int64
}

func (LastSeenSetting) isEvent() {}

// SetLastSeen records that user was last online at (Unix ms): their last
// page closed.
func (s *Store) SetLastSeen(ctx context.Context, user, at int64) error {
	err := s.w.do(ctx, func(tx *Tx) error {
		_, err := tx.Exec(`UPDATE users SET last_seen_at = ? WHERE id = ?`, at, user)
		return err
	})
	return wrapUnlessDomain("set last seen", err)
}

// ShowLastSeen reports whether user shows when they were last online.
func (r Reader) ShowLastSeen(ctx context.Context, user int64) (bool, error) {
	var on bool
	err := r.q.QueryRowContext(ctx, `SELECT show_last_seen FROM users WHERE id = ?`, user).Scan(&on)
	if errors.Is(err, sql.ErrNoRows) {
		return false, ErrNotFound
	}
	if err != nil {
		return false, fmt.Errorf("db: show last seen: %w", err)
	}
	return on, nil
}

// SetShowLastSeen turns showing user's last seen on or off.
func (s *Store) SetShowLastSeen(ctx context.Context, user int64, on bool) error {
	err := s.w.do(ctx, func(tx *Tx) error {
		n, err := tx.Exec(`UPDATE users SET show_last_seen = ? WHERE id = ? AND show_last_seen <> ?`, on, user, on)
		if err != nil || n == 0 {
			return err
		}
		tx.emit(LastSeenSetting{User: user})
		return nil
	})
	return wrapUnlessDomain("set show last seen", err)
}
