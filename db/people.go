package db

// People as one person sees another: found by Find people, opened by
// username, and looked up inside a transaction.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Relation is how a person stands to the viewer.
type Relation int

const (
	RelationNone     Relation = iota
	RelationFriend            // friends
	RelationSent              // the viewer asked them; waiting
	RelationReceived          // they asked the viewer; waiting
	RelationSelf              // the viewer themselves
)

// Person is a user as the viewer sees them: their relation, and the id of
// the pending request between them if there is one.
type Person struct {
	User
	Relation  Relation
	RequestID int64
	// Blocked: the viewer blocked them. BlockedViewer: they blocked the
	// viewer (shown to nobody; it only hides what they show of
	// themselves).
	Blocked, BlockedViewer bool
	// Deleted: the account was deleted; only conversations with it stay.
	Deleted bool
	// LastSeen is when they were last online (Unix ms), or 0: never, or
	// one of the two does not show it.
	LastSeen int64
}

// personColumns computes a user's relation to ?1 (the viewer).
const personColumns = `u.id, u.username, u.display_name, COALESCE(u.avatar_small, ''),
	EXISTS (SELECT 1 FROM friendships f WHERE f.user_low = MIN(?1, u.id) AND f.user_high = MAX(?1, u.id)),
	(SELECT id FROM friend_requests WHERE from_id = ?1 AND to_id = u.id),
	(SELECT id FROM friend_requests WHERE from_id = u.id AND to_id = ?1),
	EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ?1 AND blocked_id = u.id),
	EXISTS (SELECT 1 FROM blocks WHERE blocker_id = u.id AND blocked_id = ?1),
	u.deleted_at IS NOT NULL,
	CASE WHEN u.show_last_seen = 1 AND (SELECT show_last_seen FROM users WHERE id = ?1) = 1
		THEN COALESCE(u.last_seen_at, 0) ELSE 0 END`

func scanPerson(sc interface{ Scan(...any) error }, me int64) (Person, error) {
	var p Person
	var friend bool
	var sent, received sql.NullInt64
	if err := sc.Scan(&p.ID, &p.Username, &p.DisplayName, &p.Avatar, &friend, &sent, &received, &p.Blocked, &p.BlockedViewer, &p.Deleted, &p.LastSeen); err != nil {
		return Person{}, err
	}
	switch {
	case p.ID == me:
		p.Relation = RelationSelf
	case friend:
		p.Relation = RelationFriend
	case sent.Valid:
		p.Relation, p.RequestID = RelationSent, sent.Int64
	case received.Valid:
		p.Relation, p.RequestID = RelationReceived, received.Int64
	}
	return p, nil
}

// SearchPeople returns up to limit users whose username starts with prefix
// (ignoring case), other than me, each with their relation to me.
func (r Reader) SearchPeople(ctx context.Context, me int64, prefix string, limit int) ([]Person, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT `+personColumns+`
		FROM users u WHERE u.username LIKE ?2 ESCAPE '\' AND u.deleted_at IS NULL
		ORDER BY u.id <> ?1, u.username LIMIT ?3`, me, likePrefix(prefix), limit)
	if err != nil {
		return nil, fmt.Errorf("db: search people: %w", err)
	}
	defer rows.Close()
	var out []Person
	for rows.Next() {
		p, err := scanPerson(rows, me)
		if err != nil {
			return nil, fmt.Errorf("db: search people: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// PersonByUsername returns the user with this username (any case) and
// their relation to me, or ErrNotFound.
func (r Reader) PersonByUsername(ctx context.Context, me int64, username string) (Person, error) {
	p, err := scanPerson(r.q.QueryRowContext(ctx, `SELECT `+personColumns+`
		FROM users u WHERE u.username = ?2`, me, username), me)
	if errors.Is(err, sql.ErrNoRows) {
		return Person{}, ErrNotFound
	}
	if err != nil {
		return Person{}, fmt.Errorf("db: person: %w", err)
	}
	return p, nil
}

// userExists checks that user id has an account that was not deleted:
// ErrNotFound otherwise.
func userExists(tx *Tx, id int64) error {
	var one int
	err := tx.QueryRow(`SELECT 1 FROM users WHERE id = ? AND deleted_at IS NULL`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// userByID reads a user's names inside a transaction, deleted accounts
// included: ErrNotFound when there is no such user.
func userByID(tx *Tx, id int64) (User, error) {
	u := User{ID: id}
	err := tx.QueryRow(`SELECT username, display_name FROM users WHERE id = ?`, id).Scan(&u.Username, &u.DisplayName)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrNotFound
	}
	return u, err
}
