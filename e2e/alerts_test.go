package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
)

// allowNotifications grants the site the permission to show desktop
// notifications in this person's browser, as a person answering yes would.
func (tb *tab) allowNotifications(s *site) {
	tb.t.Helper()
	tb.run("allow notifications", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		c := chromedp.FromContext(ctx)
		_, err := cdp.Call(ctx, c.Browser, browser.SetPermission, browser.SetPermissionParams{
			Permission:       &browser.PermissionDescriptor{Name: "notifications"},
			Setting:          browser.PermissionSettingGranted,
			Origin:           s.URL,
			BrowserContextID: c.BrowserContextID,
		})
		return err
	}))
}

// watchAlerts makes the page record the sounds it plays and the
// notifications it shows (a probe of the test's own).
const watchAlerts = `(() => {
	window.__sounds = 0;
	window.__notes = [];
	HTMLMediaElement.prototype.play = function () { window.__sounds++; return Promise.resolve(); };
	const Real = Notification;
	window.Notification = function (title, opts) {
		const n = new Real(title, opts);
		window.__notes.push({title: title, body: opts.body, note: n});
		return n;
	};
	Object.defineProperty(window.Notification, 'permission', {get: () => Real.permission});
	return true })()`

// A message that comes while the person's tab is in the background: the
// title alternates with who wrote, the favicon carries a dot, a sound
// plays and, once allowed, a desktop notification shows who wrote and
// what; clicking it opens the chat. A muted chat does none of this, but
// still counts unread.
func TestABackgroundTabIsAlerted(t *testing.T) {
	s, a, b := aliceAndBob(t)
	befriend(s, a, "bob", b)
	a.open(s, "/chats/bob")
	a.say("first, to start the chat")

	b.open(s, "/")
	if eval[bool](b, `document.getElementById('notify-offer').hidden`) {
		t.Error("Enable notifications is not offered")
	}
	b.allowNotifications(s)
	b.open(s, "/")
	if !eval[bool](b, `document.getElementById('notify-offer').hidden`) {
		t.Error("Enable notifications is still offered once allowed")
	}
	eval[bool](b, watchAlerts)
	b.setShown(false)

	a.say("Are you free for lunch?")
	b.waitFor("the title to say who wrote", `document.title === 'New message from Alice'`)
	b.waitFor("the title to alternate back to the count", `document.title.startsWith('(')`)
	if !eval[bool](b, `document.getElementById('favicon').getAttribute('href') === document.body.dataset.iconUnread`) {
		t.Error("the favicon has no dot")
	}
	b.waitFor("the notification", `window.__notes.length === 1`)
	if got := eval[string](b, `window.__notes[0].title + ': ' + window.__notes[0].body`); got != "Alice: Are you free for lunch?" {
		t.Errorf("notification %q", got)
	}
	if n := eval[int](b, `window.__sounds`); n != 1 {
		t.Errorf("%d sounds played, want 1", n)
	}
	// Shown again: the title and the icon are back to normal.
	b.setShown(true)
	b.waitFor("the title back", `document.title === '(2) Chat'`)
	if !eval[bool](b, `document.getElementById('favicon').getAttribute('href') === document.body.dataset.icon`) {
		t.Error("the favicon kept its dot")
	}
	// Clicking the notification opens the chat.
	b.setShown(false)
	eval[bool](b, `(window.__notes[0].note.onclick(), true)`)
	b.waitFor("the chat", `location.pathname === '/chats/alice'`)
	b.live()

	// Sound off, a setting of the person's: the notification shows, no
	// sound plays, and it stays off in a page opened later and in the
	// person's other tab, at once.
	b.setShown(true)
	other := b.anotherTab("bob's other tab")
	other.open(s, "/")
	b.run("sound off", chromedp.Click(chromedp.CSS(`#sound button`)))
	b.waitFor("the sound off", `document.querySelector('#sound button').getAttribute('aria-pressed') === 'false'`)
	other.waitFor("the sound off there too", `document.querySelector('#sound button').getAttribute('aria-pressed') === 'false'`)
	other.close()
	b.open(s, "/chats/alice")
	if got := eval[string](b, `document.querySelector('#sound button').getAttribute('aria-pressed')`); got != "false" {
		t.Errorf("a page opened later says the sound is %q", got)
	}
	eval[bool](b, watchAlerts)
	b.setShown(false)
	a.say("a quiet one")
	b.waitFor("the notification", `window.__notes.length === 1`)
	if n := eval[int](b, `window.__sounds`); n != 0 {
		t.Errorf("%d sounds played with the sound off", n)
	}
	b.setShown(true)
	b.run("sound on", chromedp.Click(chromedp.CSS(`#sound button`)))
	b.waitFor("the sound on", `document.querySelector('#sound button').getAttribute('aria-pressed') === 'true'`)

	// Muted: it counts unread, and alerts nothing.
	b.run("mute", chromedp.Click(chromedp.CSS(`#mute button`)))
	b.waitFor("muted", `document.querySelector('#mute button').textContent.trim() === 'Unmute'`)
	b.open(s, "/")
	eval[bool](b, watchAlerts)
	b.setShown(false)
	a.say("this one is muted")
	b.waitFor("the count", contains("#chat-list .chat-row .badge", "1 unread"))
	if n := eval[int](b, `window.__sounds + window.__notes.length`); n != 0 {
		t.Errorf("a muted chat played %d sounds or notifications", n)
	}
	if title := eval[string](b, `document.title`); strings.Contains(title, "New message") {
		t.Errorf("a muted chat changed the title to %q", title)
	}
}

// Not now puts the offer away in this browser, for good; settings say
// whether the browser shows notifications and offer them again.
func TestNotificationsCanWaitAndSettingsOfferThemAgain(t *testing.T) {
	s, a, _ := aliceAndBob(t)
	a.open(s, "/")
	a.waitFor("the offer", `!document.getElementById('notify-offer').hidden`)
	a.run("not now", chromedp.Click(chromedp.CSS("#notify-later")))
	a.waitFor("the offer put away", `document.getElementById('notify-offer').hidden`)
	a.open(s, "/friends")
	a.open(s, "/")
	if !eval[bool](a, `document.getElementById('notify-offer').hidden`) {
		t.Error("the offer is back after Not now")
	}

	shownState := `[...document.querySelectorAll('[data-notify-state]')].filter(el => !el.hidden).map(el => el.dataset.notifyState).join()`
	a.open(s, "/settings")
	if got := eval[string](a, shownState); got != "default" {
		t.Fatalf("settings show the notification state %q, want default", got)
	}
	if !eval[bool](a, `document.querySelector('[data-notify-state=default] [data-enable-notifications]').checkVisibility()`) {
		t.Error("settings do not offer Enable notifications")
	}
	a.allowNotifications(s)
	a.open(s, "/settings")
	if got := eval[string](a, shownState); got != "granted" {
		t.Errorf("once allowed, settings show the state %q", got)
	}
}
