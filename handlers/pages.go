package handlers

import (
	"net/http"

	"chat/views"
)

// page builds the layout's view model for the signed-in viewer.
func (s *Server) page(r *http.Request, title string, section views.Section) views.Page {
	login := sessionOf(r)
	return views.Page{
		Title:   title,
		Section: section,
		Viewer: views.Viewer{
			Username:    login.User.Username,
			DisplayName: login.User.DisplayName,
		},
	}
}

func (s *Server) showChats(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, views.ChatsPage(s.page(r, "", views.SectionChats)))
}

func (s *Server) showFriends(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, views.FriendsPage(s.page(r, "Friends", views.SectionFriends)))
}
