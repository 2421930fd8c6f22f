package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/mattn/go-sqlite3"
)

// User is an account as the rest of the program sees it.
type User struct {
	ID          int64
	Username    string
	DisplayName string
	// Avatar is the file of their small profile picture, or "" (their
	// initials); read only where pages show it: chat lists, friends,
	// people found, conversations.
	Avatar string
}

// NewUser is what signing up stores. PasswordHash is already hashed.
type NewUser struct {
	Username     string
	DisplayName  string
	PasswordHash string
}

// CreateUser stores a new account. It returns ErrUsernameTaken when the
// username is in use in any letter case, or was the name of an account
// deleted less than UsernameHeld ago.
func (s *Store) CreateUser(ctx context.Context, in NewUser) (User, error) {
	u := User{Username: in.Username, DisplayName: in.DisplayName}
	err := s.w.do(ctx, func(tx *Tx) error {
		if err := freeUsername(tx, in.Username); err != nil {
			return err
		}
		err := tx.QueryRow(`
			INSERT INTO users (username, display_name, password_hash, created_at)
			VALUES (?, ?, ?, ?) RETURNING id`,
			in.Username, in.DisplayName, in.PasswordHash, now()).Scan(&u.ID)
		if isUniqueViolation(err) {
			return ErrUsernameTaken
		}
		return err
	})
	if err != nil {
		if errors.Is(err, ErrUsernameTaken) {
			return User{}, err
		}
		return User{}, fmt.Errorf("db: create user: %w", err)
	}
	return u, nil
}

// Credentials returns the user with this username (any case) and their
// password hash, or ErrNotFound.
func (r Reader) Credentials(ctx context.Context, username string) (User, string, error) {
	var u User
	var hash string
	err := r.q.QueryRowContext(ctx, `
		SELECT id, username, display_name, password_hash FROM users WHERE username = ?`,
		username).Scan(&u.ID, &u.Username, &u.DisplayName, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, "", ErrNotFound
	}
	if err != nil {
		return User{}, "", fmt.Errorf("db: credentials: %w", err)
	}
	return u, hash, nil
}

// UserByUsername returns the user with this username in any case, or ErrNotFound.
func (r Reader) UserByUsername(ctx context.Context, username string) (User, error) {
	var u User
	err := r.q.QueryRowContext(ctx, `
		SELECT id, username, display_name FROM users WHERE username = ?`,
		username).Scan(&u.ID, &u.Username, &u.DisplayName)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrNotFound
	}
	if err != nil {
		return User{}, fmt.Errorf("db: user by username: %w", err)
	}
	return u, nil
}

// UserByID returns the user with this id, or ErrNotFound.
func (r Reader) UserByID(ctx context.Context, id int64) (User, error) {
	u := User{ID: id}
	err := r.q.QueryRowContext(ctx, `SELECT username, display_name FROM users WHERE id = ?`, id).Scan(&u.Username, &u.DisplayName)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrNotFound
	}
	if err != nil {
		return User{}, fmt.Errorf("db: user by id: %w", err)
	}
	return u, nil
}

func isUniqueViolation(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintUnique
}

// likePrefix turns user input into a LIKE pattern matching it as a prefix,
// with the wildcard characters taken literally (ESCAPE '\').
func likePrefix(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s) + "%"
}
