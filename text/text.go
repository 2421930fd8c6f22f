// Package text holds the rules for text people type into the site, in one
// place for every place it enters: messages may hold line breaks and tabs,
// names not even those, and neither may hold other control characters or
// the characters that override the direction of text, with which a name
// or a link can be made to read as something else (U+202E turns
// "evil\u202Egnp.exe" into "evilexe.png").
package text

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// What can be wrong with typed text.
var (
	ErrInvalid   = errors.New("text: not valid UTF-8")
	ErrControl   = errors.New("text: control character")
	ErrDirection = errors.New("text: direction override")
	ErrBlank     = errors.New("text: blank")
	ErrTooLong   = errors.New("text: too long")
)

// MaxMessage is the longest message, in characters.
const MaxMessage = 4000

// Message is a typed message as it is stored, or what is wrong with it:
// line endings become "\n", and the blank lines and spaces around it are
// dropped, as chat apps do (those inside it are kept).
func Message(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", ErrInvalid
	}
	body := strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	switch {
	case body == "":
		return "", ErrBlank
	case utf8.RuneCountInString(body) > MaxMessage:
		return body, ErrTooLong
	}
	return body, CheckMessage(body)
}

// CheckMessage says what is wrong with a message's text, if anything:
// line breaks and tabs are its only control characters.
func CheckMessage(s string) error { return check(s, true) }

// CheckName says what is wrong with a name, if anything: it holds no
// control character at all.
func CheckName(s string) error { return check(s, false) }

func check(s string, lines bool) error {
	if !utf8.ValidString(s) {
		return ErrInvalid
	}
	for _, r := range s {
		switch {
		case lines && (r == '\n' || r == '\t'):
		case unicode.IsControl(r):
			return ErrControl
		case isDirectionOverride(r):
			return ErrDirection
		}
	}
	return nil
}

// isDirectionOverride reports the explicit embeddings, overrides and
// isolates of Unicode's bidirectional algorithm (U+202A-U+202E,
// U+2066-U+2069). The implicit marks (U+200E, U+200F, U+061C) stay
// allowed: right-to-left writing needs them to show mixed text in order.
func isDirectionOverride(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}
