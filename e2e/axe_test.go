package e2e

import (
	"context"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// axeSource is axe-core, vendored for these tests (testdata/axe).
var axeSource = func() string {
	b, err := os.ReadFile("testdata/axe/axe.min.js")
	if err != nil {
		panic(err)
	}
	return string(b)
}()

// The note must name the vendored file with the sha384 it really has.
func TestAxeNoteMatchesTheFile(t *testing.T) {
	note, err := os.ReadFile("testdata/axe/README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`\| axe\.min\.js \| axe-core \| (\S+) \| .* \| (sha384-\S+) \|`).FindSubmatch(note)
	if m == nil {
		t.Fatal("the note does not list axe.min.js")
	}
	sum := sha512.Sum384([]byte(axeSource))
	if got := "sha384-" + base64.StdEncoding.EncodeToString(sum[:]); got != string(m[2]) {
		t.Errorf("axe.min.js: sha384 is %s, the note says %s", got, m[2])
	}
	if !strings.Contains(axeSource, string(m[1])) {
		t.Errorf("axe.min.js does not say it is version %s", m[1])
	}
}

// view is how a page is looked at: width and colour scheme.
type view struct {
	name   string
	width  int64
	height int64
	dark   bool
}

var views = []view{
	{"desktop light", 1280, 800, false},
	{"desktop dark", 1280, 800, true},
	{"phone light", 390, 844, false},
	{"phone dark", 390, 844, true},
}

// setView sizes the tab's page and sets its colour scheme.
func (tb *tab) setView(v view) {
	tb.t.Helper()
	scheme := "light"
	if v.dark {
		scheme = "dark"
	}
	tb.run("view "+v.name,
		chromedp.EmulateViewport(v.width, v.height),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
			})
			return err
		}))
}

// axeViolation is what axe reports about one rule.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
		Fail   string `json:"failureSummary"`
	} `json:"nodes"`
}

// checkAccessibility runs axe-core on the page as it is now and fails the
// test on every serious or critical violation.
func (tb *tab) checkAccessibility(what string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	var out string
	yes := true
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, runtime.Evaluate, runtime.EvaluateParams{Expression: axeSource}); err != nil {
			return err
		}
		res, err := cdp.Call(ctx, t, runtime.Evaluate, runtime.EvaluateParams{
			Expression:    `axe.run(document, {resultTypes: ['violations']}).then(r => JSON.stringify(r.violations))`,
			AwaitPromise:  &yes,
			ReturnByValue: &yes,
		})
		if err != nil {
			return err
		}
		if res.ExceptionDetails != nil {
			return fmt.Errorf("axe: %s", res.ExceptionDetails.Text)
		}
		return json.Unmarshal(res.Result.Value, &out)
	}))
	if err != nil {
		tb.t.Fatalf("%s: axe on %s: %v", tb.name, what, err)
	}
	var violations []axeViolation
	if err := json.Unmarshal([]byte(out), &violations); err != nil {
		tb.t.Fatal(err)
	}
	if n := eval[int](tb, `document.querySelectorAll('h1').length`); n != 1 {
		tb.t.Errorf("%s: %s has %d h1 headings, want one", tb.name, what, n)
	}
	for _, v := range violations {
		if v.Impact != "serious" && v.Impact != "critical" {
			continue
		}
		for _, n := range v.Nodes {
			tb.t.Errorf("%s: %s: %s (%s) at %v: %s\n  %s", tb.name, what, v.ID, v.Impact, n.Target, v.Help, strings.ReplaceAll(n.Fail, "\n", "; "))
		}
	}
}

