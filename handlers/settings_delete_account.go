package handlers

import (
	"net/http"

	"golang.org/x/crypto/bcrypt"

	"chat/views"
)

// deleteAccount is Delete account on /settings: with the password, the
// account is deleted (db.DeleteAccount), every page of it is closed and
// this browser signed out; the page says what became of the username.
func (s *Server) deleteAccount(w http.ResponseWriter, r *http.Request) {
	login := sessionOf(r)
	me := login.User
	password := r.PostFormValue("password")
	hash, err := s.store.PasswordHash(r.Context(), me.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if len(password) > maxPasswordBytes || bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
		s.log.Info("account deletion refused", "user_id", me.ID, "reason", "wrong_password")
		s.renderSettings(w, r, http.StatusUnprocessableEntity, func(v *views.Settings) {
			v.DeleteError = "That is not your password. Your account is not deleted."
		})
		return
	}
	ended, err := s.store.DeleteAccount(r.Context(), me.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, id := range ended {
		s.live.CloseSession(id)
	}
	if err := s.clearSessionCookie(w, r); err != nil {
		s.log.Error("clear session cookie", "err", err)
	}
	s.log.Info("account deleted", "user_id", me.ID)
	s.errorPage(w, r, http.StatusOK, "Account deleted",
		"Your account, your chats and the files only you had are deleted. The people you talked with keep their copies, from “Deleted account”. Your username, "+me.Username+", becomes free for others in 30 days.")
}
