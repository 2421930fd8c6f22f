package e2e

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// setLocale makes the browser's tab use a locale, as a person's own
// browser would.
func (tb *tab) setLocale(locale string) {
	tb.t.Helper()
	tb.run("locale "+locale, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetLocaleOverride, emulation.SetLocaleOverrideParams{Locale: locale})
		return err
	}))
}

// Addresses in messages are links; near the limit a counter says how
// much room is left; times follow the reader's 12- or 24-hour clock.
func TestLinksCounterAndClock(t *testing.T) {
	s, a, b := aliceAndBob(t)
	befriend(s, a, "bob", b)
	a.setLocale("en_US")
	b.setLocale("en_GB")
	a.open(s, "/chats/bob")
	a.run("reload with the locale's cookies", chromedp.Reload())
	a.live()
	a.say("the plan is at https://example.com/plan?v=2.")
	b.open(s, "/chats/alice")
	b.run("reload with the locale's cookies", chromedp.Reload())
	b.live()
	b.waitFor("the message", shown("the plan is at"))
	link := `document.querySelector('#messages .msg .bubble a')`
	if got := eval[string](b, link+`.href`); got != "https://example.com/plan?v=2" {
		t.Errorf("link to %q", got)
	}
	if got := eval[string](b, link+`.rel + ' ' + `+link+`.target`); got != "noopener noreferrer nofollow _blank" {
		t.Errorf("link rel and target %q", got)
	}
	if got := eval[string](b, `document.querySelector('#messages .msg .bubble').innerText`); !strings.HasSuffix(got, "the plan is at https://example.com/plan?v=2.") {
		t.Errorf("bubble reads %q", got)
	}

	twelve := regexp.MustCompile(`^\d{1,2}:\d{2}\s?[AP]M$`)
	twentyFour := regexp.MustCompile(`^\d{2}:\d{2}$`)
	if got := a.text("#messages .msg time"); !twelve.MatchString(got) {
		t.Errorf("in en-US the time reads %q", got)
	}
	if got := b.text("#messages .msg time"); !twentyFour.MatchString(got) {
		t.Errorf("in en-GB the time reads %q", got)
	}
	if got := a.text("#chat-list .chat-row time"); !twelve.MatchString(got) {
		t.Errorf("in en-US the chat list's time reads %q", got)
	}

	// The counter: silent far from the limit, then says what is left,
	// then how much is too much.
	if !eval[bool](b, `document.getElementById('message-count').hidden`) {
		t.Error("a counter with an empty composer")
	}
	count := func(n int) string {
		return eval[string](b, `(() => { const m = document.getElementById('message'); m.value = 'x'.repeat(`+strconv.Itoa(n)+`);
			m.dispatchEvent(new Event('input', {bubbles: true}));
			const c = document.getElementById('message-count'); return c.hidden ? '' : c.textContent })()`)
	}
	if got := count(3000); got != "" {
		t.Errorf("at 3,000 characters the counter says %q", got)
	}
	if got := count(3900); got != "100 characters left" {
		t.Errorf("at 3,900: %q", got)
	}
	if got := count(4010); got != "10 characters too many" {
		t.Errorf("at 4,010: %q", got)
	}
	count(0)
}
