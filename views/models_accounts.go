package views

// View models of the account pages: signing up, logging in, a password
// reset, and settings.

import (
	"time"
)

// Settings are what /settings shows: the person's settings, and what
// saving them did.
type Settings struct {
	// ID and Name are the person's, for the initial shown while they have
	// no picture.
	ID   int64
	Name string
	// Avatar is the URL of the person's picture, or ""; AvatarError why
	// one sent was not taken.
	Avatar      string
	AvatarError string
	// DisplayName is the name others see (as typed, when it was refused
	// with NameError).
	DisplayName  string
	NameError    string
	ReadReceipts bool
	ShowLastSeen bool
	Sounds       bool
	// Language is the person's choice ("" for their browser's).
	Language string
	Notice   string
	// Password holds what is wrong with a Change password form sent.
	Password PasswordErrors
	// DeleteError says why the account was not deleted.
	DeleteError string
	// Devices are the person's logins; Now and Hour12 say how to show
	// their times.
	Devices []Device
	Now     time.Time
	Hour12  bool
}

// PasswordErrors are the messages next to the fields of Change password.
type PasswordErrors struct {
	Current, New string
}

// Device is one login of the person's, in the list of signed-in sessions.
type Device struct {
	SessionID  int64
	Name       string // "Chrome on Linux"
	Current    bool   // the login of this page
	ActiveNow  bool   // used within the last few minutes
	LastActive time.Time
	SignedIn   time.Time
}

// ResetForm is the form a password reset link opens.
type ResetForm struct {
	Token    string
	Username string
	Error    string // what is wrong with the new password
}

// SignupForm is the sign-up page: what was typed (never the password) and
// what is wrong with it.
type SignupForm struct {
	Username    string
	DisplayName string
	Errors      FieldErrors
	Next        string // as LoginForm.Next
}

// LoginForm is the log-in page.
type LoginForm struct {
	Username string
	Errors   FieldErrors
	// Next is the page to go to once logged in (a path of this site), the
	// one a signed-out visitor asked for.
	Next string
}
