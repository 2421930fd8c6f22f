package handlers

import (
	"net/http"
	"time"

	"chat/viewmodel"
	"chat/views"
)

// savedNotices are what /settings says after each kind of change
// (?saved=...).
var savedNotices = map[string]string{
	"1":        "Saved.",
	"password": "Your password is changed. You are signed out everywhere else.",
	"sessions": "You are signed out everywhere else.",
	"profile":  "Your name is changed; your friends see it now.",
	"picture":  "Your picture is changed; your friends see it now.",
}

// showSettings is /settings; after a change it says what was done.
func (s *Server) showSettings(w http.ResponseWriter, r *http.Request) {
	s.renderSettings(w, r, http.StatusOK, func(v *views.Settings) {
		v.Notice = savedNotices[r.URL.Query().Get("saved")]
	})
}

// renderSettings renders the settings page as it is now, with what
// adjust adds (a notice, a form's errors).
func (s *Server) renderSettings(w http.ResponseWriter, r *http.Request, status int, adjust func(*views.Settings)) {
	login := sessionOf(r)
	me := login.User
	ctx := r.Context()
	p, list, err := s.pageBesideChats(r, me, "Settings", views.SectionSettings)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	on, err := s.store.ReadReceipts(ctx, me.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	lastSeen, err := s.store.ShowLastSeen(ctx, me.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	large, _, err := s.store.Avatar(ctx, me.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	devices, err := s.store.Devices(ctx, me.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	lc := s.locale(r)
	v := views.Settings{
		DisplayName:  me.DisplayName,
		Avatar:       viewmodel.AvatarURL(large),
		ReadReceipts: on,
		ShowLastSeen: lastSeen,
		Sounds:       p.Viewer.Sounds,
		Devices:      viewmodel.Devices(devices, login.ID, lc),
		Now:          time.Now().In(lc.Zone),
		Hour12:       lc.Hour12,
	}
	adjust(&v)
	s.render(w, r, status, views.SettingsPage(p, list, v))
}
