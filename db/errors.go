package db

import "errors"

// Domain errors. Handlers map them to messages for people; anything else
// from this package is an internal failure.
var (
	ErrNotFound      = errors.New("db: not found")
	ErrUsernameTaken = errors.New("db: username taken")
)
