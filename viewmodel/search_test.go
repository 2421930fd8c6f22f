package viewmodel

import (
	"strings"
	"testing"

	"chat/db"
	"chat/views"
)

// joined shows marked runs as [mark].
func joined(parts []views.Marked) string {
	var b strings.Builder
	for _, p := range parts {
		if p.Mark {
			b.WriteString("[" + p.Text + "]")
		} else {
			b.WriteString(p.Text)
		}
	}
	return b.String()
}

// A result shows a short message whole with its matches marked, and a
// long one from a little before its first match, cut with … at either
// end, never inside a character.
func TestSnippet(t *testing.T) {
	if got := joined(snippet("see you at noon, noon!", []db.Span{{Start: 11, End: 15}, {Start: 17, End: 21}})); got != "see you at [noon], [noon]!" {
		t.Errorf("short: %q", got)
	}
	long := strings.Repeat("好", 100) + "天气" + strings.Repeat("很", 200)
	at := len(strings.Repeat("好", 100))
	got := joined(snippet(long, []db.Span{{Start: at, End: at + len("天气")}}))
	want := "…" + strings.Repeat("好", 40) + "[天气]" + strings.Repeat("很", 118) + "…"
	if got != want {
		t.Errorf("long: %q\nwant %q", got, want)
	}
	// A match at the start: no … before it; a match past the cut is
	// left out.
	long = "天气" + strings.Repeat("x", 300) + "天气"
	got = joined(snippet(long, []db.Span{{Start: 0, End: len("天气")}, {Start: len(long) - len("天气"), End: len(long)}}))
	if !strings.HasPrefix(got, "[天气]xxx") || !strings.HasSuffix(got, "x…") || strings.Count(got, "[") != 1 {
		t.Errorf("match at the start: %q", got)
	}
}
