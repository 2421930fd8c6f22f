package db

import "errors"

// Domain errors. Handlers map them to messages for people; anything else
// from this package is an internal failure.
var (
	ErrNotFound      = errors.New("db: not found")
	ErrUsernameTaken = errors.New("db: username taken")
)

// Friendship and chat errors.
var (
	ErrSelf           = errors.New("db: that is yourself")
	ErrAlreadyFriends = errors.New("db: already friends")
	ErrRequestPending = errors.New("db: request already sent")
	ErrNotFriends     = errors.New("db: not friends")
)
