package e2e

import (
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"
)

// noEnglish is a JavaScript test that the page, as a person sees and
// hears it (its text, and the labels, titles and placeholders screen
// readers and fields give), holds no English word but the allowed names.
const noEnglish = `(() => {
	const allowed = /\b(?:zhang|lisi|Chrome|Linux|JPEG|PNG|GIF|WebP|MB|KB|zip|English)\b|@\w+/g;
	const texts = [document.title, document.body.innerText];
	document.querySelectorAll('[aria-label], [title], [placeholder], [alt]').forEach(el => {
		['aria-label', 'title', 'placeholder', 'alt'].forEach(a => texts.push(el.getAttribute(a) || ''));
	});
	return texts.map(t => t.replace(allowed, '')).join(' ').match(/[A-Za-z]{2,}/g) || [];
})()`

// A person whose browser asks for Chinese signs up, chats, finds a
// message and opens every page: all of it in Chinese, the live updates
// too, with dates and times as Chinese readers write them.
func TestEveryPageInChinese(t *testing.T) {
	s := startSite(t)
	zh := newBrowser(t, chromedp.Flag("accept-lang", "zh-CN,zh"), chromedp.Flag("lang", "zh-CN"))
	a := newPerson(t, zh, "zhang")
	a.signup(s, "zhang", "张三")
	b := newPerson(t, zh, "lisi")
	b.signup(s, "lisi", "李四")
	befriend(s, a, "lisi", b)
	a.open(s, "/chats/lisi")
	b.open(s, "/chats/zhang")
	a.say("你好，明天一起吃午饭吗？")
	b.waitFor("the message", shown("明天一起吃午饭"))
	b.say("好的，十二点见 🍜")
	a.waitFor("the answer", shown("十二点见"))
	a.waitFor("read", `document.querySelector('#messages .msg.mine .ticks .visually-hidden')?.textContent === '已读'`)
	if got := eval[string](a, `document.documentElement.lang`); got != "zh-Hans" {
		t.Errorf("the page is in %q", got)
	}
	a.screenshot("zh-conversation")

	visitor := newPerson(t, zh, "visitor")
	visitor.allow("status of 404")
	for _, p := range []struct {
		tb    *tab
		path  string
		ready string
	}{
		{visitor, "/login", `document.querySelector('#username') !== null`},
		{visitor, "/signup", `document.querySelector('#username') !== null`},
		{visitor, "/no/such/page", `document.querySelector('h1') !== null`},
		{a, "/", `document.body.dataset.socket === 'open'`},
		{a, "/chats/lisi", `document.body.dataset.socket === 'open'`},
		{a, "/friends", `document.body.dataset.socket === 'open'`},
		{a, "/friends?q=l", `document.querySelector('#search-results .person') !== null`},
		{a, "/search?q=" + url.QueryEscape("十二点"), `document.querySelector('.search-result mark') !== null`},
		{a, "/settings", `document.querySelector('.device') !== null`},
	} {
		p.tb.run("open "+p.path, chromedp.Navigate(s.URL+p.path))
		p.tb.waitFor(p.path, p.ready)
		if left := eval[[]string](p.tb, noEnglish); len(left) != 0 {
			t.Errorf("%s still says in English: %v", p.path, left)
		}
	}
	a.screenshot("zh-settings")
	a.checkAccessibility("settings in Chinese")

	// Cut off, the page says so in Chinese.
	a.open(s, "/")
	a.goOffline()
	if got := a.text("#connection-text"); got != "正在重新连接…" {
		t.Errorf("cut off, the page says %q", got)
	}
	a.goOnline()
	a.screenshot("zh-chats")
}
