package handlers

import (
	"context"
	"net/http"
	"strconv"

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

// messageParam reads query parameter name as a message id: 0 when it is
// absent, ok false (and a 400 written) when it is not a positive number.
func messageParam(w http.ResponseWriter, r *http.Request, name string) (id int64, ok bool) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, true
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		http.Error(w, name+" must be a message id", http.StatusBadRequest)
		return 0, false
	}
	return id, true
}
