package db

import (
	"context"
	"fmt"
)

// What a person's data export reads (package export): the account, and
// who they have conversations with.

// Account is a person's own account as they may see all of it.
type Account struct {
	User
	CreatedAt    int64 // Unix ms
	ReadReceipts bool
}

// Account returns my account.
func (r Reader) Account(ctx context.Context, me int64) (Account, error) {
	a := Account{User: User{ID: me}}
	err := r.q.QueryRowContext(ctx, `SELECT username, display_name, created_at, read_receipts FROM users WHERE id = ?`, me).
		Scan(&a.Username, &a.DisplayName, &a.CreatedAt, &a.ReadReceipts)
	if err != nil {
		return Account{}, fmt.Errorf("db: account: %w", err)
	}
	return a, nil
}

// ConversationPeers lists everyone I have a chat box with, deleted boxes
// too (a box deleted and written to since holds messages again), by
// username.
func (r Reader) ConversationPeers(ctx context.Context, me int64) ([]User, error) {
	rows, err := r.q.QueryContext(ctx, `
		SELECT u.id, u.username, u.display_name FROM chat_boxes b JOIN users u ON u.id = b.peer_id
		WHERE b.owner_id = ? ORDER BY u.username`, me)
	if err != nil {
		return nil, fmt.Errorf("db: conversation peers: %w", err)
	}
	users, err := collect(rows, func(u *User) []any { return []any{&u.ID, &u.Username, &u.DisplayName} })
	if err != nil {
		return nil, fmt.Errorf("db: conversation peers: %w", err)
	}
	return users, nil
}
