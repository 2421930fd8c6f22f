package views

import (
	"context"
	"strconv"
	"time"

	"chat/lang"
)

// Dates and times as a chat app says them, in the reader's language,
// zone and clock: the words and their order come from the catalogues
// ("Monday, 2 January" is "1月2日 星期一"), the numbers from the time.

// date says parts of t in l: the weekday's name, the day, the month's
// name and the year, arranged by the catalogue's message id.
func date(l lang.Lang, id string, t time.Time) string {
	return l.T(id,
		"Weekday", l.T("weekday."+strconv.Itoa(int(t.Weekday()))),
		"Day", t.Day(),
		"Month", l.T("month."+strconv.Itoa(int(t.Month()))),
		"MonthShort", l.T("month_short."+strconv.Itoa(int(t.Month()))),
		"MonthNumber", int(t.Month()),
		"Year", t.Year())
}

// startOfDay is midnight of now's day.
func startOfDay(now time.Time) time.Time {
	return time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
}

// dayLabel names a day the way a chat app does: Today, Yesterday, a
// weekday within the week, else the date.
func dayLabel(l lang.Lang, t, now time.Time) string {
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
	switch days := int(startOfDay(now).Sub(day).Hours()/24 + 0.5); {
	case days == 0:
		return l.T("day.today")
	case days == 1:
		return l.T("day.yesterday")
	case days > 1 && days < 7:
		return l.T("weekday." + strconv.Itoa(int(t.Weekday())))
	case t.Year() == now.Year():
		return date(l, "date.weekday_day_month", t)
	default:
		return date(l, "date.weekday_day_month_year", t)
	}
}

// clock is the time of day as the reader's clock shows it.
func clock(ctx context.Context, t time.Time, hour12 bool) string {
	return clockIn(lang.From(ctx), t, hour12)
}

func clockIn(l lang.Lang, t time.Time, hour12 bool) string {
	if !hour12 {
		return t.Format("15:04")
	}
	half := "time.am"
	if t.Hour() >= 12 {
		half = "time.pm"
	}
	return l.T("time.clock12", "Time", t.Format("3:04"), "Half", l.T(half))
}

// seenAt says when something last happened, as a sentence continues:
// "today at 14:05", "yesterday at 9:30 AM", "on Monday at 18:00", "on 3
// November at 08:15".
func seenAt(ctx context.Context, t, now time.Time, hour12 bool) string {
	l := lang.From(ctx)
	at := clockIn(l, t, hour12)
	today := startOfDay(now)
	switch {
	case !t.Before(today):
		return l.T("seen.today", "Time", at)
	case !t.Before(today.AddDate(0, 0, -1)):
		return l.T("seen.yesterday", "Time", at)
	case !t.Before(today.AddDate(0, 0, -6)):
		return l.T("seen.on", "Date", l.T("weekday."+strconv.Itoa(int(t.Weekday()))), "Time", at)
	case t.Year() == now.Year():
		return l.T("seen.on", "Date", date(l, "date.day_month", t), "Time", at)
	default:
		return l.T("seen.on", "Date", date(l, "date.day_month_year", t), "Time", at)
	}
}

// listTime is the short time shown in a chat list row.
func listTime(ctx context.Context, t, now time.Time, hour12 bool) string {
	l := lang.From(ctx)
	today := startOfDay(now)
	switch {
	case !t.Before(today):
		return clockIn(l, t, hour12)
	case !t.Before(today.AddDate(0, 0, -1)):
		return l.T("day.yesterday")
	case !t.Before(today.AddDate(0, 0, -6)):
		return l.T("weekday_short." + strconv.Itoa(int(t.Weekday())))
	case t.Year() == now.Year():
		return date(l, "date.day_month_short", t)
	default:
		return date(l, "date.day_month_year_short", t)
	}
}
