package live

import (
	"context"
	"errors"

	"chat/db"
	"chat/lang"
	"chat/text"
)

// Messages that carry a file come by HTTP (an upload, with its progress),
// not by a tab's socket; once the file is in place, they are sent as a
// tab's message is: the same allowance, the same checks, the same path
// through the store, and the same live updates from its outcome.

// Refusal is why a message was not sent: Reason for the log, Say for the
// person.
type Refusal struct {
	Reason string
	Say    lang.Msg
}

// Refusals an HTTP sender answers with a status of its own.
const (
	ReasonRateLimited = reasonRateLimited
	ReasonNotFriends  = "not_reachable" // not friends, or a block
)

// ValidClientID reports whether id can be a message's client id: what
// app.js generates, with room for other clients.
func ValidClientID(id string) bool { return clientIDPattern.MatchString(id) }

// CheckCaption reads the text typed with a file: none is fine; otherwise
// the rules of a message's text apply. It returns the text to store.
func CheckCaption(typed string) (string, *Refusal) {
	body, err := text.Message(typed)
	switch {
	case errors.Is(err, text.ErrBlank):
		return "", nil
	case err != nil:
		reason, say := messageRefusal(body, err)
		return "", &Refusal{reason, say}
	}
	return body, nil
}

// SendWithFile sends in, a message from in.From to in.To that carries a
// file (in place and held), and waits until it is stored, or says why it
// was not. Its live updates go to both people's tabs, the sender's too.
func (s *Service) SendWithFile(ctx context.Context, in db.NewMessage) (db.Message, *Refusal, error) {
	me := in.From.ID
	if !s.sends.allow(me) {
		return db.Message{}, &Refusal{reasonRateLimited, lang.M(sayRateLimited)}, nil
	}
	if reason, say := s.checkReply(ctx, me, in.To.ID, in.ReplyTo); reason != "" {
		return db.Message{}, &Refusal{reason, say}, nil
	}
	in.RecipientViewing = s.viewing(in.To.ID, me)
	m, err := s.store.SendMessage(ctx, in)
	if say, known := RefusalText(err, in.To.DisplayName); known {
		return db.Message{}, &Refusal{ReasonNotFriends, say}, nil
	}
	return m, nil, err
}

// RefusalText is what the sender of a message the store refused with err
// is told, and whether err is a refusal people are told of (rather than a
// failure): not friends, or a block. Someone blocked is told only that the
// message cannot be delivered.
func RefusalText(err error, to string) (lang.Msg, bool) {
	switch {
	case errors.Is(err, db.ErrNotFriends):
		return lang.M("send.not_friends", "Name", lang.NameArg(to)), true
	case errors.Is(err, db.ErrBlocked):
		return lang.M("send.blocked"), true
	case errors.Is(err, db.ErrYouBlocked):
		return lang.M("send.you_blocked", "Name", lang.NameArg(to)), true
	}
	return lang.M(sayInternal), false
}
