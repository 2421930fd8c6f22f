package db

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"time"
)

// ResetValid is how long a password reset link works.
const ResetValid = time.Hour

// CreatePasswordReset records a one-time link's token for user, valid
// for ResetValid.
func (s *Store) CreatePasswordReset(ctx context.Context, user int64, token []byte) error {
	h := sha256.Sum256(token)
	err := s.w.do(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(`DELETE FROM password_resets WHERE expires_at <= ?`, now()); err != nil {
			return err
		}
		_, err := tx.Exec(`INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES (?, ?, ?)`,
			h[:], user, now()+ResetValid.Milliseconds())
		return err
	})
	return wrapUnlessDomain("create password reset", err)
}

// ResetUser returns whose link token is, while it works: ErrNotFound when
// it never existed, was used, or expired.
func (r Reader) ResetUser(ctx context.Context, token []byte) (User, error) {
	h := sha256.Sum256(token)
	var u User
	err := r.q.QueryRowContext(ctx, `
		SELECT u.id, u.username, u.display_name FROM password_resets p JOIN users u ON u.id = p.user_id
		WHERE p.token_hash = ? AND p.used_at IS NULL AND p.expires_at > ? AND u.deleted_at IS NULL`, h[:], now()).
		Scan(&u.ID, &u.Username, &u.DisplayName)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrNotFound
	}
	return u, wrapUnlessDomain("reset user", err)
}

// UsePasswordReset sets the password of the link token's person to hash
// and ends every login of theirs (returned, for the caller to close their
// pages); the link works no more. ErrNotFound when it does not work.
func (s *Store) UsePasswordReset(ctx context.Context, token []byte, hash string) (User, []int64, error) {
	h := sha256.Sum256(token)
	var u User
	var ended []int64
	err := s.w.do(ctx, func(tx *Tx) error {
		err := tx.QueryRow(`UPDATE password_resets SET used_at = ?1
			WHERE token_hash = ?2 AND used_at IS NULL AND expires_at > ?1 RETURNING user_id`, now(), h[:]).Scan(&u.ID)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		n, err := tx.Exec(`UPDATE users SET password_hash = ? WHERE id = ? AND deleted_at IS NULL`, hash, u.ID)
		if err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		if u, err = userByID(tx, u.ID); err != nil {
			return err
		}
		ended, err = endSessions(tx, u.ID, 0)
		return err
	})
	return u, ended, wrapUnlessDomain("use password reset", err)
}
