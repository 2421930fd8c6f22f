package views

import (
	"chat/lang"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

func TestLinkify(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string // links in [brackets]
	}{
		{"no address here", "no address here"},
		{"see https://example.com/a?b=1&c=2 now", "see [https://example.com/a?b=1&c=2] now"},
		{"(at https://en.wikipedia.org/wiki/Go_(language)).", "(at [https://en.wikipedia.org/wiki/Go_(language)])."},
		{"http://x.org, then https://y.org!", "[http://x.org], then [https://y.org]!"},
		{"javascript:alert(1) and ftp://x.org", "javascript:alert(1) and ftp://x.org"},
		{"https:// alone", "https:// alone"},
		{"二维码 https://例子.测试/路径 好", "二维码 [https://例子.测试/路径] 好"},
	} {
		var b strings.Builder
		for _, p := range linkify(c.in) {
			if p.Link {
				b.WriteString("[" + p.Text + "]")
			} else {
				b.WriteString(p.Text)
			}
		}
		if b.String() != c.want {
			t.Errorf("linkify(%q) = %q, want %q", c.in, b.String(), c.want)
		}
	}
}

// A message's addresses are links that open apart and say nothing of
// where they came from; the rest of its text, markup included, is text,
// with nothing added around it.
func TestMessageLinks(t *testing.T) {
	row := MessageRow{ID: 1, Body: "look: https://example.com/x <b>bold</b>\nok", At: time.Date(2026, 11, 27, 15, 4, 0, 0, time.UTC)}
	var b strings.Builder
	if err := messageRow(row, "Bob").Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(b.String()))
	a := doc.Find(".bubble a")
	if a.Length() != 1 || a.AttrOr("href", "") != "https://example.com/x" || a.AttrOr("rel", "") != "noopener noreferrer nofollow" || a.AttrOr("target", "") != "_blank" {
		t.Errorf("link: %s", b.String())
	}
	if got := doc.Find(".bubble .text").Text(); got != "look: https://example.com/x <b>bold</b>\nok" {
		t.Errorf("bubble text %q", got)
	}
	if doc.Find(".bubble b").Length() != 0 {
		t.Error("markup in a message became an element")
	}
}

func TestClock(t *testing.T) {
	at := time.Date(2026, 11, 27, 15, 4, 0, 0, time.UTC)
	if got := clockIn(lang.English, at, false); got != "15:04" {
		t.Errorf("24-hour clock: %q", got)
	}
	if got := clockIn(lang.English, at, true); got != "3:04 PM" {
		t.Errorf("12-hour clock: %q", got)
	}
	if got := listTime(context.Background(), at, at.Add(time.Hour), true); got != "3:04 PM" {
		t.Errorf("today in the chat list, 12-hour clock: %q", got)
	}
}

// A chat row's preview is the message on one line: every run of spaces,
// tabs and line breaks one space, none at either end, at most 80
// characters.
func TestPreview(t *testing.T) {
	long := strings.Repeat("好", 100)
	for _, c := range []struct{ body, want string }{
		{"", ""},
		{"hello there", "hello there"},
		{" hello", "hello"},
		{"hello ", "hello"},
		{"hello  there", "hello there"},
		{"hello\nthere", "hello there"},
		{"hello\u00a0there", "hello there"},
		{"a\tb \r\n c", "a b c"},
		{" ", ""},
		{"你好 世界", "你好 世界"},
		{long, strings.Repeat("好", 79) + "…"},
		{strings.Repeat("好", 80), strings.Repeat("好", 80)},
	} {
		if got := preview(c.body); got != c.want {
			t.Errorf("preview(%q) = %q, want %q", c.body, got, c.want)
		}
	}
}
