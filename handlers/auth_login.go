package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"chat/db"
	"chat/lang"
	"chat/views"
)

func (s *Server) showLogin(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if _, err := s.currentSession(r); err == nil {
		http.Redirect(w, r, afterLogin(next), http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, views.LoginPage(views.LoginForm{Next: next}))
}

// login checks a username and password and starts a session. Repeated
// failures for one username or from one address are refused for a while
// (see throttle.go).
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	username := strings.TrimSpace(r.PostFormValue("username"))
	password := r.PostFormValue("password")
	form := views.LoginForm{Username: username, Next: safeNext(r.PostFormValue("next"))}
	keys := loginKeys(username, clientOf(r).addr)

	if wait := s.logins.blocked(keys); wait > 0 {
		s.log.Warn("login throttled", "retry_after_s", int(wait.Seconds()))
		if s.observer != nil {
			s.observer.LoginThrottled()
		}
		w.Header().Set("Retry-After", fmt.Sprint(int(wait.Seconds())+1))
		form.Errors.Form = t(r, "login.throttled", "Wait", roundWait(r, wait))
		s.render(w, r, http.StatusTooManyRequests, views.LoginPage(form))
		return
	}

	user, hash, err := s.store.Credentials(r.Context(), username)
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		s.serverError(w, r, err)
		return
	}
	// bcrypt reads only the first 72 bytes, so a longer password would
	// pass for any that starts the same. Sign-up refuses them: none is
	// right. It is compared with the dummy hash, to take as long as any.
	tooLong := len(password) > maxPasswordBytes
	if errors.Is(err, db.ErrNotFound) || tooLong {
		hash = string(s.dummyHash)
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil || errors.Is(err, db.ErrNotFound) || tooLong {
		s.logins.fail(keys)
		s.log.Info("login failed")
		if s.observer != nil {
			s.observer.LoginFailed()
		}
		form.Errors.Form = t(r, "login.wrong")
		s.render(w, r, http.StatusOK, views.LoginPage(form)) // see signup on 200
		return
	}
	s.logins.reset(keys[0]) // the owner's own address starts afresh
	if err := s.startSession(w, r, user.ID); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.log.Info("logged in", "user_id", user.ID)
	http.Redirect(w, r, afterLogin(form.Next), http.StatusSeeOther)
}

// roundWait says a wait in words people read at a glance.
func roundWait(r *http.Request, d time.Duration) string {
	l := lang.From(r.Context())
	if m := int(d.Round(time.Minute).Minutes()); m > 1 {
		return l.N("wait.minutes", m)
	}
	if d > 50*time.Second {
		return l.N("wait.minutes", 1)
	}
	return l.N("wait.seconds", int(d.Seconds())+1)
}
