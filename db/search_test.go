package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// search returns the bodies alice's search for q finds, newest first.
func searchBodies(t *testing.T, s *testStore, me User, q string) []string {
	t.Helper()
	found, _, err := s.Search(context.Background(), me.ID, q, 0, 50)
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	var out []string
	for _, f := range found {
		out = append(out, f.Body)
	}
	return out
}

func sameStrings(a, b []string) bool {
	return fmt.Sprint(a) == fmt.Sprint(b)
}

func TestSearchFindsWordsAndAnyPartOfChineseText(t *testing.T) {
	s := mustOpen(t)
	alice, bob, carol := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob"), mustCreateUser(t, s, "carol")
	mustBefriend(t, s, alice, bob)
	mustBefriend(t, s, bob, carol)
	mustSend(t, s, alice, bob, "Hello world, see you at lunch")
	mustSend(t, s, bob, alice, "你好世界，今天天气很好")
	mustSend(t, s, alice, bob, "The weather is fine; 天气 too")
	mustSend(t, s, bob, carol, "hello carol, 今天天气很好") // not alice's

	for _, c := range []struct {
		q    string
		want []string
	}{
		{"hello", []string{"Hello world, see you at lunch"}},
		{"HEL", []string{"Hello world, see you at lunch"}},
		{"orld", nil}, // words by their beginnings
		{"lunch world", []string{"Hello world, see you at lunch"}},
		{"world dinner", nil}, // every word
		{"世界", []string{"你好世界，今天天气很好"}},
		{"好世", []string{"你好世界，今天天气很好"}},
		{"天气", []string{"The weather is fine; 天气 too", "你好世界，今天天气很好"}},
		{"天气很好", []string{"你好世界，今天天气很好"}},
		{"世界天气", nil}, // a run is found as written
		{"气 fine", []string{"The weather is fine; 天气 too"}},
	} {
		if got := searchBodies(t, s, alice, c.q); !sameStrings(got, c.want) {
			t.Errorf("search %q found %q, want %q", c.q, got, c.want)
		}
	}

	// Where the words matched, for highlighting.
	found, _, err := s.Search(context.Background(), alice.ID, "今天 hel", 0, 10)
	if err != nil || len(found) != 0 {
		t.Errorf("a word and a run that are in no one message: %v, %v", found, err)
	}
	found, _, _ = s.Search(context.Background(), alice.ID, "天气 THE", 0, 10)
	if len(found) != 1 {
		t.Fatalf("found %d", len(found))
	}
	var marked []string
	for _, sp := range found[0].Matches {
		marked = append(marked, found[0].Body[sp.Start:sp.End])
	}
	if !sameStrings(marked, []string{"The", "天气"}) {
		t.Errorf("marked %q", marked)
	}
	if found[0].Peer.ID != bob.ID || found[0].RecipientID != bob.ID {
		t.Errorf("found with peer %+v, recipient %d", found[0].Peer, found[0].RecipientID)
	}
}

