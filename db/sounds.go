package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// SoundsSetting: User turned sounds on or off; their open pages follow.
type SoundsSetting struct {
	User int64
	On   bool
}

func (SoundsSetting) isEvent() {}

// Sounds reports whether user's pages play a sound for a new message.
func (r Reader) Sounds(ctx context.Context, user int64) (bool, error) {
	var on bool
	err := r.q.QueryRowContext(ctx, `SELECT sounds FROM users WHERE id = ?`, user).Scan(&on)
	if errors.Is(err, sql.ErrNoRows) {
		return false, ErrNotFound
	}
	if err != nil {
		return false, fmt.Errorf("db: sounds: %w", err)
	}
	return on, nil
}

// SetSounds turns user's sounds on or off.
func (s *Store) SetSounds(ctx context.Context, user int64, on bool) error {
	err := s.w.do(ctx, func(tx *Tx) error {
		n, err := tx.Exec(`UPDATE users SET sounds = ? WHERE id = ? AND sounds <> ?`, on, user, on)
		if err != nil || n == 0 {
			return err
		}
		tx.emit(SoundsSetting{User: user, On: on})
		return nil
	})
	return wrapUnlessDomain("set sounds", err)
}
