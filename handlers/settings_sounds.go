package handlers

import (
	"net/http"

	"chat/views"
)

// saveSounds is the top bar's Sound button: sounds on or off, for every
// browser of the person's. htmx swaps the answer in for the button.
func (s *Server) saveSounds(w http.ResponseWriter, r *http.Request) {
	me := sessionOf(r).User
	on := r.PostFormValue("sounds") == "on"
	if err := s.store.SetSounds(r.Context(), me.ID, on); err != nil {
		s.serverError(w, r, err)
		return
	}
	if r.Header.Get("HX-Request") != "true" {
		http.Redirect(w, r, "/settings?saved=1", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, views.SoundButton(on, false))
}
