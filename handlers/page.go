package handlers

import (
	"context"

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