// Every page, signed out and in, passes axe-core with no serious or
// critical finding, light and dark, desktop and phone width.
func TestEveryPageIsAccessible(t *testing.T) {
	s, a, b := aliceAndBob(t)
	befriend(s, a, "bob", b)
	s.seed("bob", "alice", 60) // a history that scrolls
	a.open(s, "/chats/bob")
	a.say("Hello Bob, this is a message long enough to wrap on a phone")
	b.open(s, "/chats/alice")
	b.say("周末一起去爬山吗？🏔️ Hiking on Saturday? https://example.com/trail")
	a.waitFor("bob's answer", shown("周末一起去爬山吗"))
	a.say("好呀！🎉 Saturday at nine")
	b.open(s, "/friends")
	a.say("one Bob has not read")
	// Carol was Alice's friend and is no longer: her chat offers Add
	// friend. She asks Bob, whose friends page shows the request.
	c := newPerson(t, newBrowser(t), "carol")
	c.signup(s, "carol", "Carol")
	befriend(s, a, "carol", c)
	c.open(s, "/chats/alice")
	c.say("Bye for now")
	c.waitFor("the message", shown("Bye for now"))
	c.open(s, "/friends")
	c.run("remove alice", chromedp.Click(chromedp.CSS(`#friend-list .actions button`)),
		chromedp.Click(chromedp.CSS(`#friend-list dialog[open] button.danger`)))
	c.waitFor("alice gone", contains("#friend-list", "No friends yet"))
	c.run("find bob", chromedp.SendKeys(chromedp.CSS("#find"), "bob"))
	c.waitFor("bob in the results", contains("#search-results", "@bob"))
	c.run("add bob", chromedp.Click(chromedp.CSS(`#search-results button.primary`)))
	visitor := newPerson(t, newBrowser(t), "visitor")
	visitor.allow("status of 404") // the page not found is looked at too
	visitor.allow("status of 422") // and the sign-up form sent back

	type page struct {
		tb    *tab
		path  string
		ready string
		then  func(*tab) // brings the page to the state to check, if any
	}
	signUpEmpty := func(tb *tab) {
		tb.run("send the empty form", chromedp.Click(chromedp.CSS(`form button[type=submit]`)))
		tb.waitFor("the errors", `document.querySelector('[aria-invalid="true"]') !== null`)
	}
	pages := []page{
		{visitor, "/signup", `document.querySelector('#username') !== null`, nil},
		{visitor, "/signup", `document.querySelector('#username') !== null`, signUpEmpty},
		{visitor, "/login", `document.querySelector('#username') !== null`, nil},
		{visitor, "/no/such/page", `document.querySelector('h1') !== null`, nil},
		{a, "/", `document.body.dataset.socket === 'open'`, nil},
		{b, "/", `document.body.dataset.socket === 'open' && document.querySelector('#chat-list .badge') !== null`, nil},
		{a, "/chats/bob", `document.body.dataset.socket === 'open'`, nil},
		{c, "/chats/alice", `document.body.dataset.socket === 'open' && document.querySelector('#composer-status button') !== null`, nil},
		{a, "/friends", `document.body.dataset.socket === 'open'`, nil},
		{b, "/friends", `document.body.dataset.socket === 'open' && document.querySelector('#incoming .person') !== null`, nil},
		{a, "/friends?q=b", `document.body.dataset.socket === 'open' && document.querySelector('#search-results .person') !== null`, nil},
		{a, "/search?q=" + url.QueryEscape("周末"), `document.body.dataset.socket === 'open' && document.querySelector('.search-result mark') !== null`, nil},
		{a, "/settings", `document.body.dataset.socket === 'open' && document.querySelector('.device') !== null`, nil},
	}
	for _, v := range views {
		for _, p := range pages {
			p.tb.setView(v)
			p.tb.run("open "+p.path, chromedp.Navigate(s.URL+p.path))
			p.tb.waitFor(p.path, p.ready)
			if p.then != nil {
				p.then(p.tb)
			}
			p.tb.checkAccessibility(p.path + " (" + v.name + ")")
			if p.path == "/chats/bob" && v.dark {
				p.tb.screenshot(strings.ReplaceAll(v.name, " ", "-"))
			}
		}
	}
}
