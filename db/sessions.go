package db

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Session is a valid login: who is logged in and under which session id.
type Session struct {
	ID   int64
	User User
	// LastActive is when the login was last used (Unix ms), to within
	// TouchEvery.
	LastActive int64
	// Language is the person's choice of language, or "" for their
	// browser's.
	Language string
}

// TouchEvery is how stale a session's LastActive may be before a request
// brings it up to date: one write per login every few minutes, not one
// per request.
const TouchEvery = 5 * time.Minute

// maxUserAgent is as much of a browser's User-Agent as is kept.
const maxUserAgent = 512

// CreateSession records a login for token, valid for ttl, made by the
// browser whose User-Agent is userAgent.
func (s *Store) CreateSession(ctx context.Context, userID int64, token []byte, ttl time.Duration, userAgent string) (int64, error) {
	h := sha256.Sum256(token)
	if len(userAgent) > maxUserAgent {
		userAgent = userAgent[:maxUserAgent]
	}
	var id int64
	err := s.w.do(ctx, func(tx *Tx) error {
		t := now()
		// Expired logins are swept here: logins are frequent enough to keep
		// the table small, and rare enough for the cost not to matter.
		if _, err := tx.Exec(`DELETE FROM sessions WHERE expires_at <= ?`, t); err != nil {
			return err
		}
		return tx.QueryRow(`
			INSERT INTO sessions (token_hash, user_id, created_at, expires_at, user_agent, last_active)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			h[:], userID, t, t+ttl.Milliseconds(), strings.ToValidUTF8(userAgent, ""), t).Scan(&id)
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
		SELECT s.id, s.last_active, u.id, u.username, u.display_name, u.language
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = ? AND s.expires_at > ?`,
		h[:], now()).Scan(&ss.ID, &ss.LastActive, &ss.User.ID, &ss.User.Username, &ss.User.DisplayName, &ss.Language)
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

// TouchSession records that login id is in use now.
func (s *Store) TouchSession(ctx context.Context, id int64) error {
	err := s.w.do(ctx, func(tx *Tx) error {
		_, err := tx.Exec(`UPDATE sessions SET last_active = ? WHERE id = ?`, now(), id)
		return err
	})
	return wrapUnlessDomain("touch session", err)
}

// Device is one of a person's logins, as Settings lists them.
type Device struct {
	SessionID  int64
	UserAgent  string
	CreatedAt  int64 // Unix ms
	LastActive int64 // Unix ms
}

// Devices lists my valid logins, the most recently used first.
func (r Reader) Devices(ctx context.Context, me int64) ([]Device, error) {
	rows, err := r.q.QueryContext(ctx, `
		SELECT id, user_agent, created_at, last_active FROM sessions
		WHERE user_id = ? AND expires_at > ? ORDER BY last_active DESC, id DESC`, me, now())
	if err != nil {
		return nil, fmt.Errorf("db: devices: %w", err)
	}
	ds, err := collect(rows, func(d *Device) []any { return []any{&d.SessionID, &d.UserAgent, &d.CreatedAt, &d.LastActive} })
	if err != nil {
		return nil, fmt.Errorf("db: devices: %w", err)
	}
	return ds, nil
}

// EndOtherSessions ends every login of mine but keep, and returns the
// ones it ended, whose open pages the caller closes.
func (s *Store) EndOtherSessions(ctx context.Context, me, keep int64) ([]int64, error) {
	var ended []int64
	err := s.w.do(ctx, func(tx *Tx) error {
		var err error
		ended, err = endSessions(tx, me, keep)
		return err
	})
	return ended, wrapUnlessDomain("end other sessions", err)
}

// endSessions deletes the user's sessions but keep, returning their ids.
func endSessions(tx *Tx, user, keep int64) ([]int64, error) {
	var ended []int64
	var id int64
	err := tx.Query(`DELETE FROM sessions WHERE user_id = ? AND id <> ? RETURNING id`, []any{user, keep}, []any{&id}, func() error {
		ended = append(ended, id)
		return nil
	})
	return ended, err
}

// ChangePassword sets my password hash to hash and ends every other login
// of mine (returned, for the caller to close their pages); keep, the one
// that changed it, stays.
func (s *Store) ChangePassword(ctx context.Context, me, keep int64, hash string) ([]int64, error) {
	var ended []int64
	err := s.w.do(ctx, func(tx *Tx) error {
		n, err := tx.Exec(`UPDATE users SET password_hash = ? WHERE id = ?`, hash, me)
		if err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		ended, err = endSessions(tx, me, keep)
		return err
	})
	return ended, wrapUnlessDomain("change password", err)
}

// PasswordHash returns my password hash, to check the current password
// before a change.
func (r Reader) PasswordHash(ctx context.Context, me int64) (string, error) {
	var hash string
	err := r.q.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = ?`, me).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("db: password hash: %w", err)
	}
	return hash, nil
}
