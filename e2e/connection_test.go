package e2e

import (
	"testing"
)

// countSockets makes the page count the websockets it opens (a probe of
// the test's own, wrapped around the browser's WebSocket).
const countSockets = `(() => {
	if (window.__sockets !== undefined) return true;
	window.__sockets = 0;
	const Real = WebSocket;
	window.WebSocket = function (url, protocols) { window.__sockets++; return new Real(url, protocols); };
	Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
	return true;
})()`

// triesAtOnce reports whether doing something makes the page open a
// socket right away, in the same turn.
func triesAtOnce(action string) string {
	return `(() => { const n = window.__sockets; ` + action + `; return window.__sockets > n })()`
}

// Cut off, the page says so, offers Retry now, and no longer claims to
// know who is online; it tries again within a second, backs off to at
// most 10 s, and tries at once on Retry now, on coming back online and
// on being shown. Once the server is back, it is live again.
func TestReconnectingIsQuickAndSaidSo(t *testing.T) {
	s, a, b := aliceAndBob(t)
	befriend(s, a, "bob", b)
	b.open(s, "/friends")
	a.open(s, "/chats/bob")
	a.waitFor("bob online", contains("#peer-presence", "online"))
	eval[bool](a, countSockets)

	duringOutage([]*tab{a, b}, func() {
		s.stop()
		a.waitFor("the page to notice", `document.body.dataset.socket === 'closed'`)
		a.waitFor("the banner", `!document.getElementById('connection').hidden`)
		if got := a.text("#connection-text"); got != "Reconnecting…" {
			t.Errorf("the banner says %q", got)
		}
		if eval[bool](a, `document.getElementById('retry-now').hidden`) {
			t.Error("no Retry now button")
		}
		if got := a.text("#peer-presence > span[aria-hidden]"); got != "unknown" {
			t.Errorf("cut off, bob's presence reads %q", got)
		}
		if got := eval[string](a, `document.querySelector('#peer-presence .presence .visually-hidden').textContent`); got != "unknown" {
			t.Errorf("to a screen reader, bob's presence reads %q", got)
		}
		// The delays the page chose: the first under a second, none over
		// ten.
		if d := eval[int](a, `Number(document.body.dataset.reconnectDelay)`); d <= 0 || d >= 1000 {
			t.Errorf("the first try waited %d ms", d)
		}
		if !eval[bool](a, `[...Array(30).keys()].every(n => htmx.config.wsReconnectDelay(n) <= 10000)`) {
			t.Error("a later try waits more than 10 s")
		}
		for _, c := range []struct{ what, action string }{
			{"Retry now", `document.getElementById('retry-now').click()`},
			{"coming back online", `window.dispatchEvent(new Event('online'))`},
			{"being shown again", `document.dispatchEvent(new Event('visibilitychange'))`},
		} {
			// A try may be under way when the action comes; the page then
			// waits for it. Soon one comes with nothing under way.
			a.waitFor(c.what+" to try at once", triesAtOnce(c.action))
		}
		s.restart()
		// A try begun while the server was down may fail after it is
		// back: still the outage's, until the page is live again.
		a.waitFor("live again", `document.body.dataset.socket === 'open' && document.getElementById('connection').hidden`)
	})
	a.waitFor("bob's presence known again", contains("#peer-presence", "online"))
}
