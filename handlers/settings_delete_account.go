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
			v.DeleteError = t(r, "settings.delete_wrong_password")
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
	s.errorPage(w, r, http.StatusOK, t(r, "settings.deleted_title"), t(r, "settings.deleted", "Username", me.Username))
}
