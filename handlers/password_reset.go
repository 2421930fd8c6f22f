package handlers

import (
	"errors"
	"net/http"

	"golang.org/x/crypto/bcrypt"

	"chat/db"
	"chat/lang"
	"chat/views"
)

// showReset is a password reset link (chat admin reset-password): the
// form for a new password, while the link works.
func (s *Server) showReset(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	u, err := s.store.ResetUser(r.Context(), []byte(token))
	if errors.Is(err, db.ErrNotFound) {
		s.errorPage(w, r, http.StatusNotFound, t(r, "reset.gone_title"), t(r, "reset.gone"))
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, views.ResetPage(views.ResetForm{Token: token, Username: u.Username}))
}

// reset sets the new password with a link, once: every login of the
// person ends, their open pages sent to log in.
func (s *Server) reset(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	u, err := s.store.ResetUser(r.Context(), []byte(token))
	if errors.Is(err, db.ErrNotFound) {
		s.errorPage(w, r, http.StatusNotFound, t(r, "reset.gone_title"), t(r, "reset.gone"))
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	password := r.PostFormValue("new_password")
	if problem := passwordProblem(lang.From(r.Context()), password); problem != "" {
		s.render(w, r, http.StatusUnprocessableEntity, views.ResetPage(views.ResetForm{Token: token, Username: u.Username, Error: problem}))
		return
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.bcryptCost)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	u, ended, err := s.store.UsePasswordReset(r.Context(), []byte(token), string(hash))
	if errors.Is(err, db.ErrNotFound) {
		s.errorPage(w, r, http.StatusNotFound, t(r, "reset.gone_title"), t(r, "reset.gone"))
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, id := range ended {
		s.live.CloseSession(id)
	}
	s.log.Info("password reset", "user_id", u.ID, "sessions_ended", len(ended))
	s.errorPage(w, r, http.StatusOK, t(r, "reset.done_title"), t(r, "reset.done"))
}
