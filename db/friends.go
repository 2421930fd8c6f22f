package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// FriendRequest is a pending request, seen from one side: Other is the
// person who sent it (incoming) or who it was sent to (outgoing).
type FriendRequest struct {
	ID        int64
	Other     User
	CreatedAt int64
}

// RequestOutcome says what sending a friend request did.
type RequestOutcome int

const (
	RequestSent   RequestOutcome = iota // a request now waits for an answer
	BecameFriends                       // they had asked first: now friends
)

// SendFriendRequest asks to from, by ids. When to had already asked from,
// the two become friends at once instead. Refuses a request to yourself
// (ErrSelf), to a friend (ErrAlreadyFriends), a second one
// (ErrRequestPending), to nobody (ErrNotFound), and between people one of
// whom blocked the other (ErrBlocked, ErrYouBlocked).
func (s *Store) SendFriendRequest(ctx context.Context, from, to int64) (RequestOutcome, error) {
	var out RequestOutcome
	err := s.w.do(ctx, func(tx *Tx) error {
		if from == to {
			return ErrSelf
		}
		if err := userExists(tx, to); err != nil {
			return err
		}
		if err := blockBetween(tx, from, to); err != nil {
			return err
		}
		if ok, err := tx.areFriends(from, to); err != nil || ok {
			return cmpErr(err, ErrAlreadyFriends)
		}
		var id int64
		err := tx.QueryRow(`SELECT id FROM friend_requests WHERE from_id = ? AND to_id = ?`, from, to).Scan(&id)
		if err == nil {
			return ErrRequestPending
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		// Crossing requests: they asked first, so this is a yes.
		n, err := tx.Exec(`DELETE FROM friend_requests WHERE from_id = ? AND to_id = ?`, to, from)
		if err != nil {
			return err
		}
		what := FriendRequested
		if n == 1 {
			out, what = BecameFriends, FriendsMade
			err = befriend(tx, from, to)
		} else {
			out = RequestSent
			_, err = tx.Exec(`INSERT INTO friend_requests (from_id, to_id, created_at) VALUES (?, ?, ?)`, from, to, now())
		}
		if err != nil {
			return err
		}
		tx.emit(FriendsChanged{A: from, B: to, What: what})
		return nil
	})
	return out, wrapUnlessDomain("send friend request", err)
}

// AnswerFriendRequest accepts or declines request id, which must be
// addressed to me; it returns who sent it. A request that was cancelled
// meanwhile, or that is someone else's, is ErrNotFound.
func (s *Store) AnswerFriendRequest(ctx context.Context, me, id int64, accept bool) (User, error) {
	var other User
	err := s.w.do(ctx, func(tx *Tx) error {
		var from int64
		err := tx.QueryRow(`DELETE FROM friend_requests WHERE id = ? AND to_id = ? RETURNING from_id`, id, me).Scan(&from)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if accept {
			if err := befriend(tx, me, from); err != nil {
				return err
			}
		}
		if other, err = userByID(tx, from); err != nil {
			return err
		}
		what := FriendDeclined
		if accept {
			what = FriendsMade
		}
		tx.emit(FriendsChanged{A: me, B: from, What: what})
		return nil
	})
	return other, wrapUnlessDomain("answer friend request", err)
}

// CancelFriendRequest withdraws request id, which must be mine; it returns
// who it was sent to. One already answered or someone else's is
// ErrNotFound.
func (s *Store) CancelFriendRequest(ctx context.Context, me, id int64) (User, error) {
	var other User
	err := s.w.do(ctx, func(tx *Tx) error {
		var to int64
		err := tx.QueryRow(`DELETE FROM friend_requests WHERE id = ? AND from_id = ? RETURNING to_id`, id, me).Scan(&to)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if other, err = userByID(tx, to); err != nil {
			return err
		}
		tx.emit(FriendsChanged{A: me, B: to, What: FriendCancelled})
		return nil
	})
	return other, wrapUnlessDomain("cancel friend request", err)
}

// RemoveFriend ends a friendship; ErrNotFriends if there was none. Chat
// history stays: both can still read it, neither can add to it.
func (s *Store) RemoveFriend(ctx context.Context, me, other int64) error {
	err := s.w.do(ctx, func(tx *Tx) error {
		low, high := sorted(me, other)
		n, err := tx.Exec(`DELETE FROM friendships WHERE user_low = ? AND user_high = ?`, low, high)
		if err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFriends
		}
		tx.emit(FriendsChanged{A: me, B: other, What: FriendRemoved})
		return nil
	})
	return wrapUnlessDomain("remove friend", err)
}

