package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mattn/go-sqlite3"
)

// Search: every message is indexed (message_search, an FTS4 table) in the
// transaction that stores it, by the batch that stores it; triggers on
// messages keep the index in step with every later change in the same
// transaction (an edit, a deletion for everyone, a deletion for me that
// removes the last copy, a chat deleted on both sides). It is indexed
// under its terms: its words, and each
// run of Chinese, Japanese or Korean text as the overlapping pairs of
// characters in it. SQLite's unicode61 tokenizer alone takes a run such
// as 你好世界 for one word, so 世界 would never be found; as 你好 好世 世界
// any part of two or more characters is a phrase of consecutive pairs.
// Words are found by their beginnings (hel finds hello). Each row also
// holds the pair's two people, so a search reads only its person's
// conversations; what they can still see (not deleted for everyone or for
// them, not before where they cleared the chat) is checked on the rows
// found.

// ErrSearchTooShort is a query with fewer than two letters, digits or
// characters of text to search for.
var ErrSearchTooShort = errors.New("db: search: too short")

// driverName is the SQLite driver with the functions the schema uses.
const driverName = "sqlite3_chat"

func init() {
	sql.Register(driverName, &sqlite3.SQLiteDriver{
		ConnectHook: func(c *sqlite3.SQLiteConn) error {
			return c.RegisterFunc("search_terms", searchTerms, true)
		},
	})
}

// isCJK reports whether r is written without spaces between words.
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// isWordRune reports whether r is part of a word (the unicode61
// tokenizer's view, roughly: letters, digits and marks).
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// searchWord is one part of a query: a word (found by its beginning) or
// a run of CJK text (found anywhere), lower-cased.
type searchWord struct {
	text string
	cjk  bool
}

// splitWords cuts text into words and CJK runs, lower-cased, in order.
func splitWords(text string) []searchWord {
	var words []searchWord
	var cur strings.Builder
	curCJK := false
	flush := func() {
		if cur.Len() > 0 {
			words = append(words, searchWord{cur.String(), curCJK})
			cur.Reset()
		}
	}
	for _, r := range text {
		switch {
		case isCJK(r):
			if !curCJK {
				flush()
			}
			curCJK = true
			cur.WriteRune(r)
		case isWordRune(r):
			if curCJK {
				flush()
			}
			curCJK = false
			cur.WriteRune(unicode.ToLower(r))
		default:
			flush()
		}
	}
	flush()
	return words
}

// pairs writes a CJK run as its overlapping pairs of characters, or the
// character itself when it stands alone.
func pairs(b *strings.Builder, run string) {
	rs := []rune(run)
	if len(rs) == 1 {
		b.WriteString(run)
		return
	}
	for i := 0; i+1 < len(rs); i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(rs[i])
		b.WriteRune(rs[i+1])
	}
}

// searchTerms is what a message's text is indexed under (the SQL function
// search_terms): its words, and its CJK runs as pairs.
func searchTerms(body string) string {
	var b strings.Builder
	for i, w := range splitWords(body) {
		if i > 0 {
			b.WriteByte(' ')
		}
		if w.cjk {
			// The pairs, and the run's last character alone: a lone
			// character searched for is the beginning of a pair or that.
			pairs(&b, w.text)
			if rs := []rune(w.text); len(rs) > 1 {
				b.WriteByte(' ')
				b.WriteRune(rs[len(rs)-1])
			}
		} else {
			b.WriteString(w.text)
		}
	}
	return b.String()
}

// searchPeople is what the index's people column holds for a pair.
func searchPeople(a, b int64) string {
	low, high := sorted(a, b)
	return "u" + strconv.FormatInt(low, 10) + " u" + strconv.FormatInt(high, 10)
}

// searchQuery reads what a person typed as the words to find, all of
// them in one message.
func searchQuery(q string) ([]searchWord, error) {
	words := splitWords(q)
	n := 0
	for _, w := range words {
		n += utf8.RuneCountInString(w.text)
	}
	if n < 2 {
		return nil, ErrSearchTooShort
	}
	return words, nil
}

