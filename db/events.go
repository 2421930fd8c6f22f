package db

// Event is something a write transaction did that open pages should show,
// or the outcome of a queued message. The writer delivers events in commit
// order (Options.Events). Changes carry their number in the change
// sequence (changes.go); a message's number is its id.
type Event interface{ isEvent() }

// MessageSent: a message was stored. Sender and Recipient are each
// person's chat box after it. Origin is NewMessage.Origin.
type MessageSent struct {
	Message   Message
	Sender    ChatState
	Recipient ChatState
	Origin    int64
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
	// Muted: the owner muted this chat; it counts unread without alerting.
	Muted bool
	// DeliveredThrough and ReadThrough: the owner has received and read
	// the peer's messages up to these ids (receipts.go).
	DeliveredThrough, ReadThrough int64
}

// MessageDuplicate: a queued message's client id was stored before, as
// Message; nothing changed. The sender is answered as the first time.
type MessageDuplicate struct {
	Message Message
	Origin  int64
}

// MessageRefused: a queued message was not stored. Err is ErrNotFriends,
// or what went wrong.
type MessageRefused struct {
	From     int64
	To       User
	ClientID string
	Origin   int64
	Err      error
}

// ChatChanged: a person read or deleted one of their chat boxes.
type ChatChanged struct {
	Seq         int64
	Owner, Peer int64
	// Deleted is true when the owner deleted the chat box and its history.
	Deleted     bool
	UnreadTotal int
}

// ChatMuted: a person muted or unmuted one of their chats.
type ChatMuted struct {
	Seq         int64
	Owner, Peer int64
	Muted       bool
}

// FriendsChanged: something between two people changed: a request sent,
// answered or cancelled, a friendship made or ended. A did it; B is the
// other person. Not numbered: pages show the friends' current state on
// every (re)connect.
type FriendsChanged struct {
	A, B int64
	What FriendChange
}

// FriendChange is what happened between two people.
type FriendChange int

const (
	FriendRequested FriendChange = iota // A asked B
	FriendsMade                         // A accepted B's request, or asked B who had asked A
	FriendDeclined                      // A declined B's request
	FriendCancelled                     // A withdrew their request to B
	FriendRemoved                       // A ended the friendship
	FriendBlocked                       // A blocked B
	FriendUnblocked                     // A unblocked B
)

// Receipt: Reader has received and read Sender's messages up to these
// ids (receipts.go). Sender's tabs update their ticks.
type Receipt struct {
	Seq                           int64
	Reader, Sender                int64
	DeliveredThrough, ReadThrough int64
}

// ReceiptsSetting: User turned read receipts on or off.
type ReceiptsSetting struct {
	Seq  int64
	User int64
	On   bool
}

func (MessageSent) isEvent()      {}
func (MessageDuplicate) isEvent() {}
func (MessageRefused) isEvent()   {}
func (ChatChanged) isEvent()      {}
func (ChatMuted) isEvent()        {}
func (FriendsChanged) isEvent()   {}
func (Receipt) isEvent()          {}
func (ReceiptsSetting) isEvent()  {}
