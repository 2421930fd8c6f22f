package views

// View models of the chat list and a conversation.

import (
	"time"
)

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
