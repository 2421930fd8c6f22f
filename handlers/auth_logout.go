package handlers

import "net/http"

// logout ends the session on the server, so a copy of the cookie no longer
// works, clears the cookie, and closes the session's open sockets (their
// pages go to the login page).
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	login := sessionOf(r)
	if err := s.endSession(w, r, login.ID); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.live.CloseSession(login.ID)
	s.log.Info("logged out", "user_id", login.User.ID)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
