package handlers

import (
	"net/http"
	"time"

	"chat/lang"
	"chat/viewmodel"
	"chat/views"
)

// savedNotices are the messages /settings says after each kind of change
// (?saved=...).
var savedNotices = map[string]string{
	"1":        "settings.saved",
	"password": "settings.saved_password",
	"sessions": "settings.saved_sessions",
	"profile":  "settings.saved_profile",
	"picture":  "settings.saved_picture",
	"language": "settings.saved_language",
}

// showSettings is /settings; after a change it says what was done.
func (s *Server) showSettings(w http.ResponseWriter, r *http.Request) {
	s.renderSettings(w, r, http.StatusOK, func(v *views.Settings) {
		if id, ok := savedNotices[r.URL.Query().Get("saved")]; ok {
			v.Notice = lang.From(r.Context()).T(id)
		}
	})
}

// renderSettings renders the settings page as it is now, with what
// adjust adds (a notice, a form's errors).
func (s *Server) renderSettings(w http.ResponseWriter, r *http.Request, status int, adjust func(*views.Settings)) {
	login := sessionOf(r)
	me := login.User
	ctx := r.Context()
	p, list, err := s.pageBesideChats(r, me, t(r, "nav.settings"), views.SectionSettings)
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
		ID:           me.ID,
		Name:         me.DisplayName,
		DisplayName:  me.DisplayName,
		Avatar:       viewmodel.AvatarURL(large),
		ReadReceipts: on,
		ShowLastSeen: lastSeen,
		Sounds:       p.Viewer.Sounds,
		Language:     login.Language,
		Devices:      viewmodel.Devices(devices, login.ID, lc),
		Now:          time.Now().In(lc.Zone),
		Hour12:       lc.Hour12,
	}
	adjust(&v)
	s.render(w, r, status, views.SettingsPage(p, list, v))
}
