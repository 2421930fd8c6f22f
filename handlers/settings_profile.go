package handlers

import (
	"net/http"
	"strings"

	"chat/lang"
	"chat/views"
)

// saveProfile is Save under Profile on /settings: a new display name,
// checked as at sign-up, shown to friends live.
func (s *Server) saveProfile(w http.ResponseWriter, r *http.Request) {
	me := sessionOf(r).User
	name := strings.TrimSpace(r.PostFormValue("display_name"))
	if problem := displayNameProblem(lang.From(r.Context()), name); problem != "" {
		s.log.Info("display name refused", "user_id", me.ID)
		s.renderSettings(w, r, http.StatusUnprocessableEntity, func(v *views.Settings) {
			v.DisplayName, v.NameError = name, problem
		})
		return
	}
	if err := s.store.SetDisplayName(r.Context(), me.ID, name); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.log.Info("display name changed", "user_id", me.ID)
	http.Redirect(w, r, "/settings?saved=profile", http.StatusSeeOther)
}
