package handlers

import "net/http"

// routes is the route table: every URL of the site, in one place.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()

	mux.HandleFunc("GET /signup", s.showSignup)
	mux.HandleFunc("POST /signup", s.signup)
	mux.HandleFunc("GET /login", s.showLogin)
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("POST /logout", s.requireLogin(s.logout))

	mux.HandleFunc("GET /{$}", s.requireLogin(s.showChats))
	mux.HandleFunc("GET /chats/{peer}", s.requireLogin(s.showConversation))
	mux.HandleFunc("GET /chats/{peer}/messages", s.requireLogin(s.olderMessages))
	mux.HandleFunc("POST /chats/{peer}/delete", s.requireLogin(s.deleteChat))

	mux.HandleFunc("GET /friends", s.requireLogin(s.showFriends))
	mux.HandleFunc("GET /friends/search", s.requireLogin(s.searchPeople))
	mux.HandleFunc("POST /friends/requests", s.requireLogin(s.sendFriendRequest))
	mux.HandleFunc("POST /friends/requests/{id}/cancel", s.requireLogin(s.cancelFriendRequest))
	mux.HandleFunc("POST /friends/requests/{id}/{answer}", s.requireLogin(s.answerFriendRequest))
	mux.HandleFunc("POST /friends/{username}/remove", s.requireLogin(s.removeFriend))

	mux.HandleFunc("GET /ws", s.openSocket)

	mux.HandleFunc("GET /static/{hash}/{name...}", serveStatic)
	mux.HandleFunc("/", s.notFound)
	return mux
}
