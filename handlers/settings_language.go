package handlers

import (
	"net/http"

	"chat/lang"
)

// saveLanguage is Save under Language on /settings: one of the languages
// offered, or "" to follow the browser's.
func (s *Server) saveLanguage(w http.ResponseWriter, r *http.Request) {
	me := sessionOf(r).User
	choice := r.PostFormValue("language")
	offered := choice == ""
	for _, c := range lang.Choices {
		offered = offered || c.Tag == choice
	}
	if !offered {
		s.errorPage(w, r, http.StatusBadRequest, t(r, "error.form_unreadable_title"), t(r, "error.form_unreadable"))
		return
	}
	if err := s.store.SetLanguage(r.Context(), me.ID, choice); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/settings?saved=language", http.StatusSeeOther)
}
