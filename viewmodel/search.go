package viewmodel

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"time"
	"unicode/utf8"

	"chat/db"
	"chat/views"
)

// SearchPage is how many results a page of them shows.
const SearchPage = 20

// snippetRunes bounds the text a result shows: a longer message shows the
// part around its first match.
const snippetRunes = 160

// Search runs my search for q (older than message before, 0: from the
// newest) and maps what it found for the search page.
func Search(ctx context.Context, r db.Reader, me int64, q string, before int64, lc views.Locale) (views.Search, error) {
	s := views.Search{Query: q, Now: time.Now().In(lc.Zone)}
	if q == "" {
		s.Status = lc.Lang.T("search.hint")
		return s, nil
	}
	found, more, err := r.Search(ctx, me, q, before, SearchPage)
	switch {
	case errors.Is(err, db.ErrSearchTooShort):
		s.Status = lc.Lang.T("search.too_short")
		return s, nil
	case err != nil:
		return s, err
	}
	for _, f := range found {
		s.Results = append(s.Results, views.SearchResult{
			ID:       f.ID,
			Href:     "/chats/" + url.PathEscape(f.Peer.Username) + "?at=" + strconv.FormatInt(f.ID, 10),
			PeerName: lc.Lang.Name(f.Peer.DisplayName),
			Mine:     f.SenderID == me,
			At:       msTime(f.CreatedAt, lc.Zone),
			Hour12:   lc.Hour12,
			Parts:    snippet(f.Body, f.Matches),
		})
	}
	switch {
	case len(found) == 0 && before > 0:
		s.Status = lc.Lang.T("search.no_older")
	case len(found) == 0:
		s.Status = lc.Lang.T("search.none", "Query", q)
	case more:
		s.Status = lc.Lang.T("search.newest", "Count", len(found), "Query", q)
		s.OlderHref = "/search?q=" + url.QueryEscape(q) + "&before=" + strconv.FormatInt(found[len(found)-1].ID, 10)
	case before == 0:
		s.Status = lc.Lang.N("search.matches", len(found), "Query", q)
	default:
		s.Status = lc.Lang.N("search.older_matches", len(found), "Query", q)
	}
	return s, nil
}

// snippet cuts text into runs, marked where it matched; a long text is
// shown from a little before its first match, with … where it was cut.
func snippet(text string, matches []db.Span) []views.Marked {
	from, to := 0, len(text)
	if utf8.RuneCountInString(text) > snippetRunes {
		first := 0
		if len(matches) > 0 {
			first = matches[0].Start
		}
		from = backRunes(text, first, 40)
		to = forwardRunes(text, from, snippetRunes)
	}
	var parts []views.Marked
	if from > 0 {
		parts = append(parts, views.Marked{Text: "…"})
	}
	at := from
	for _, m := range matches {
		start, end := max(m.Start, from), min(m.End, to)
		if start >= end {
			continue
		}
		if start > at {
			parts = append(parts, views.Marked{Text: text[at:start]})
		}
		parts = append(parts, views.Marked{Text: text[start:end], Mark: true})
		at = end
	}
	if at < to {
		parts = append(parts, views.Marked{Text: text[at:to]})
	}
	if to < len(text) {
		parts = append(parts, views.Marked{Text: "…"})
	}
	return parts
}

// backRunes is the offset n runes before offset i of s (or 0).
func backRunes(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return i
}

// forwardRunes is the offset n runes after offset i of s (or its end).
func forwardRunes(s string, i, n int) int {
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}
