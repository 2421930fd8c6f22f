package db

import (
	"database/sql"
	"errors"
	"fmt"
)

// domainErrors are the errors callers act on; they are returned as they
// are, everything else is wrapped with what was being done.
var domainErrors = []error{
	ErrNotFound, ErrUsernameTaken, ErrSelf, ErrAlreadyFriends,
	ErrRequestPending, ErrNotFriends, ErrClosed,
	ErrNotYours, ErrTooLate, ErrDeleted, ErrNotReaction,
	ErrBlocked, ErrYouBlocked,
}

func wrapUnlessDomain(what string, err error) error {
	if err == nil {
		return nil
	}
	for _, d := range domainErrors {
		if errors.Is(err, d) {
			return err
		}
	}
	return fmt.Errorf("db: %s: %w", what, err)
}

// cmpErr returns err if set, otherwise ifOK: for checks whose success is
// the failure.
func cmpErr(err, ifOK error) error {
	if err != nil {
		return err
	}
	return ifOK
}

// collect scans every row into a T, using fields to name the destinations.
func collect[T any](rows *sql.Rows, fields func(*T) []any) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(fields(&v)...); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
