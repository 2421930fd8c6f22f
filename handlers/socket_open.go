package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"chat/live"
)

// openSocket is GET /ws: the live connection of one page. Query: page
// (chats, friends, chat), peer (on chat pages), after (the change number
// the page is current to) and visible (0 when the browser does not show
// the page); app.js adds the last two on every connect. Once
// the page is known to belong to a signed-in person, the live layer takes
// the connection over.
func (s *Server) openSocket(w http.ResponseWriter, r *http.Request) {
	login, err := s.currentSession(r)
	if errors.Is(err, errNoSession) {
		http.Error(w, "log in first", http.StatusUnauthorized)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.touch(r, login)
	r = r.WithContext(withPersonsLang(r.Context(), r, login))
	o := live.Opening{User: login.User, Session: login.ID, Locale: s.locale(r)}
	q := r.URL.Query()
	switch q.Get("page") {
	case "", "chats":
		o.Page = live.PageChats
	case "friends":
		o.Page = live.PageFriends
	case "chat":
		o.Page = live.PageChat
		person, _, err := s.conversationWith(r.Context(), login.User, q.Get("peer"))
		switch {
		case errors.Is(err, errNotFriends):
			s.log.Info("websocket refused", "reason", "not_friends", "user_id", login.User.ID)
			http.Error(w, "no conversation with a stranger", http.StatusForbidden)
			return
		case errors.Is(err, errNoSuchPerson), errors.Is(err, errYourself):
			http.Error(w, "no such conversation", http.StatusNotFound)
			return
		case err != nil:
			s.serverError(w, r, err)
			return
		}
		o.Peer = person.User
	default:
		http.Error(w, "unknown page", http.StatusBadRequest)
		return
	}
	o.After, _ = strconv.ParseInt(q.Get("after"), 10, 64)
	o.Visible = q.Get("visible") != "0"
	s.live.Connect(w, r, o)
}
