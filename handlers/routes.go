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
	mux.HandleFunc("GET /friends", s.requireLogin(s.showFriends))

	mux.HandleFunc("GET /static/{hash}/{name...}", serveStatic)
	mux.HandleFunc("/", s.notFound)
	return mux
}
