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
	token, u, ok := s.resetLink(w, r)
	if ok {
		s.render(w, r, http.StatusOK, views.ResetPage(views.ResetForm{Token: token, Username: u.Username}))
	}
}

// resetLink is the link's token and whose it is, or, when the link does
// not work, false with the page saying so.
func (s *Server) resetLink(w http.ResponseWriter, r *http.Request) (string, db.User, bool) {
	token := r.PathValue("token")
	u, err := s.store.ResetUser(r.Context(), []byte(token))
	if err != nil {
		s.resetFailed(w, r, err)
		return "", db.User{}, false
	}
	return token, u, true
}

// resetFailed answers a link that does not work (used, expired, never
// made), or a failure.
func (s *Server) resetFailed(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, db.ErrNotFound) {
		s.errorPage(w, r, http.StatusNotFound, t(r, "reset.gone_title"), t(r, "reset.gone"))
		return
	}
	s.serverError(w, r, err)
}

// reset sets the new password with a link, once: every login of the
// person ends, their open pages sent to log in.
func (s *Server) reset(w http.ResponseWriter, r *http.Request) {
	token, u, ok := s.resetLink(w, r)
	if !ok {
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
	if err != nil {
		s.resetFailed(w, r, err)
		return
	}
	for _, id := range ended {
		s.live.CloseSession(id)
	}
	s.log.Info("password reset", "user_id", u.ID, "sessions_ended", len(ended))
	s.errorPage(w, r, http.StatusOK, t(r, "reset.done_title"), t(r, "reset.done"))
}
