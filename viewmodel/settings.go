package viewmodel

import (
	"strings"
	"time"

	"chat/db"
	"chat/lang"
	"chat/views"
)

// Devices are my logins as Settings lists them: what each browser is,
// which one is this one, and when each was last used.
func Devices(ds []db.Device, current int64, lc views.Locale) []views.Device {
	out := make([]views.Device, len(ds))
	for i, d := range ds {
		out[i] = views.Device{
			SessionID:  d.SessionID,
			Name:       DeviceName(lc.Lang, d.UserAgent),
			Current:    d.SessionID == current,
			ActiveNow:  time.Since(time.UnixMilli(d.LastActive)) < activeNow,
			LastActive: msTime(d.LastActive, lc.Zone),
			SignedIn:   msTime(d.CreatedAt, lc.Zone),
		}
	}
	return out
}

// DeviceName says what a browser is from its User-Agent, as people name
// it: "Chrome on Windows", "Safari on iPhone".
func DeviceName(l lang.Lang, ua string) string {
	browser := ""
	for _, b := range []struct{ token, name string }{
		{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"}, {"FxiOS/", "Firefox"},
		{"CriOS/", "Chrome"}, {"Chrome/", "Chrome"}, {"Safari/", "Safari"},
	} {
		if strings.Contains(ua, b.token) {
			browser = b.name
			break
		}
	}
	system := ""
	for _, s := range []struct{ token, name string }{
		{"iPhone", "iPhone"}, {"iPad", "iPad"}, {"Android", "Android"}, {"Windows", "Windows"},
		{"Mac OS X", "macOS"}, {"CrOS", "ChromeOS"}, {"Linux", "Linux"},
	} {
		if strings.Contains(ua, s.token) {
			system = s.name
			break
		}
	}
	switch {
	case browser == "":
		return l.T("device.a_browser")
	case system == "":
		return browser
	}
	return l.T("device.on", "Browser", browser, "System", system)
}

// activeNow is how recently a login must have been used to count as in
// use now: within the time its LastActive may lag (db.TouchEvery).
const activeNow = db.TouchEvery + time.Minute
