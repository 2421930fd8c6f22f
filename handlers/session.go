package handlers

import (
	"context"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/gorilla/sessions"

	"chat/db"
	"chat/lang"
	"chat/views"
)

const (
	sessionCookie = "chat_session"
	sessionTTL    = 30 * 24 * time.Hour
	// sessionKeyFile is created in the data directory when no key is given.
	sessionKeyFile = "session.key"
)

// errNoSession means the request carries no valid login.
var errNoSession = errors.New("no session")

// LoadSessionSecret returns the secret behind the session cookies: fromEnv
// when set (CHAT_SESSION_KEY), otherwise the key kept in dataDir, created
// with mode 0600 on first start so a restart logs nobody out.
func LoadSessionSecret(dataDir, fromEnv string) ([]byte, error) {
	if fromEnv != "" {
		if len(fromEnv) < 32 {
			return nil, errors.New("CHAT_SESSION_KEY must be at least 32 characters")
		}
		return []byte(fromEnv), nil
	}
	path := filepath.Join(dataDir, sessionKeyFile)
	key, err := os.ReadFile(path)
	if err == nil {
		if len(key) < 32 {
			return nil, fmt.Errorf("%s is shorter than 32 bytes; delete it to make a new one", path)
		}
		return key, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	key = []byte(hex.EncodeToString(randomBytes(32)))
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(key); err != nil {
		f.Close()
		return nil, err
	}
	return key, f.Close()
}

// newCookieStore derives separate signing and encryption keys from secret.
func newCookieStore(secret []byte) *sessions.CookieStore {
	hashKey, err1 := hkdf.Key(sha256.New, secret, nil, "chat session cookie signing", 32)
	blockKey, err2 := hkdf.Key(sha256.New, secret, nil, "chat session cookie encryption", 32)
	if err := errors.Join(err1, err2); err != nil {
		panic(err) // only possible for lengths sha256 cannot produce
	}
	cs := sessions.NewCookieStore(hashKey, blockKey)
	cs.Options = &sessions.Options{
		Path:     "/",
		MaxAge:   int(sessionTTL.Seconds()),
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
	}
	cs.MaxAge(cs.Options.MaxAge)
	return cs
}

// startSession records a new login for user and sets its cookie.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, userID int64) error {
	token := hex.EncodeToString(randomBytes(32))
	if _, err := s.store.CreateSession(r.Context(), userID, []byte(token), sessionTTL, r.UserAgent()); err != nil {
		return err
	}
	sess, _ := s.cookies.New(r, sessionCookie) // a stale cookie is simply replaced
	sess.Values["token"] = token
	sess.Options.Secure = clientOf(r).https
	return sess.Save(r, w)
}

// currentSession returns the login the request's cookie belongs to, or
// errNoSession when there is none: no cookie, a forged or expired one, or
// one whose login has ended.
func (s *Server) currentSession(r *http.Request) (db.Session, error) {
	sess, err := s.cookies.New(r, sessionCookie)
	if err != nil {
		return db.Session{}, errNoSession
	}
	token, ok := sess.Values["token"].(string)
	if !ok || token == "" {
		return db.Session{}, errNoSession
	}
	login, err := s.store.SessionByToken(r.Context(), []byte(token))
	if errors.Is(err, db.ErrNotFound) {
		return db.Session{}, errNoSession
	}
	return login, err
}

// endSession deletes the login on the server and clears its cookie.
func (s *Server) endSession(w http.ResponseWriter, r *http.Request, id int64) error {
	if err := s.store.DeleteSession(r.Context(), id); err != nil {
		return err
	}
	return s.clearSessionCookie(w, r)
}

// clearSessionCookie tells the browser to forget its login.
func (s *Server) clearSessionCookie(w http.ResponseWriter, r *http.Request) error {
	sess, _ := s.cookies.New(r, sessionCookie)
	sess.Options.MaxAge = -1
	sess.Options.Secure = clientOf(r).https
	return sess.Save(r, w)
}

type sessionKey struct{}

// requireLogin runs next with the request's login in its context, and
// sends everyone else to the login page.
func (s *Server) requireLogin(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		login, err := s.currentSession(r)
		if errors.Is(err, errNoSession) {
			s.toLogin(w, r)
			return
		}
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		s.touch(r, login)
		ctx := context.WithValue(r.Context(), sessionKey{}, login)
		next(w, r.WithContext(withPersonsLang(ctx, r, login)))
	}
}

// withPersonsLang is ctx saying things in the person's chosen language,
// or, when they chose none, their browser's.
func withPersonsLang(ctx context.Context, r *http.Request, login db.Session) context.Context {
	if login.Language == "" {
		return ctx // withLang chose the browser's already
	}
	return lang.With(ctx, lang.Choose(login.Language, r.Header.Get("Accept-Language")))
}

// touch records when the login was last used, for Settings: to within a
// few minutes, so that few requests write.
func (s *Server) touch(r *http.Request, login db.Session) {
	if time.Since(time.UnixMilli(login.LastActive)) <= db.TouchEvery {
		return
	}
	if err := s.store.TouchSession(r.Context(), login.ID); err != nil {
		s.log.Error("touch session", "err", err, "session_id", login.ID)
	}
}

// sessionOf returns the login requireLogin put in the request context.
func sessionOf(r *http.Request) db.Session {
	return r.Context().Value(sessionKey{}).(db.Session)
}

// toLogin sends a signed-out visitor to the login page; for an htmx request
// it asks htmx to navigate there instead of swapping a login form into a
// fragment.
func (s *Server) toLogin(w http.ResponseWriter, r *http.Request) {
	login := views.LoginLink(nextOf(r))
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", login)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	http.Redirect(w, r, login, http.StatusSeeOther)
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand documents this since Go 1.24)
	return b
}
