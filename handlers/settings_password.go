package handlers

import (
	"net/http"

	"golang.org/x/crypto/bcrypt"

	"chat/lang"
	"chat/views"
)

// changePassword is Change password on /settings: with the current
// password, it sets the new one and signs the person out everywhere
// else at once (their other pages go to the login page); this login
// stays.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	login := sessionOf(r)
	me := login.User
	current, next := r.PostFormValue("current_password"), r.PostFormValue("new_password")
	var problems views.PasswordErrors
	hash, err := s.store.PasswordHash(r.Context(), me.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if len(current) > maxPasswordBytes || bcrypt.CompareHashAndPassword([]byte(hash), []byte(current)) != nil {
		problems.Current = t(r, "settings.wrong_current")
	}
	problems.New = passwordProblem(lang.From(r.Context()), next)
	if problems != (views.PasswordErrors{}) {
		s.log.Info("password change refused", "user_id", me.ID, "wrong_current", problems.Current != "")
		s.renderSettings(w, r, http.StatusUnprocessableEntity, func(v *views.Settings) { v.Password = problems })
		return
	}
	newHash, err := bcrypt.GenerateFromPassword([]byte(next), s.bcryptCost)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	ended, err := s.store.ChangePassword(r.Context(), me.ID, login.ID, string(newHash))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, id := range ended {
		s.live.CloseSession(id)
	}
	s.log.Info("password changed", "user_id", me.ID, "sessions_ended", len(ended))
	http.Redirect(w, r, "/settings?saved=password", http.StatusSeeOther)
}

// endOtherSessions is Log out other sessions on /settings.
func (s *Server) endOtherSessions(w http.ResponseWriter, r *http.Request) {
	login := sessionOf(r)
	ended, err := s.store.EndOtherSessions(r.Context(), login.User.ID, login.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, id := range ended {
		s.live.CloseSession(id)
	}
	s.log.Info("other sessions ended", "user_id", login.User.ID, "sessions_ended", len(ended))
	http.Redirect(w, r, "/settings?saved=sessions", http.StatusSeeOther)
}
