package e2e

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// A person finds an old message from the field above the chat list, by a
// part of Chinese text and by a word's beginning; the result marks the
// match and opens the conversation at the message, beyond the newest page,
// which the page reaches back to.
func TestSearchFindsAndOpensTheMessage(t *testing.T) {
	s, a, b := aliceAndBob(t)
	befriend(s, a, "bob", b)
	b.open(s, "/chats/alice")
	b.say("今天天气很好，我们去公园散步吧？")
	b.say("Bring the umbrella, just in case")
	b.waitFor("sent", shown("Bring the umbrella"))
	s.seed("alice", "bob", 80) // the two are now beyond the first page

	a.open(s, "/")
	a.run("search", chromedp.SendKeys(chromedp.CSS("#chat-search-q"), "天气"+kb.Enter))
	a.waitFor("the results", `document.querySelectorAll('.search-result').length === 1`)
	if got := a.text(".search-result mark"); got != "天气" {
		t.Errorf("marked %q", got)
	}
	if got := a.text("#search-status"); got != "1 message matches “天气”." {
		t.Errorf("status %q", got)
	}
	if got := a.text(".search-result .result-peer"); got != "Bob" {
		t.Errorf("the result names %q", got)
	}

	eval[string](a, `document.getElementById('search-q').value = ''`)
	a.run("search again", chromedp.SendKeys(chromedp.CSS("#search-q"), "umbr"+kb.Enter))
	a.waitFor("the new results", `document.querySelector('.search-result mark')?.textContent === 'umbr'`)
	a.screenshot("search")

	a.run("open the result", chromedp.Click(chromedp.CSS(".search-result")))
	a.waitFor("the message, found", `document.querySelector('#messages .msg.found .text')?.textContent === 'Bring the umbrella, just in case'`)
	if !strings.HasPrefix(a.path(), "/chats/bob") {
		t.Errorf("the result opened %s", a.path())
	}
	a.waitFor("the message in view", `(() => {
		const m = document.querySelector('#messages .msg.found').getBoundingClientRect();
		const h = document.getElementById('history').getBoundingClientRect();
		return m.top >= h.top && m.bottom <= h.bottom })()`)

	// Too short, and nothing found, are said.
	a.open(s, "/search?q=x")
	if got := a.text("#search-status"); got != "Type at least two letters or characters to search for." {
		t.Errorf("a one-letter search says %q", got)
	}
	a.open(s, "/search?q=zebra")
	if got := a.text("#search-status"); got != "No messages match “zebra”." {
		t.Errorf("a search for nothing says %q", got)
	}

	// On a phone in dark mode the search fills the screen.
	a.setView(views[3])
	a.open(s, "/search?q="+url.QueryEscape("天气"))
	if eval[bool](a, `getComputedStyle(document.querySelector('.list-pane')).display !== 'none'`) {
		t.Error("on a phone the chat list shows beside the search")
	}
	a.screenshot("phone-search")
}

// A message far back opens in a page around it; scrolling down loads the
// newer pages, and a message that arrives meanwhile stays below them,
// once.
func TestAnOldResultOpensAroundItAndScrollsDownToTheNewest(t *testing.T) {
	s, a, b := aliceAndBob(t)
	befriend(s, a, "bob", b)
	b.open(s, "/chats/alice")
	b.say("Meet me at the lighthouse")
	b.waitFor("sent", shown("Meet me at the lighthouse"))
	s.seed("alice", "bob", 1100)

	a.open(s, "/search?q=lighthouse")
	a.run("open the result", chromedp.Click(chromedp.CSS(".search-result")))
	a.waitFor("the message, found", `document.querySelector('#messages .msg.found .text')?.textContent === 'Meet me at the lighthouse'`)
	a.waitFor("connected", `document.body.dataset.socket === 'open'`)
	if n := eval[int](a, `document.querySelectorAll('#messages .msg').length`); n > 60 {
		t.Errorf("%d messages on a page opened around an old one", n)
	}
	b.say("fresh news")
	a.waitFor("the live message", shown("fresh news"))
	for i := 0; i < 40 && eval[bool](a, `document.getElementById('newer') !== null`); i++ {
		eval[int](a, `(() => { const h = document.getElementById('history'); h.scrollTop = h.scrollHeight; return 0 })()`)
		a.waitFor("a newer page", `!document.querySelector('#newer.htmx-request') && !document.querySelector('.htmx-settling')`)
		time.Sleep(100 * time.Millisecond)
	}
	ordered := eval[bool](a, `(() => { const ids = [...document.querySelectorAll('#messages .msg[data-id]')].map(m => Number(m.dataset.id));
		return ids.every((id, i) => i === 0 || id > ids[i - 1]) })()`)
	if !ordered {
		t.Error("the messages are not in order once the newest are loaded")
	}
	if got := eval[string](a, `[...document.querySelectorAll('#messages .msg .text')].pop().textContent`); got != "fresh news" {
		t.Errorf("the last message is %q", got)
	}
	if n := shownCount(a, "fresh news"); n != 1 {
		t.Errorf("the live message shows %d times", n)
	}
	if n := shownCount(a, "message 1099"); n != 1 {
		t.Errorf("the newest seeded message shows %d times", n)
	}
}