func befriend(tx *Tx, a, b int64) error {
	low, high := sorted(a, b)
	_, err := tx.Exec(`INSERT INTO friendships (user_low, user_high, created_at) VALUES (?, ?, ?)
		ON CONFLICT DO NOTHING`, low, high, now())
	return err
}

const friendsQuery = `SELECT 1 FROM friendships WHERE user_low = ? AND user_high = ?`

// foundOne turns the error of a query for "SELECT 1 ..." into a yes or no.
func foundOne(err error) (bool, error) {
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

func (tx *Tx) areFriends(a, b int64) (bool, error) {
	low, high := sorted(a, b)
	var one int
	return foundOne(tx.QueryRow(friendsQuery, low, high).Scan(&one))
}

// Friends returns my friends by display name.
func (r Reader) Friends(ctx context.Context, me int64) ([]User, error) {
	rows, err := r.q.QueryContext(ctx, `
		SELECT u.id, u.username, u.display_name, COALESCE(u.avatar_small, '') FROM friendships f
		JOIN users u ON u.id = f.user_high WHERE f.user_low = ?1
		UNION ALL
		SELECT u.id, u.username, u.display_name, COALESCE(u.avatar_small, '') FROM friendships f
		JOIN users u ON u.id = f.user_low WHERE f.user_high = ?1
		ORDER BY 3 COLLATE NOCASE, 2`, me)
	if err != nil {
		return nil, fmt.Errorf("db: friends: %w", err)
	}
	return collect(rows, func(u *User) []any { return []any{&u.ID, &u.Username, &u.DisplayName, &u.Avatar} })
}

// FriendRequests returns the requests waiting for my answer and those I
// sent that wait for theirs, oldest first.
func (r Reader) FriendRequests(ctx context.Context, me int64) (incoming, outgoing []FriendRequest, err error) {
	scan := func(r *FriendRequest) []any {
		return []any{&r.ID, &r.CreatedAt, &r.Other.ID, &r.Other.Username, &r.Other.DisplayName}
	}
	rows, err := r.q.QueryContext(ctx, `
		SELECT r.id, r.created_at, u.id, u.username, u.display_name
		FROM friend_requests r JOIN users u ON u.id = r.from_id
		WHERE r.to_id = ? ORDER BY r.id`, me)
	if err != nil {
		return nil, nil, fmt.Errorf("db: incoming requests: %w", err)
	}
	if incoming, err = collect(rows, scan); err != nil {
		return nil, nil, err
	}
	rows, err = r.q.QueryContext(ctx, `
		SELECT r.id, r.created_at, u.id, u.username, u.display_name
		FROM friend_requests r JOIN users u ON u.id = r.to_id
		WHERE r.from_id = ? ORDER BY r.id`, me)
	if err != nil {
		return nil, nil, fmt.Errorf("db: outgoing requests: %w", err)
	}
	if outgoing, err = collect(rows, scan); err != nil {
		return nil, nil, err
	}
	return incoming, outgoing, nil
}

// IncomingRequestCount is how many requests wait for my answer.
func (r Reader) IncomingRequestCount(ctx context.Context, me int64) (int, error) {
	var n int
	err := r.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM friend_requests WHERE to_id = ?`, me).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("db: request count: %w", err)
	}
	return n, nil
}

func sorted(a, b int64) (int64, int64) {
	if a > b {
		return b, a
	}
	return a, b
}
