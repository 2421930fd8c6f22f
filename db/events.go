package db

// Event is something a committed write changed that open pages should
// show. The writer delivers events in commit order (Options.Events).
type Event interface{ isEvent() }

// MessageSent: a message was stored. Sender and Recipient are each
// person's chat box after it.
type MessageSent struct {
	Message   Message
	Sender    ChatState
	Recipient ChatState
}

// ChatState is one person's side of a conversation after a change.
type ChatState struct {
	Owner User
	Peer  User
	// Unread is the unread count of this chat box. UnreadTotal is the new
	// total of all the owner's chat boxes, or -1 when this change left it
	// as it was.
	Unread      int
	UnreadTotal int
	// ClearedThrough is where the owner's history starts: they deleted the
	// chat box up to this message id.
	ClearedThrough int64
}

// ChatChanged: a person read or deleted one of their chat boxes.
type ChatChanged struct {
	Owner, Peer int64
	// Deleted is true when the owner deleted the chat box and its history.
	Deleted     bool
	UnreadTotal int
}

// FriendsChanged: something between two people changed: a request sent,
// answered or cancelled, a friendship made or ended.
type FriendsChanged struct {
	A, B int64
}

func (MessageSent) isEvent()    {}
func (ChatChanged) isEvent()    {}
func (FriendsChanged) isEvent() {}
