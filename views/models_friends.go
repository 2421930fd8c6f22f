package views

// View models of the friends page.

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
