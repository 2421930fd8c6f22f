package live

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"chat/db"
	"chat/lang"
	"chat/text"
	"chat/views"
)

// clientIDPattern is what app.js generates (hex from crypto.getRandomValues),
// with room for other clients.
var clientIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{8,64}$`)

// postedMessage is what the composer's ws-send posts: the form's fields
// (reply_to is empty, or the id of the message replied to), the client id
// app.js adds, and the headers htmx always includes (ignored).
type postedMessage struct {
	To       string      `json:"to"`
	Message  string      `json:"message"`
	ReplyTo  string      `json:"reply_to"`
	ClientID string      `json:"client_id"`
	Headers  htmxHeaders `json:"HEADERS"`

	replyTo int64 // ReplyTo read
}

// htmxHeaders accepts the headers htmx adds to every ws-send (any JSON
// value) and keeps nothing: the server does not use them.
type htmxHeaders struct{}

func (*htmxHeaders) UnmarshalJSON([]byte) error { return nil }

// refusal is why a frame from a tab was not taken: the reason logged,
// the text shown next to the composer, and the message's client id when
// it could be read (app.js then puts the text back into the input).
type refusal struct {
	reason   string
	say      lang.Msg
	clientID string
}

// readPosted reads a frame from a tab as a message to send: the posted
// fields and the body to store, or why it cannot be sent. It looks at
// nothing but the frame.
func readPosted(data []byte, isText bool) (postedMessage, string, *refusal) {
	var p postedMessage
	unreadable := &refusal{"malformed", lang.M("send.unreadable"), ""}
	switch {
	case !isText:
		return p, "", &refusal{"binary", lang.M("send.binary"), ""}
	case !utf8.Valid(data):
		return p, "", &refusal{"invalid_utf8", lang.M("send.invalid_utf8"), ""}
	}
	if !decodeFrame(data, &p) {
		return p, "", unreadable
	}
	if !clientIDPattern.MatchString(p.ClientID) {
		unreadable.reason = "bad_client_id"
		return p, "", unreadable
	}
	if p.ReplyTo != "" {
		id, err := strconv.ParseInt(p.ReplyTo, 10, 64)
		if err != nil || id <= 0 {
			unreadable.reason, unreadable.clientID = "bad_reply_to", p.ClientID
			return p, "", unreadable
		}
		p.replyTo = id
	}
	body, err := text.Message(p.Message)
	if err != nil {
		reason, say := messageRefusal(body, err)
		return p, "", &refusal{reason, say, p.ClientID}
	}
	return p, body, nil
}

// decodeFrame reads data as exactly one JSON object into v, refusing
// fields v does not have.
func decodeFrame(data []byte, v any) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v) == nil && !dec.More()
}

// messageRefusal is why a message's text (body, as text.Message left it)
// cannot be sent or stored, for the log and for the person.
func messageRefusal(body string, err error) (reason string, say lang.Msg) {
	switch {
	case errors.Is(err, text.ErrBlank):
		return "blank", lang.M("send.blank")
	case errors.Is(err, text.ErrTooLong):
		return "too_long", lang.M("send.too_long", "Count", utf8.RuneCountInString(body))
	case errors.Is(err, text.ErrDirection):
		return "direction_override", lang.M("send.direction")
	default:
		return "control_character", lang.M("send.control")
	}
}

// MessageRefusal is why a message's text cannot be stored, as the person
// is told, when text.Message refused it: for edits, which the same rules
// apply to.
func MessageRefusal(body string, err error) lang.Msg {
	_, say := messageRefusal(body, err)
	return say
}

// receive handles one frame from a tab: the tab shown or hidden, its
// person typing, or a message to send. Whatever is wrong with a message is
// answered on this tab, next to the composer; nothing is stored unless
// everything is right. It returns once the message is
// queued for storing, without waiting for the commit: the tab's next
// messages are stored after this one, and its reader goes back to reading
// meanwhile. The outcome comes back through the store's events.
func (s *Service) receive(ctx context.Context, t *Tab, data []byte, isText bool) {
	me := t.user
	// A message is most of what comes: the other kinds are read only when
	// their key is there.
	if isText && bytes.Contains(data, visibleKey) {
		if visible, ok := readShown(data); ok {
			s.setVisible(ctx, t, visible)
			return
		}
	}
	if isText && bytes.Contains(data, typingKey) {
		if typing, ok := readTyping(data); ok {
			if typing {
				s.typing(t)
			}
			return
		}
	}
	p, body, no := readPosted(data, isText)
	if no != nil {
		s.refuse(t, no.reason, no.say, no.clientID)
		return
	}
	if !s.sends.allow(me.ID) {
		s.refuse(t, reasonRateLimited, lang.M(sayRateLimited), p.ClientID)
		return
	}
	peer, err := s.recipient(ctx, t, p.To)
	switch {
	case errors.Is(err, db.ErrNotFound):
		s.refuse(t, "unknown_peer", lang.M("send.unknown_peer"), p.ClientID)
		return
	case err != nil:
		s.log.Error("send: recipient lookup failed", "err", err, "user_id", me.ID)
		s.refuse(t, "internal", lang.M(sayInternal), p.ClientID)
		return
	case peer.ID == me.ID:
		s.refuse(t, "self", lang.M("send.self"), p.ClientID)
		return
	}
	if reason, say := s.checkReply(ctx, me.ID, peer.ID, p.replyTo); reason != "" {
		s.refuse(t, reason, say, p.ClientID)
		return
	}
	err = s.store.QueueMessage(ctx, db.NewMessage{
		From: me, To: peer, ClientID: p.ClientID, Body: body, ReplyTo: p.replyTo,
		RecipientViewing: s.viewing(peer.ID, me.ID),
		Origin:           t.id,
	})
	if err != nil {
		if !errors.Is(err, db.ErrClosed) {
			s.log.Error("send: queue failed", "err", err, "user_id", me.ID)
		}
		s.refuse(t, "internal", lang.M(sayInternal), p.ClientID)
	}
}

// What a refused message's sender is told, when more than one path
// refuses it so.
const (
	reasonRateLimited = "rate_limited"
	sayRateLimited    = "send.rate_limited"
	sayInternal       = "send.internal"
)

// checkReply checks the message a new one of mine to peer quotes (0:
// none): it must be of our conversation, in my copy, and not deleted. It
// returns why not, for the log and for me.
func (s *Service) checkReply(ctx context.Context, me, peer, replyTo int64) (reason string, say lang.Msg) {
	if replyTo == 0 {
		return "", lang.Msg{}
	}
	quoted, err := s.store.MessageByID(ctx, me, peer, replyTo)
	switch {
	case errors.Is(err, db.ErrNotFound):
		return "reply_elsewhere", lang.M("send.reply_elsewhere")
	case err != nil:
		s.log.Error("send: quoted message lookup failed", "err", err, "user_id", me)
		return "internal", lang.M(sayInternal)
	case quoted.Deleted:
		return "reply_deleted", lang.M("send.reply_deleted")
	}
	return "", lang.Msg{}
}

// recipient resolves a username, remembering the last one: a tab almost
// always sends to the same person.
func (s *Service) recipient(ctx context.Context, t *Tab, username string) (db.User, error) {
	if t.lastPeer.ID != 0 && strings.EqualFold(t.lastPeer.Username, username) {
		return t.lastPeer, nil
	}
	if t.peer.ID != 0 && strings.EqualFold(t.peer.Username, username) {
		t.lastPeer = t.peer
		return t.peer, nil
	}
	u, err := s.store.UserByUsername(ctx, username)
	if err != nil {
		return db.User{}, err
	}
	t.lastPeer = u
	return u, nil
}

// refuse logs why a frame was refused (never its content) and tells the
// tab.
func (s *Service) refuse(t *Tab, reason string, say lang.Msg, clientID string) {
	s.log.Info("message refused", "reason", reason, "user_id", t.user.ID)
	s.refuseTo(t, say, clientID)
}

// refuseTo shows text next to the tab's composer, if it has one; app.js
// puts the message with clientID back into the input.
func (s *Service) refuseTo(t *Tab, say lang.Msg, clientID string) {
	if t.page != PageChat {
		return // only conversation pages have a place to show it
	}
	if f := s.frame(t.locale.Lang, views.SendNotice(t.locale.Lang.Say(say), clientID, false)); f != nil {
		t.deliver(0, f)
	}
}
