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

// SignupForm is the sign-up page: what was typed (never the password) and
// what is wrong with it.
type SignupForm struct {
	Username    string
	DisplayName string
	Errors      FieldErrors
	Next        string // as LoginForm.Next
}

// Notice is a one-line message after an action: what happened, or what
// went wrong.
type Notice struct {
	Text  string
	Error bool
}

// LoginForm is the log-in page.
type LoginForm struct {
	Username string
	Errors   FieldErrors
	// Next is the page to go to once logged in (a path of this site), the
	// one a signed-out visitor asked for.
	Next string
}

// Relation is how a person stands to the viewer.
type Relation int

const (
	RelationNone     Relation = iota
	RelationFriend            // friends
	RelationSent              // the viewer asked them
	RelationReceived          // they asked the viewer
	RelationSelf              // the viewer themselves
)

// Person is someone found by Find people.
type Person struct {
	Avatar      string // the URL of their picture, or "" for initials
	ID          int64
	Username    string
	DisplayName string
	Relation    Relation
	RequestID   int64 // the pending request between them, if any
	Blocked     bool  // the viewer blocked them
}

// Request is a pending friend request: from Username (incoming) or to
// them (outgoing).
type Request struct {
	ID          int64
	UserID      int64
	Username    string
	DisplayName string
}

// Friend is one line of the friend list.
type Friend struct {
	Avatar         string // the URL of their picture, or "" for initials
	ID             int64
	Username       string
	DisplayName    string
	Online         bool
	Blocked        bool // the viewer blocked them
	PresenceHidden bool // a block either way: no presence shown
}

// FriendsView is the content of the friends page.
type FriendsView struct {
	Query    string
	Searched bool
	Results  []Person
	Incoming []Request
	Outgoing []Request
	Friends  []Friend
	Notice   Notice
}

// Locale is how a reader wants times shown: in their time zone, on a 12-
// or 24-hour clock.
type Locale struct {
	Zone   *time.Location
	Hour12 bool
	// Lang is the language pages are said in.
	Lang lang.Lang
}

// ChatRow is one line of the chat list.
type ChatRow struct {
	PeerID       int64
	PeerUsername string
	PeerName     string
	PeerAvatar   string // the URL of their picture, or "" for initials
	Preview      string
	Mine         bool      // the last message is the viewer's
	Deleted      bool      // the last message was deleted for everyone
	At           time.Time // of the last message, in the viewer's zone; zero when none is left
	Hour12       bool      // the viewer reads a 12-hour clock
	Unread       int
}

// ChatList is the chat list pane.
type ChatList struct {
	Rows []ChatRow
	Now  time.Time
}

// MessageRow is one message of a conversation.
type MessageRow struct {
	ID       int64
	Mine     bool
	Body     string
	ClientID string    // only on the viewer's own messages
	At       time.Time // in the viewer's zone
	Hour12   bool      // the viewer reads a 12-hour clock
	// Day labels the separator shown before this message ("Today"); empty
	// for none. DayKey identifies it ("20261126"). See MarkDays.
	Day    string
	DayKey string
	// UnreadBelow, on the first unread message a conversation opens with,
	// is how many are unread: a divider above it says so.
	UnreadBelow int
	Edited      bool
	Deleted     bool        // deleted for everyone: Body is empty
	Status      Status      // of the viewer's own messages
	Quote       *Quote      // the message a reply quotes
	File        *Attachment // the file it carries
	Reactions   []ReactionCount
}

// Attachment is the file a message carries, as its bubble shows it: an
// image as its thumbnail, any other file as its name and size.
type Attachment struct {
	Name     string
	Size     string // "2.4 MB"
	URL      string // the file
	ThumbURL string // images: the thumbnail; "" for other files
	// Images: the thumbnail's size as shown, in CSS pixels, so the page
	// keeps its place while it loads.
	Width, Height int
}

// Status is how far one of the viewer's messages has got: stored, on one
// of the peer's devices, or read by them.
type Status int

const (
	StatusSent Status = iota
	StatusDelivered
	StatusRead
)

// Quote is what a reply shows of the message it quotes.
type Quote struct {
	ID   int64
	Mine bool   // the viewer wrote the quoted message
	Body string // its text, shortened on rendering
	Gone bool   // deleted: "Original message deleted"
}

// ReactionCount is one emoji under a message: how many chose it, whether
// the viewer did, and who, as a screen reader says it.
type ReactionCount struct {
	Emoji string
	Count int
	Mine  bool
	Who   string // "you and Alice"
}

// Receipts are how far the peer has received and read the viewer's
// messages (ReadThrough is 0 when either of them has read receipts off).
type Receipts struct {
	DeliveredThrough, ReadThrough int64
}

// Peer is the other person of a conversation.
type Peer struct {
	Avatar      string // the URL of their picture, or "" for initials
	ID          int64
	Username    string
	DisplayName string
	Online      bool
	Friend      bool // only friends can send
	Relation    Relation
	RequestID   int64 // the pending request between them, if any
	// Blocked: the viewer blocked them; nothing can be sent until the
	// viewer unblocks them.
	Blocked bool
	// PresenceHidden: one of the two blocked the other, so neither sees
	// whether the other is online (nor why); or the account was deleted.
	PresenceHidden bool
	// Deleted: the account was deleted; the conversation stays to read.
	Deleted bool
	// LastSeen is when they were last online, while they are not, when
	// both show it (zero otherwise); Now and Hour12 say how to show it.
	LastSeen time.Time
	Now      time.Time
	Hour12   bool
}

// Conversation is the content of a conversation page.
type Conversation struct {
	Peer     Peer
	Messages []MessageRow
	// More is true when older messages can be loaded above.
	More bool
	// Newer is true when the page is opened around an earlier message and
	// newer ones can be loaded below.
	Newer bool
	// Seq is the change number the conversation is current to: reconnects
	// ask for what came since.
	Seq int64
	// Muted: the chat counts unread but never alerts.
	Muted bool
	// Receipts: how far the peer has got with the viewer's messages.
	Receipts Receipts
	// ReactionChoices are the emoji a message can be reacted with.
	ReactionChoices []string
}

// Alert is a message that came for the viewer, as their tabs alert it.
type Alert struct {
	ID      int64
	From    string // the sender's display name
	Preview string
	Href    string // the conversation
	Muted   bool
}

// Search is the search page: what was asked, what is said about it (too
// short, nothing found, how many), the messages found, and where the
// next page of older results is.
type Search struct {
	Query     string
	Status    string
	Results   []SearchResult
	OlderHref string
	Now       time.Time
}

// SearchResult is one message found: whose conversation, who wrote it,
// when, and its text (or the part of a long one around the first match)
// with the matches marked.
type SearchResult struct {
	ID       int64
	Href     string
	PeerName string
	Mine     bool
	At       time.Time
	Hour12   bool
	Parts    []Marked
}

// Marked is a run of text, marked when it matched.
type Marked struct {
	Text string
	Mark bool
}
