package handlers

import (
	"errors"
	"regexp"
	"unicode/utf8"

	"chat/lang"
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
func (in signupInput) validate(l lang.Lang) views.FieldErrors {
	var e views.FieldErrors
	if !usernamePattern.MatchString(in.Username) {
		e.Username = l.T("account.username_rule")
	}
	e.DisplayName = displayNameProblem(l, in.DisplayName)
	e.Password = passwordProblem(l, in.Password)
	return e
}

// passwordProblem is what is wrong with a new password, if anything.
func passwordProblem(l lang.Lang, password string) string {
	switch n := utf8.RuneCountInString(password); {
	case n < minPasswordLen:
		return l.T("account.password_short")
	case len(password) > maxPasswordBytes:
		return l.T("account.password_long")
	}
	return ""
}

func displayNameProblem(l lang.Lang, name string) string {
	err := text.CheckName(name)
	switch {
	case name == "":
		return l.T("account.name_empty")
	case errors.Is(err, text.ErrInvalid):
		return l.T("account.name_invalid")
	case utf8.RuneCountInString(name) > maxDisplayNameLen:
		return l.T("account.name_long")
	case errors.Is(err, text.ErrDirection):
		return l.T("account.name_direction")
	case err != nil:
		return l.T("account.name_control")
	}
	return ""
}
