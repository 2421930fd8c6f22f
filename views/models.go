// Package views holds the Templ components of every page and fragment, and
// the view models they take. View models are shaped like the screen, not
// like database rows; this package imports no db, hub or net/http.
package views

import (
	"time"

	"chat/lang"
)

// Viewer is the signed-in person as every page's header and navigation
// show them.
type Viewer struct {
	Username    string
	DisplayName string
	// Unread is the total of unread messages over all chats.
	Unread int
	// Requests is the number of friend requests waiting for an answer.
	Requests int
	// Sounds: a message that comes while the page is in the background
	// plays a sound.
	Sounds bool
}

// Section says which part of the site a page belongs to.
type Section int

const (
	SectionChats Section = iota
	SectionFriends
	SectionSettings
)

// Page is what the signed-in layout needs around a page's content.
type Page struct {
	// Title is the page's own name; the layout adds the unread count and
	// the site name.
	Title   string
	Viewer  Viewer
	Section Section
	// Socket is the websocket path the page connects to for live updates.
	Socket string
	// Detail is true when the page shows a single item (a conversation):
	// on a phone the list pane is hidden and a back link shown.
	Detail bool
}

// FieldErrors are the messages shown next to each field of a form. An
// empty string means the field is fine.
type FieldErrors struct {
	Form        string
	Username    string
	DisplayName string
	Password    string
}

// Any reports whether there is at least one error.
func (e FieldErrors) Any() bool {
	return e != FieldErrors{}
}

// Fields is how many fields have an error.
func (e FieldErrors) Fields() int {
	n := 0
	for _, msg := range []string{e.Username, e.DisplayName, e.Password} {
		if msg != "" {
			n++
		}
	}
	return n
}

// Notice is a one-line message after an action: what happened, or what
// went wrong.
type Notice struct {
	Text  string
	Error bool
}

// Locale is how a reader wants times shown: in their time zone, on a 12-
// or 24-hour clock.
type Locale struct {
	Zone   *time.Location
	Hour12 bool
	// Lang is the language pages are said in.
	Lang lang.Lang
}
