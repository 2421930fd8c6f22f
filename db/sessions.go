package db

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Session is a valid login: who is logged in and under which session id.
type Session struct {
	ID   int64
	User User
}

// CreateSession records a login for token, valid for ttl.
func (s *Store) CreateSession(ctx context.Context, userID int64, token []byte, ttl time.Duration) (int64, error) {
	h := sha256.Sum256(token)
	var id int64
	err := s.w.do(ctx, func(tx *Tx) error {
		t := now()
		// Expired logins are swept here: logins are frequent enough to keep
		// the table small, and rare enough for the cost not to matter.
		if _, err := tx.Exec(`DELETE FROM sessions WHERE expires_at <= ?`, t); err != nil {
			return err
		}
		return tx.QueryRow(`
			INSERT INTO sessions (token_hash, user_id, created_at, expires_at)
			VALUES (?, ?, ?, ?) RETURNING id`,
			h[:], userID, t, t+ttl.Milliseconds()).Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("db: create session: %w", err)
	}
	return id, nil
}

// SessionByToken returns the live session for token, or ErrNotFound when it
// never existed, was ended or has expired.
func (r Reader) SessionByToken(ctx context.Context, token []byte) (Session, error) {
	h := sha256.Sum256(token)
	var ss Session
	err := r.q.QueryRowContext(ctx, `
		SELECT s.id, u.id, u.username, u.display_name
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = ? AND s.expires_at > ?`,
		h[:], now()).Scan(&ss.ID, &ss.User.ID, &ss.User.Username, &ss.User.DisplayName)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, ErrNotFound
	}
	if err != nil {
		return Session{}, fmt.Errorf("db: session: %w", err)
	}
	return ss, nil
}

// DeleteSession ends a login. Ending one that is already gone is not an error.
func (s *Store) DeleteSession(ctx context.Context, id int64) error {
	err := s.w.do(ctx, func(tx *Tx) error {
		_, err := tx.Exec(`DELETE FROM sessions WHERE id = ?`, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("db: delete session: %w", err)
	}
	return nil
}