// matchExpr is the full-text query for words in my conversations: each
// word by its beginning, in the terms column; each CJK run as a phrase of
// its pairs (a lone CJK character as the beginning of a pair), which only
// terms can hold. Words are letters, digits and marks, lower-cased, so
// nothing typed is read as query syntax (operators are upper-case); a
// phrase is quoted, and FTS4 does not apply a column filter to a quoted
// phrase, hence none there.
func matchExpr(words []searchWord, me int64) string {
	var b strings.Builder
	b.WriteString(`people:u` + strconv.FormatInt(me, 10))
	for _, w := range words {
		b.WriteByte(' ')
		switch {
		case !w.cjk:
			b.WriteString(`terms:` + w.text + `*`)
		case utf8.RuneCountInString(w.text) == 1:
			b.WriteString(w.text + `*`)
		default:
			b.WriteByte('"')
			pairs(&b, w.text)
			b.WriteByte('"')
		}
	}
	return b.String()
}

// Found is a message a search found, with the person on the other side
// and where in its text each searched word matched.
type Found struct {
	Message
	Peer    User
	Matches []Span
}

// Span is a part of a text, as byte offsets.
type Span struct{ Start, End int }

// Search finds my messages that hold every word of q, newest first,
// older than message before (0: from the newest), at most limit of them;
// more reports whether older ones remain.
func (r Reader) Search(ctx context.Context, me int64, q string, before int64, limit int) (found []Found, more bool, err error) {
	words, err := searchQuery(q)
	if err != nil {
		return nil, false, err
	}
	if before <= 0 {
		before = 1<<63 - 1
	}
	rows, err := r.q.QueryContext(ctx, `
		SELECT `+messageColumns+`, p.id, p.username, p.display_name
		FROM message_search s
		JOIN messages m ON m.id = s.docid
		LEFT JOIN attachments a ON a.message_id = m.id
		JOIN users p ON p.id = m.user_low + m.user_high - ?1
		WHERE message_search MATCH ?2 AND s.docid < ?3 AND ?1 IN (m.user_low, m.user_high) AND m.deleted = 0
			AND m.id > COALESCE((SELECT cleared_through FROM chat_boxes WHERE owner_id = ?1 AND peer_id = p.id), 0)
			AND NOT EXISTS (SELECT 1 FROM hidden_messages h WHERE h.owner_id = ?1 AND h.message_id = m.id)
		ORDER BY s.docid DESC LIMIT ?4`, me, matchExpr(words, me), before, limit+1)
	if err != nil {
		return nil, false, fmt.Errorf("db: search: %w", err)
	}
	found, err = collect(rows, func(f *Found) []any {
		return append(messageFields(&f.Message), &f.Peer.ID, &f.Peer.Username, &f.Peer.DisplayName)
	})
	if err != nil {
		return nil, false, fmt.Errorf("db: search: %w", err)
	}
	if len(found) > limit {
		found, more = found[:limit], true
	}
	for i := range found {
		f := &found[i]
		keepFile(&f.Message)
		if f.SenderID == me {
			f.RecipientID = f.Peer.ID
		} else {
			f.RecipientID = me
		}
		f.Matches = matchSpans(f.Body, words)
	}
	return found, more, nil
}

// matchSpans finds where words match text as the index matched them: a
// word at the beginning of a word of text, a CJK run anywhere, ignoring
// case. The spans are in order and do not overlap.
func matchSpans(text string, words []searchWord) []Span {
	// Lower-case rune by rune, keeping each rune's offset in text.
	var lower []rune
	var offs []int
	for i, r := range text {
		lower = append(lower, unicode.ToLower(r))
		offs = append(offs, i)
	}
	offs = append(offs, len(text))
	marked := make([]bool, len(lower))
	for _, w := range words {
		wr := []rune(w.text)
		for i := 0; i+len(wr) <= len(lower); i++ {
			if !w.cjk && i > 0 && isWordRune(lower[i-1]) && !isCJK(lower[i-1]) {
				continue // not the beginning of a word
			}
			if string(lower[i:i+len(wr)]) == w.text {
				for j := i; j < i+len(wr); j++ {
					marked[j] = true
				}
			}
		}
	}
	var spans []Span
	for i := 0; i < len(marked); i++ {
		if !marked[i] {
			continue
		}
		j := i
		for j < len(marked) && marked[j] {
			j++
		}
		spans = append(spans, Span{offs[i], offs[j]})
		i = j
	}
	return spans
}
