package handlers

import (
	"errors"
	"regexp"
	"unicode/utf8"

	"chat/text"
	"chat/views"
)

// Account rules, in one place for sign-up and its tests.
const (
	minPasswordLen    = 8
	maxPasswordBytes  = 72 // bcrypt ignores anything longer
	maxDisplayNameLen = 64
)

var usernamePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{3,32}$`)

// signupInput is the sign-up form as typed.
type signupInput struct {
	Username    string
	DisplayName string
	Password    string
}

// validate returns what is wrong with each field.
func (in signupInput) validate() views.FieldErrors {
	var e views.FieldErrors
	if !usernamePattern.MatchString(in.Username) {
		e.Username = "Use 3 to 32 letters, digits, _ or -."
	}
	e.DisplayName = displayNameProblem(in.DisplayName)
	e.Password = passwordProblem(in.Password)
	return e
}

// passwordProblem is what is wrong with a new password, if anything.
func passwordProblem(password string) string {
	switch n := utf8.RuneCountInString(password); {
	case n < minPasswordLen:
		return "Use at least 8 characters."
	case len(password) > maxPasswordBytes:
		return "Use at most 72 bytes (about 72 letters, fewer in other scripts)."
	}
	return ""
}

func displayNameProblem(name string) string {
	err := text.CheckName(name)
	switch {
	case name == "":
		return "Enter the name your friends will see."
	case errors.Is(err, text.ErrInvalid):
		return "The name contains invalid characters."
	case utf8.RuneCountInString(name) > maxDisplayNameLen:
		return "Use at most 64 characters."
	case errors.Is(err, text.ErrDirection):
		return "The name cannot contain characters that reverse the direction of text."
	case err != nil:
		return "The name cannot contain control characters."
	}
	return ""
}
