package e2e

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// usePhone makes the tab a 390x844 touch screen, as a phone is.
func (tb *tab) usePhone() {
	tb.t.Helper()
	tb.run("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
	if !eval[bool](tb, `matchMedia('(pointer: coarse)').matches`) {
		tb.t.Fatal("the emulated phone does not say it has a touch screen")
	}
}

// smallTargets lists what a finger can tap on the page that is smaller
// than 44 px either way: buttons, fields and links, but not a link inside
// a sentence or a message (WCAG's inline exception). A check box is
// tapped through its label as well: the label counts for it.
func (tb *tab) smallTargets() []string {
	tb.t.Helper()
	return eval[[]string](tb, `[...document.querySelectorAll('a[href], button, input:not([type=hidden]), textarea, select, summary')]
		.filter(el => !el.closest('p, .visually-hidden'))
		.filter(el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; })
		.filter(el => { const r = el.getBoundingClientRect(); return r.width < 44 || r.height < 44; })
		.filter(el => { const l = el.type === 'checkbox' && el.labels[0]; if (!l) return true;
			const r = l.getBoundingClientRect(); return r.width < 44 || r.height < 44; })
		.map(el => { const r = el.getBoundingClientRect();
			return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' + el.textContent.trim().slice(0, 30) + '" ' +
				Math.round(r.width) + 'x' + Math.round(r.height); })`)
}

// badgesClearOfLabels fails the test if a navigation count covers its
// tab's label.
func (tb *tab) badgesClearOfLabels(what string) {
	tb.t.Helper()
	overlaps := eval[[]string](tb, `[...document.querySelectorAll('.tabs a')].filter(a => {
			const badge = a.querySelector('.badge:not([hidden])');
			if (!badge) return false;
			const l = a.querySelector('span:first-child').getBoundingClientRect(), b = badge.getBoundingClientRect();
			return l.left < b.right && b.left < l.right && l.top < b.bottom && b.top < l.bottom;
		}).map(a => a.textContent.trim())`)
	if len(overlaps) > 0 {
		tb.t.Errorf("%s: the count covers the label of %v", what, overlaps)
	}
	if n := eval[int](tb, `document.querySelectorAll('.tabs .badge:not([hidden])').length`); n != 2 {
		tb.t.Fatalf("%s: %d counts shown in the navigation, want 2", what, n)
	}
}

// namesWhole fails the test if a person's name on the page is cut short
// while the buttons beside it keep their room.
func (tb *tab) namesWhole(what string) {
	tb.t.Helper()
	cut := eval[[]string](tb, `[...document.querySelectorAll('#peer-name, .person .name')]
		.filter(el => el.getClientRects().length > 0 && el.scrollWidth > el.clientWidth)
		.map(el => el.textContent.trim())`)
	if len(cut) > 0 {
		tb.t.Errorf("%s: names cut short: %v", what, cut)
	}
}

// At phone width a conversation fills the screen, composer at the bottom,
// no tab bar; every tap target is 44 px; Enter makes a new line on a touch
// screen and Send sends; the navigation's counts sit clear of the labels.
func TestPhoneLayout(t *testing.T) {
	s, a, b, c := aliceBobAndCarol(t)
	befriend(s, a, "bob", b)
	a.open(s, "/chats/bob")
	for i := range 12 {
		a.say(fmt.Sprintf("message %d from Alice", i))
	}
	c.open(s, "/friends")
	c.run("find bob", chromedp.SendKeys(chromedp.CSS("#find"), "bob"))
	c.waitFor("bob in the results", contains("#search-results", "@bob"))
	c.run("add bob", chromedp.Click(chromedp.CSS(`#search-results button.primary`)))

	// Desktop first: with 12 unread and a request, both counts beside
	// their labels.
	b.open(s, "/")
	b.waitFor("the counts", `document.querySelectorAll('.tabs .badge:not([hidden])').length === 2`)
	b.badgesClearOfLabels("desktop")

	b.usePhone()
	b.open(s, "/")
	b.badgesClearOfLabels("phone")
	if small := b.smallTargets(); len(small) > 0 {
		t.Errorf("chat list: tap targets under 44 px: %v", small)
	}
	if !eval[bool](b, `getComputedStyle(document.querySelector('.tabs')).display !== 'none'`) {
		t.Error("the chat list has no tab bar")
	}
	b.screenshot("phone-chats")

	b.run("open the chat", chromedp.Click(chromedp.CSS("#chat-list .chat-row")))
	b.live()
	b.waitFor("the messages", shown("message 11 from Alice"))
	layout := eval[map[string]float64](b, `(() => {
		const box = id => document.querySelector(id).getBoundingClientRect();
		return {
			height: innerHeight, width: innerWidth,
			headerTop: box('.conv-header').top,
			historyBottom: box('#history').bottom,
			composerTop: box('#composer').top, composerBottom: box('#composer').bottom,
			backWidth: box('.back').width, backHeight: box('.back').height,
			tabBar: box('.tabs').height, topBar: box('.topbar').height,
		};
	})()`)
	if layout["composerBottom"] != layout["height"] {
		t.Errorf("the composer ends %v px down a %v px screen", layout["composerBottom"], layout["height"])
	}
	if layout["headerTop"] != 0 || layout["tabBar"] != 0 || layout["topBar"] != 0 {
		t.Errorf("the conversation does not fill the screen: header at %v, tab bar %v px, top bar %v px",
			layout["headerTop"], layout["tabBar"], layout["topBar"])
	}
	if layout["historyBottom"] != layout["composerTop"] {
		t.Errorf("a band between the history (ends at %v) and the composer (starts at %v)", layout["historyBottom"], layout["composerTop"])
	}
	if layout["backWidth"] < 44 || layout["backHeight"] < 44 {
		t.Errorf("the back arrow is %vx%v px", layout["backWidth"], layout["backHeight"])
	}
	if small := b.smallTargets(); len(small) > 0 {
		t.Errorf("conversation: tap targets under 44 px: %v", small)
	}
	b.namesWhole("conversation")
	// Mute, Block and Delete chat are behind the options button.
	if eval[bool](b, `document.querySelector('#mute button').checkVisibility()`) {
		t.Error("Mute stands in the phone's header")
	}
	b.run("open the chat's options", chromedp.Click(chromedp.CSS(".chat-options-toggle")))
	b.waitFor("the options", `['#mute button', '#block > button', '[commandfor=delete-chat]'].every(s => document.querySelector(s).checkVisibility())`)
	if small := b.smallTargets(); len(small) > 0 {
		t.Errorf("the chat's options: tap targets under 44 px: %v", small)
	}
	b.checkAccessibility("the chat's options on a phone")
	b.run("mute", chromedp.Click(chromedp.CSS("#mute button")))
	b.waitFor("muted", `document.querySelector('#mute button[aria-pressed=true]') !== null`)
	b.run("close the options", chromedp.KeyEvent(kb.Escape))
	b.waitFor("the options closed", `!document.getElementById('chat-options').matches(':popover-open')`)

	// Enter makes a new line; Send sends both lines.
	b.run("type two lines", chromedp.Click(chromedp.CSS("#message")), chromedp.SendKeys(chromedp.CSS("#message"), "first line"), pressEnter(false),
		chromedp.SendKeys(chromedp.CSS("#message"), "second line"))
	if v := eval[string](b, `document.querySelector('#message').value`); v != "first line\nsecond line" {
		t.Errorf("after Enter on a touch screen the composer holds %q", v)
	}
	if n := eval[int](b, `document.querySelectorAll('#messages .msg.mine, #pending li').length`); n != 0 {
		t.Errorf("Enter sent %d messages on a touch screen", n)
	}
	b.run("send", chromedp.Click(chromedp.CSS("#composer button[type=submit]")))
	a.waitFor("both lines", shown("first line\nsecond line"))
	b.screenshot("phone")

	// Back to the chat list: the tab bar is back.
	b.run("back", chromedp.Click(chromedp.CSS(".back")))
	b.live()
	if b.path() != "/" || !eval[bool](b, `document.querySelector('.tabs').getBoundingClientRect().height >= 44`) {
		t.Error("back did not lead to the chat list with its tab bar")
	}

	// The friends page, with a request to answer.
	b.open(s, "/friends")
	b.waitFor("carol's request", contains("#incoming", "Carol"))
	if small := b.smallTargets(); len(small) > 0 {
		t.Errorf("friends page: tap targets under 44 px: %v", small)
	}
	b.namesWhole("friends page")
	b.screenshot("phone-friends")

	// A long name gives way: no page grows wider than the screen. Every
	// page's targets are 44 px.
	b.open(s, "/settings")
	b.run("a long name", chromedp.SetValue(chromedp.CSS("#display_name"), "Robert Bartholomew Fitzgerald-Montgomery 张伟"),
		chromedp.Click(chromedp.CSS(`form[action="/settings/profile"] button`)))
	b.waitFor("the name saved", `document.getElementById('me').textContent.startsWith('Robert')`)
	for _, path := range []string{"/", "/friends", "/settings", "/search?q=message", "/chats/alice"} {
		b.open(s, path)
		// A phone lays out a page wider than its screen, then shows it
		// zoomed out: the page's width grows past the screen's.
		if w := eval[[]int](b, `[innerWidth, screen.width]`); w[0] > w[1] {
			t.Errorf("%s is laid out %d px wide on a %d px screen", path, w[0], w[1])
		}
		if small := b.smallTargets(); len(small) > 0 {
			t.Errorf("%s: tap targets under 44 px: %v", path, small)
		}
	}

	// Signed out: the forms too.
	visitor := newPerson(t, newBrowser(t), "visitor")
	visitor.usePhone()
	for _, path := range []string{"/signup", "/login"} {
		visitor.run("open "+path, chromedp.Navigate(s.URL+path))
		visitor.waitFor(path, `document.querySelector('#username') !== null`)
		if small := visitor.smallTargets(); len(small) > 0 {
			t.Errorf("%s: tap targets under 44 px: %v", path, small)
		}
	}
}
