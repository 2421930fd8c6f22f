package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/a-h/templ"

	"chat/db"
	"chat/lang"
	"chat/viewmodel"
	"chat/views"
)

// A message action is Edit, Delete for everyone, Delete for me or React,
// chosen in a message's menu: POST /chats/{peer}/messages/{id}/{action}.
// The change reaches every tab of both people live; the answer shows it
// in the page that asked too, so that page does not depend on its socket.

// messageAction is a handler that does one action on message {id} of the
// conversation with {peer}. act returns why it was refused, if it was:
// what is logged (never the text) and what the person is told.
type messageAction func(r *http.Request, me db.User, peer db.Person, id int64) (reason string, say lang.Msg, status int, err error)

// handleMessageAction answers a message action: for htmx, the message as
// it is now, with the error next to the composer cleared, or the reason
// there when it was refused; without htmx, the conversation, or a page
// saying why not.
func (s *Server) handleMessageAction(name string, act messageAction) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		me := sessionOf(r).User
		person, _, ok := s.chatPeer(w, r)
		if !ok {
			return
		}
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil || id <= 0 {
			s.notFound(w, r)
			return
		}
		reason, say, status, err := act(r, me, person, id)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		htmx := r.Header.Get("HX-Request") == "true"
		if reason != "" {
			s.log.Info("message action refused", "action", name, "reason", reason, "user_id", me.ID, "message_id", id)
			if htmx {
				s.render(w, r, status, views.SendNotice(lang.From(r.Context()).Say(say), "", false))
			} else {
				s.errorPage(w, r, status, t(r, "action.failed_title"), lang.From(r.Context()).Say(say))
			}
			return
		}
		if !htmx {
			http.Redirect(w, r, "/chats/"+url.PathEscape(person.Username)+"#m-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
			return
		}
		rows, gone, err := s.messageNow(r, me.ID, person.User, id)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		s.render(w, r, http.StatusOK, templ.Join(views.SendNotice("", "", false), views.MessagePatch(rows, gone, nameOf(r, person.DisplayName))))
	}
}

// messageNow is message id of my conversation with peer as my copy holds
// it now: its row, or its id among the gone.
func (s *Server) messageNow(r *http.Request, me int64, peer db.User, id int64) ([]views.MessageRow, []int64, error) {
	ctx := r.Context()
	m, err := s.store.MessageByID(ctx, me, peer.ID, id)
	if errors.Is(err, db.ErrNotFound) {
		return nil, []int64{id}, nil
	}
	if err != nil {
		return nil, nil, err
	}
	rows, err := viewmodel.Messages(ctx, s.store.Reader, me, peer, []db.Message{m}, 0, s.locale(r))
	return rows, nil, err
}

// refusal maps what the store refused a message action with to what is
// logged and said; tooLate says what the action's time limit is. An error
// that is not a refusal is returned as it is.
func refusal(err error, peer db.Person, tooLate string) (reason string, say lang.Msg, status int, _ error) {
	switch {
	case err == nil:
		return "", lang.Msg{}, 0, nil
	case errors.Is(err, db.ErrNotFound):
		return "not_found", lang.M("action.not_found"), http.StatusNotFound, nil
	case errors.Is(err, db.ErrNotYours):
		return "not_yours", lang.M("action.not_yours"), http.StatusForbidden, nil
	case errors.Is(err, db.ErrTooLate):
		return "too_late", lang.M(tooLate), http.StatusConflict, nil
	case errors.Is(err, db.ErrDeleted):
		return "deleted", lang.M("action.deleted"), http.StatusConflict, nil
	case errors.Is(err, db.ErrNotFriends):
		return "not_friends", lang.M("action.not_friends", "Name", lang.NameArg(peer.DisplayName)), http.StatusForbidden, nil
	case errors.Is(err, db.ErrBlocked):
		return "blocked", lang.M("action.blocked"), http.StatusForbidden, nil
	case errors.Is(err, db.ErrYouBlocked):
		return "you_blocked", lang.M("block.unblock_first", "Name", lang.NameArg(peer.DisplayName)), http.StatusForbidden, nil
	case errors.Is(err, db.ErrNotReaction):
		return "not_a_reaction", lang.M("action.not_reaction"), http.StatusUnprocessableEntity, nil
	}
	return "", lang.Msg{}, 0, err
}
