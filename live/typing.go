package live

import (
	"bytes"

	"chat/transport"
	"chat/views"
)

// Typing: while a person types in a conversation, their page sends
// {"typing":true} every few seconds; the peer's tabs show "typing…" under
// their name and in their chat list row, and hide it a few seconds after
// the last one or when the message comes (app.js). Nothing is stored.

// A person's typing is shown at most typingRate times a second, in bursts
// of typingBurst: a page says it once every 2.5 s while its person types,
// so more only repeats what the peer's page shows already.
const (
	typingRate  = 0.5
	typingBurst = 1
)

// typingKey is in every frame readTyping reads.
var typingKey = []byte(`"typing"`)

// typingNow is the frame exactly as pages send it, read without a JSON
// decoder: one comes before almost every message.
var typingNow = []byte(`{"typing":true}`)

// typingFrame is what a tab sends while its person types.
type typingFrame struct {
	Typing *bool `json:"typing"`
}

// readTyping reads a frame as typing, if it is that.
func readTyping(data []byte) (typing, ok bool) {
	if bytes.Equal(data, typingNow) {
		return true, true
	}
	var f typingFrame
	if !decodeFrame(data, &f) || f.Typing == nil {
		return false, false
	}
	return *f.Typing, true
}

// typing shows on the peer's tabs that t's person is typing: only between
// friends, and at most once every two seconds for each person (a page
// says it every 2.5 s; more is dropped, as nothing is lost by it).
func (s *Service) typing(t *Tab) {
	if t.page != PageChat || !t.friend.Load() || !s.typings.allow(t.user.ID) {
		return
	}
	var conversation, list *transport.Frame
	s.tabs.Each(t.peer.ID, func(pt *Tab) {
		switch {
		case pt.pair == t.pair:
			if conversation == nil {
				conversation = s.frame(pt.locale.Lang, views.PeerTyping(), views.ChatTyping(t.user.ID))
			}
			pt.deliver(0, conversation)
		case pt.page != PageFriends:
			if list == nil {
				list = s.frame(pt.locale.Lang, views.ChatTyping(t.user.ID))
			}
			pt.deliver(0, list)
		}
	})
}
