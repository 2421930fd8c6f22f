package handlers

import (
	"context"
	"net/http"

	"chat/db"
	"chat/viewmodel"
	"chat/views"
)

// page builds the layout's view model for the signed-in viewer, read in r.
func (s *Server) page(ctx context.Context, r db.Reader, me db.User, title string, section views.Section, socket string) (views.Page, error) {
	v, err := viewmodel.Viewer(ctx, r, me)
	if err != nil {
		return views.Page{}, err
	}
	return views.Page{Title: title, Section: section, Viewer: v, Socket: socket}, nil
}

// pageBesideChats builds the layout's view model and the chat list for a
// page that shows the list beside it (the chat list itself, settings,
// search), with the chat list's live connection.
func (s *Server) pageBesideChats(r *http.Request, me db.User, title string, section views.Section) (views.Page, views.ChatList, error) {
	ctx := r.Context()
	p, err := s.page(ctx, s.store.Reader, me, title, section, "/ws?page=chats")
	if err != nil {
		return views.Page{}, views.ChatList{}, err
	}
	list, err := viewmodel.ChatList(ctx, s.store.Reader, me.ID, s.locale(r))
	return p, list, err
}
