package db

import (
	"context"
	"errors"
)

// Blocks. Blocking someone stops everything from them reaching me: their
// messages and friend requests are refused, and neither of us sees
// whether the other is online. It works both ways for messages: I cannot
// write to someone I blocked either, until I unblock them. The history
// stays for both, and a friendship stays a friendship; unblocking gives
// back nothing that was refused meanwhile.

// Block errors.
var (
	// ErrBlocked: the other person blocked me. What they are told says
	// it cannot be delivered, not why.
	ErrBlocked = errors.New("db: blocked by them")
	// ErrYouBlocked: I blocked the other person.
	ErrYouBlocked = errors.New("db: you blocked them")
)

// Block blocks other for me. Blocking twice is no change.
func (s *Store) Block(ctx context.Context, me, other int64) error {
	return s.setBlock(ctx, me, other, true)
}

// Unblock ends my block of other, if there is one.
func (s *Store) Unblock(ctx context.Context, me, other int64) error {
	return s.setBlock(ctx, me, other, false)
}

func (s *Store) setBlock(ctx context.Context, me, other int64, block bool) error {
	err := s.w.do(ctx, func(tx *Tx) error {
		if me == other {
			return ErrSelf
		}
		if err := userExists(tx, other); err != nil {
			return err
		}
		var n int64
		var err error
		what := FriendBlocked
		if block {
			n, err = tx.Exec(`INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, me, other, now())
		} else {
			what = FriendUnblocked
			n, err = tx.Exec(`DELETE FROM blocks WHERE blocker_id = ? AND blocked_id = ?`, me, other)
		}
		if err != nil || n == 0 {
			return err
		}
		tx.emit(FriendsChanged{A: me, B: other, What: what})
		return nil
	})
	return wrapUnlessDomain("block", err)
}

// blockBetween says whether from may not reach to: ErrBlocked when to
// blocked from, ErrYouBlocked when from blocked to, nil when neither.
func blockBetween(tx *Tx, from, to int64) error {
	var theyBlocked, iBlocked bool
	err := tx.QueryRow(`SELECT
			EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ?2 AND blocked_id = ?1),
			EXISTS (SELECT 1 FROM blocks WHERE blocker_id = ?1 AND blocked_id = ?2)`, from, to).Scan(&theyBlocked, &iBlocked)
	switch {
	case err != nil:
		return err
	case theyBlocked:
		return ErrBlocked
	case iBlocked:
		return ErrYouBlocked
	}
	return nil
}

// notBlocked is the condition that neither of users a and b (SQL
// expressions) blocked the other.
func notBlocked(a, b string) string {
	return `NOT EXISTS (SELECT 1 FROM blocks bl WHERE (bl.blocker_id = ` + a + ` AND bl.blocked_id = ` + b + `) OR (bl.blocker_id = ` + b + ` AND bl.blocked_id = ` + a + `))`
}

// Blocks are the blocks between me and others, each way.
type Blocks struct {
	ByMe, OfMe map[int64]bool // whom I blocked; who blocked me
}

// Hidden reports whether what user shows of themselves (presence,
// typing) is hidden from me, or mine from them: a block either way.
func (b Blocks) Hidden(user int64) bool { return b.ByMe[user] || b.OfMe[user] }

// Blocks reads the blocks between me and others, each way.
func (r Reader) Blocks(ctx context.Context, me int64) (Blocks, error) {
	b := Blocks{ByMe: map[int64]bool{}, OfMe: map[int64]bool{}}
	rows, err := r.q.QueryContext(ctx, `
		SELECT blocked_id, 1 FROM blocks WHERE blocker_id = ?1
		UNION ALL SELECT blocker_id, 0 FROM blocks WHERE blocked_id = ?1`, me)
	if err != nil {
		return b, wrapUnlessDomain("blocks", err)
	}
	type row struct {
		id   int64
		mine bool
	}
	found, err := collect(rows, func(r *row) []any { return []any{&r.id, &r.mine} })
	if err != nil {
		return b, wrapUnlessDomain("blocks", err)
	}
	for _, f := range found {
		if f.mine {
			b.ByMe[f.id] = true
		} else {
			b.OfMe[f.id] = true
		}
	}
	return b, nil
}
