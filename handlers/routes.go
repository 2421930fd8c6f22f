package handlers

import "net/http"

// routes is the route table: every URL of the site, in one place. A
// request that matches no route is answered by noRoute.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()

	mux.HandleFunc("GET /signup", s.showSignup)
	mux.HandleFunc("POST /signup", s.signup)
	mux.HandleFunc("GET /login", s.showLogin)
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("POST /logout", s.requireLogin(s.logout))
	mux.HandleFunc("GET /reset/{token}", s.showReset)
	mux.HandleFunc("POST /reset/{token}", s.reset)

	mux.HandleFunc("GET /{$}", s.requireLogin(s.showChats))
	mux.HandleFunc("GET /chats/{peer}", s.requireLogin(s.showConversation))
	mux.HandleFunc("GET /chats/{peer}/messages", s.requireLogin(s.olderMessages))
	mux.HandleFunc("POST /chats/{peer}/messages", s.requireLogin(s.sendFile))
	mux.HandleFunc("GET /chats/{peer}/messages/{id}/file", s.requireLogin(s.showFile(false)))
	mux.HandleFunc("GET /chats/{peer}/messages/{id}/thumb", s.requireLogin(s.showFile(true)))
	mux.HandleFunc("POST /chats/{peer}/delete", s.requireLogin(s.deleteChat))
	mux.HandleFunc("POST /chats/{peer}/mute", s.requireLogin(s.muteChat(true)))
	mux.HandleFunc("POST /chats/{peer}/unmute", s.requireLogin(s.muteChat(false)))
	mux.HandleFunc("POST /chats/{peer}/messages/{id}/edit", s.requireLogin(s.handleMessageAction("edit", editMessage(s))))
	mux.HandleFunc("POST /chats/{peer}/messages/{id}/delete", s.requireLogin(s.handleMessageAction("delete", deleteForEveryone(s))))
	mux.HandleFunc("POST /chats/{peer}/messages/{id}/hide", s.requireLogin(s.handleMessageAction("hide", deleteForMe(s))))
	mux.HandleFunc("POST /chats/{peer}/messages/{id}/react", s.requireLogin(s.handleMessageAction("react", react(s))))

	mux.HandleFunc("GET /friends", s.requireLogin(s.showFriends))
	mux.HandleFunc("GET /friends/search", s.requireLogin(s.searchPeople))
	mux.HandleFunc("POST /friends/requests", s.requireLogin(s.sendFriendRequest))
	mux.HandleFunc("POST /friends/requests/{id}/cancel", s.requireLogin(s.cancelFriendRequest))
	mux.HandleFunc("POST /friends/requests/{id}/{answer}", s.requireLogin(s.answerFriendRequest))
	mux.HandleFunc("POST /friends/{username}/remove", s.requireLogin(s.removeFriend))
	mux.HandleFunc("POST /people/{username}/block", s.requireLogin(s.blockPerson(true)))
	mux.HandleFunc("POST /people/{username}/unblock", s.requireLogin(s.blockPerson(false)))

	mux.HandleFunc("GET /search", s.requireLogin(s.showSearch))
	mux.HandleFunc("GET /settings", s.requireLogin(s.showSettings))
	mux.HandleFunc("POST /settings", s.requireLogin(s.saveSettings))
	mux.HandleFunc("POST /settings/profile", s.requireLogin(s.saveProfile))
	mux.HandleFunc("POST /settings/sounds", s.requireLogin(s.saveSounds))
	mux.HandleFunc("POST /settings/language", s.requireLogin(s.saveLanguage))
	mux.HandleFunc("POST /settings/avatar", s.requireLogin(s.saveAvatar))
	mux.HandleFunc("POST /settings/avatar/remove", s.requireLogin(s.removeAvatar))
	mux.HandleFunc("GET /avatars/{sum}", s.requireLogin(s.showAvatar))
	mux.HandleFunc("POST /settings/password", s.requireLogin(s.changePassword))
	mux.HandleFunc("POST /settings/sessions/end-others", s.requireLogin(s.endOtherSessions))
	mux.HandleFunc("POST /settings/export", s.requireLogin(s.exportData))
	mux.HandleFunc("POST /settings/delete-account", s.requireLogin(s.deleteAccount))

	mux.HandleFunc("GET /ws", s.openSocket)

	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)

	mux.HandleFunc("GET /static/{hash}/{name...}", serveStatic)
	return s.noRoute(mux)
}

// noRoute answers what the route table has no route for with the site's
// own pages: 404 for an address that does not exist, 405 with Allow for
// one that exists under other methods.
func (s *Server) noRoute(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := mux.Handler(r)
		if pattern != "" {
			if route, ok := r.Context().Value(routeKey{}).(*string); ok {
				*route = pattern
			}
			mux.ServeHTTP(w, r) // which sets the path's values for the handler
			return
		}
		// ServeMux's own answer says which: 404, 405 with the methods
		// allowed, or a redirect to the address's canonical form.
		probe := &answerProbe{header: http.Header{}}
		h.ServeHTTP(probe, r)
		switch probe.code {
		case http.StatusNotFound:
			s.notFound(w, r)
		case http.StatusMethodNotAllowed:
			w.Header().Set("Allow", probe.header.Get("Allow"))
			s.errorPage(w, r, http.StatusMethodNotAllowed, t(r, "error.method_title"), t(r, "error.method", "Method", r.Method))
		default:
			h.ServeHTTP(w, r)
		}
	})
}

// answerProbe keeps the status and headers of an answer and drops its body.
type answerProbe struct {
	header http.Header
	code   int
}

func (p *answerProbe) Header() http.Header { return p.header }
func (p *answerProbe) WriteHeader(code int) {
	if p.code == 0 {
		p.code = code
	}
}
func (p *answerProbe) Write(b []byte) (int, error) {
	p.WriteHeader(http.StatusOK)
	return len(b), nil
}