// SQLite's unicode61 tokenizer alone reads a run of Chinese as one word:
// a search for part of it finds nothing. This is why the index holds
// pairs of characters.
func TestUnicode61AloneMissesPartsOfChinese(t *testing.T) {
	ctx := context.Background()
	plain, err := sql.Open(driverName, filepath.Join(t.TempDir(), "plain.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	if _, err := plain.ExecContext(ctx, `CREATE VIRTUAL TABLE plain USING fts4(body, tokenize=unicode61)`); err != nil {
		t.Fatal(err)
	}
	if _, err := plain.ExecContext(ctx, `INSERT INTO plain (body) VALUES ('你好世界，今天天气很好')`); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := plain.QueryRowContext(ctx, `SELECT COUNT(*) FROM plain WHERE plain MATCH '世界'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("unicode61 found 世界 inside a run: the test no longer shows why pairs are indexed")
	}
	s := mustOpen(t)
	alice, bob := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob")
	mustBefriend(t, s, alice, bob)
	mustSend(t, s, alice, bob, "你好世界，今天天气很好")
	if got := searchBodies(t, s, alice, "世界"); len(got) != 1 {
		t.Errorf("the message index did not find 世界: %q", got)
	}
}

// The index follows every change to a message in the same transaction,
// and a search never returns what its person can no longer see.
func TestSearchFollowsEditsDeletionsAndClearedChats(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	alice, bob := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob")
	mustBefriend(t, s, alice, bob)
	edited := mustSend(t, s, alice, bob, "meet at the station")
	gone := mustSend(t, s, alice, bob, "station secret plan")
	hidden := mustSend(t, s, bob, alice, "station photo")
	both := func(q string) (a, b []string) { return searchBodies(t, s, alice, q), searchBodies(t, s, bob, q) }

	if err := s.EditMessage(ctx, alice.ID, bob.ID, edited.ID, "meet at the harbour"); err != nil {
		t.Fatal(err)
	}
	if a, b := both("harbour"); len(a) != 1 || len(b) != 1 {
		t.Errorf("the edited text: alice %q, bob %q", a, b)
	}
	if err := s.DeleteForEveryone(ctx, alice.ID, bob.ID, gone.ID); err != nil {
		t.Fatal(err)
	}
	if a, b := both("secret"); len(a)+len(b) != 0 {
		t.Errorf("deleted for everyone, still found: alice %q, bob %q", a, b)
	}
	if err := s.HideMessage(ctx, alice.ID, bob.ID, hidden.ID); err != nil {
		t.Fatal(err)
	}
	if a, b := both("photo"); len(a) != 0 || len(b) != 1 {
		t.Errorf("deleted for alice only: alice %q, bob %q", a, b)
	}
	if a, b := both("station"); len(a) != 0 || !sameStrings(b, []string{"station photo"}) {
		t.Errorf("station: alice %q, bob %q", a, b)
	}
	var rows int
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM message_search WHERE message_search MATCH 'secret OR station'`).Scan(&rows); err != nil || rows != 1 {
		t.Errorf("the index holds %d rows for the deleted texts (%v); want only bob's photo", rows, err)
	}

	// Alice deletes the chat: nothing before it is found for her, a new
	// message is; Bob still finds his copy. When he deletes it too, the
	// messages neither copy holds and their index rows are gone.
	if err := s.DeleteChat(ctx, alice.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	mustSend(t, s, bob, alice, "harbour again")
	if a, b := both("harbour"); !sameStrings(a, []string{"harbour again"}) || len(b) != 2 {
		t.Errorf("after alice cleared the chat: alice %q, bob %q", a, b)
	}
	if err := s.DeleteChat(ctx, bob.ID, alice.ID); err != nil {
		t.Fatal(err)
	}
	if a, b := both("harbour"); !sameStrings(a, []string{"harbour again"}) || len(b) != 0 {
		t.Errorf("after both cleared the chat: alice %q, bob %q", a, b)
	}
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM message_search WHERE message_search MATCH 'harbour OR meet'`).Scan(&rows); err != nil || rows != 1 {
		t.Errorf("after both cleared the chat the index holds %d rows (%v), want alice's one", rows, err)
	}
}

func TestSearchPagesAndRefusesShortQueries(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	alice, bob := mustCreateUser(t, s, "alice"), mustCreateUser(t, s, "bob")
	mustBefriend(t, s, alice, bob)
	var ids []int64
	for i := range 5 {
		ids = append(ids, mustSend(t, s, alice, bob, fmt.Sprintf("report number %d", i)).ID)
	}
	var got []int64
	before := int64(0)
	for page := 0; ; page++ {
		found, more, err := s.Search(ctx, alice.ID, "report", before, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range found {
			got = append(got, f.ID)
		}
		if !more {
			break
		}
		before = found[len(found)-1].ID
		if page > 5 {
			t.Fatal("paging does not end")
		}
	}
	if fmt.Sprint(got) != fmt.Sprint([]int64{ids[4], ids[3], ids[2], ids[1], ids[0]}) {
		t.Errorf("pages gave %v, want %v newest first", got, ids)
	}
	for _, q := range []string{"", " ", "r", "好", "!?", "*"} {
		if _, _, err := s.Search(ctx, alice.ID, q, 0, 10); !errors.Is(err, ErrSearchTooShort) {
			t.Errorf("search %q: %v, want too short", q, err)
		}
	}
	// What looks like query syntax is searched for as words.
	for _, q := range []string{`"report`, `report*`, `report OR x`, `NEAR(report)`, `people:u1`, `-report`, `report AND`} {
		if _, _, err := s.Search(ctx, alice.ID, q, 0, 10); err != nil {
			t.Errorf("search %q: %v", q, err)
		}
	}
	if got := searchBodies(t, s, alice, `"number 3"`); !sameStrings(got, []string{"report number 3"}) {
		t.Errorf("quotes: %q", got)
	}
}

// Whatever a person types, a search finds messages or says the query is
// too short: nothing typed reaches the index as query syntax, and every
// mark lies on the text at a character's edges.
func FuzzSearch(f *testing.F) {
	s := mustOpen(f)
	alice, bob := mustCreateUser(f, s, "alice"), mustCreateUser(f, s, "bob")
	mustBefriend(f, s, alice, bob)
	for _, body := range []string{"Hello world", "你好世界，今天天气很好", "naïve café ǅemal", "a-b c_d e.f", "ÀÉÎ ﬁne"} {
		mustSend(f, s, alice, bob, body)
	}
	for _, q := range []string{"hello", `"`, "*", "NEAR(x", "天气", "a-b", "people:u1", "OR", "x AND y", "\x00\xff", "ǅ", "^he", "ﬁ", "e\u0301"} {
		f.Add(q)
	}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, q string) {
		found, _, err := s.Search(ctx, alice.ID, q, 0, 20)
		if err != nil && !errors.Is(err, ErrSearchTooShort) {
			t.Fatalf("search %q: %v", q, err)
		}
		for _, m := range found {
			for _, sp := range m.Matches {
				if sp.Start < 0 || sp.End > len(m.Body) || sp.Start >= sp.End || !utf8.RuneStart(m.Body[sp.Start]) || (sp.End < len(m.Body) && !utf8.RuneStart(m.Body[sp.End])) {
					t.Fatalf("search %q: mark %v on %q", q, sp, m.Body)
				}
			}
		}
	})
}
