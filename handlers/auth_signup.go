package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"golang.org/x/crypto/bcrypt"

	"chat/db"
	"chat/lang"
	"chat/views"
)

func (s *Server) showSignup(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if _, err := s.currentSession(r); err == nil {
		http.Redirect(w, r, afterLogin(next), http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, views.SignupPage(views.SignupForm{Next: next}))
}

// signup creates an account and logs it in. Problems are shown next to the
// fields, with what was typed kept (never the password). A form with
// mistakes is an ordinary page, answered 200 like the empty form: to a
// browser, a 4xx document is a failed load reported in its console.
func (s *Server) signup(w http.ResponseWriter, r *http.Request) {
	in := signupInput{
		Username:    strings.TrimSpace(r.PostFormValue("username")),
		DisplayName: strings.TrimSpace(r.PostFormValue("display_name")),
		Password:    r.PostFormValue("password"),
	}
	form := views.SignupForm{Username: in.Username, DisplayName: in.DisplayName, Next: safeNext(r.PostFormValue("next"))}
	if form.Errors = in.validate(lang.From(r.Context())); form.Errors.Any() {
		s.render(w, r, http.StatusOK, views.SignupPage(form))
		return
	}
	keys := s.signupKeys(clientOf(r).addr)
	if wait := s.signups.blocked(keys); wait > 0 {
		s.log.Info("sign-up throttled", "retry_after_s", int(wait.Seconds()))
		w.Header().Set("Retry-After", fmt.Sprint(int(wait.Seconds())+1))
		form.Errors.Form = t(r, "signup.throttled", "Wait", roundWait(r, wait))
		s.render(w, r, http.StatusTooManyRequests, views.SignupPage(form))
		return
	}
	s.signups.fail(keys) // every attempt that gets this far counts
	hash, err := bcrypt.GenerateFromPassword([]byte(in.Password), s.bcryptCost)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	user, err := s.store.CreateUser(r.Context(), db.NewUser{
		Username:     in.Username,
		DisplayName:  in.DisplayName,
		PasswordHash: string(hash),
	})
	if errors.Is(err, db.ErrUsernameTaken) {
		form.Errors.Username = t(r, "signup.taken")
		s.render(w, r, http.StatusOK, views.SignupPage(form))
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.log.Info("account created", "user_id", user.ID)
	if err := s.startSession(w, r, user.ID); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, afterLogin(form.Next), http.StatusSeeOther)
}
