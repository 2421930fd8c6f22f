package views

import (
	"chat/lang"
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MarkDays sets the day separators of rows (oldest first): before the
// first row unless prev (the message shown just above them, zero if none)
// is from the same day, and wherever the day changes. Times are in the
// viewer's zone; now names "Today".
func MarkDays(l lang.Lang, rows []MessageRow, prev, now time.Time) {
	for i := range rows {
		if i > 0 {
			prev = rows[i-1].At
		}
		rows[i].Day, rows[i].DayKey = "", ""
		if prev.IsZero() || !sameDay(prev, rows[i].At) {
			rows[i].Day, rows[i].DayKey = dayLabel(l, rows[i].At, now), rows[i].At.Format("20060102")
		}
	}
}

// DayKey is the id suffix of the separator of t's day.
func DayKey(t time.Time) string { return t.Format("20060102") }

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// preview is the first line-ish of a message, for the chat list.
func preview(body string) string {
	const max = 80
	s := body
	if !singleSpaced(body) {
		s = strings.Join(strings.Fields(body), " ")
	}
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max-1]) + "…"
}

// reactionShown is a reaction under a message: the emoji, and how many
// chose it when more than one did.
func reactionShown(r ReactionCount) string {
	if r.Count > 1 {
		return r.Emoji + " " + strconv.Itoa(r.Count)
	}
	return r.Emoji
}

// singleSpaced reports whether s is already as preview shows it: words
// apart by single spaces, none at either end. Most messages are, and
// are then shown without being split and joined again.
func singleSpaced(s string) bool {
	prevSpace := true // a space at the start is one too many
	for _, r := range s {
		space := unicode.IsSpace(r)
		if space && (r != ' ' || prevSpace) {
			return false
		}
		prevSpace = space
	}
	return !prevSpace || s == ""
}

// rowPreview is a chat row's preview, marked when the viewer wrote it.
func rowPreview(ctx context.Context, r ChatRow) string {
	text := preview(r.Preview)
	if r.Deleted {
		text = t(ctx, "message.deleted")
	}
	if r.Mine {
		return t(ctx, "you_prefix") + text
	}
	return text
}

// textPart is a run of a message's text: plain, or a link.
type textPart struct {
	Text string
	Link bool
}

// urlPattern finds web addresses in a message; linkify trims what
// punctuation ends them.
var urlPattern = regexp.MustCompile(`https?://[^\s<>"]+`)

// linkify cuts a message into plain text and http(s) addresses, which
// the page shows as links. Nothing else in a message becomes markup.
func linkify(s string) []textPart {
	if !strings.Contains(s, "http") {
		return []textPart{{Text: s}}
	}
	var parts []textPart
	last := 0
	for _, m := range urlPattern.FindAllStringIndex(s, -1) {
		start, end := m[0], m[1]
		end = start + len(trimURL(s[start:end]))
		if u, err := url.Parse(s[start:end]); err != nil || u.Host == "" {
			continue
		}
		if start > last {
			parts = append(parts, textPart{Text: s[last:start]})
		}
		parts = append(parts, textPart{Text: s[start:end], Link: true})
		last = end
	}
	if last < len(s) {
		parts = append(parts, textPart{Text: s[last:]})
	}
	return parts
}

// trimURL drops from the end of an address found in text the punctuation
// that ends the sentence around it, and a closing bracket it did not open.
func trimURL(u string) string {
	for len(u) > 0 {
		c := u[len(u)-1]
		switch {
		case strings.IndexByte(".,;:!?'*", c) >= 0:
		case c == ')' && strings.Count(u, "(") < strings.Count(u, ")"):
		case c == ']' && strings.Count(u, "[") < strings.Count(u, "]"):
		default:
			return u
		}
		u = u[:len(u)-1]
	}
	return u
}

// loginLink and signupLink go to the other form, keeping the page to go
// to afterwards.
func loginLink(next string) string { return withNext("/login", next) }

// LoginLink is the login page's address, to return to next afterwards.
func LoginLink(next string) string  { return loginLink(next) }
func signupLink(next string) string { return withNext("/signup", next) }

func withNext(path, next string) string {
	if next == "" {
		return path
	}
	return path + "?next=" + url.QueryEscape(next)
}

// unreadText is the divider above the first unread message.
func unreadText(ctx context.Context, n int) string { return lang.From(ctx).N("divider.unread", n) }

// requestsText is the request badge as a screen reader says it.
func requestsText(ctx context.Context, n int) string { return lang.From(ctx).N("badge.requests", n) }

// initial is the letter shown in someone's avatar.
func initial(name string) string {
	r, _ := utf8.DecodeRuneInString(strings.TrimSpace(name))
	if r == utf8.RuneError {
		return "?"
	}
	return strings.ToUpper(string(r))
}

var avatarColors = [...]string{"0", "1", "2", "3", "4", "5", "6", "7"}

// avatarColor picks one of a few colours from the user id, so a person
// keeps their colour everywhere.
func avatarColor(id int64) string { return avatarColors[id%8] }

func isoTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
