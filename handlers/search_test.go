package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"chat/db"
)

// storeText stores one message from one user to another and waits until
// it is in the history.
func storeText(t *testing.T, site *testSite, from, to, body string) int64 {
	t.Helper()
	before := len(site.history(t, from, to))
	err := site.store.QueueMessage(context.Background(), db.NewMessage{
		From: site.user(t, from), To: site.user(t, to), ClientID: fmt.Sprintf("text-%s-%05d", from, before), Body: body})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		h := site.history(t, from, to)
		if len(h) > before {
			return h[len(h)-1].ID
		}
		if time.Now().After(deadline) {
			t.Fatal("the message was not stored")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestSearchPage(t *testing.T) {
	site := newTestSite(t)
	alice, _ := chatPair(t, site)
	noon := storeText(t, site, "bob", "alice", "Lunch at <b>noon</b>? Noon works")
	storeText(t, site, "alice", "bob", "你好世界，今天天气很好")
	storeMessages(t, site, "alice", "bob", 25) // "message 2" … "message 26"

	// Reachable from the chat list.
	_, doc := alice.get("/")
	if doc.Find(`form[action="/search"] input[name="q"]#chat-search-q`).Length() != 1 || labelFor(doc, "chat-search-q") != "Search messages" {
		t.Error("the chat list has no Search messages field")
	}

	resp, doc := alice.get("/search")
	if resp.StatusCode != http.StatusOK || labelFor(doc, "search-q") != "Search messages" || doc.Find("h1").Text() != "Search" {
		t.Fatalf("the empty search page: status %d, label %q", resp.StatusCode, labelFor(doc, "search-q"))
	}
	if !strings.Contains(doc.Find("#search-status").Text(), "Search your messages") || doc.Find(".search-result").Length() != 0 {
		t.Error("the empty search page says nothing or shows results")
	}

	// A match is marked, the text around it is text, not markup.
	_, doc = alice.get("/search?q=" + url.QueryEscape("noon"))
	r := doc.Find(".search-result")
	if r.Length() != 1 {
		t.Fatalf("noon: %d results", r.Length())
	}
	if href, _ := r.Attr("href"); href != fmt.Sprintf("/chats/bob?at=%d", noon) {
		t.Errorf("the result leads to %q", href)
	}
	if r.Find(".result-peer").Text() != "Bob" || r.Find(".result-who").Length() != 0 {
		t.Errorf("the result names %q", r.Find(".result-peer").Text())
	}
	if got := r.Find(".result-text").Text(); got != "Lunch at <b>noon</b>? Noon works" {
		t.Errorf("the result reads %q", got)
	}
	if r.Find("b").Length() != 0 {
		t.Error("the message's text became markup")
	}
	var marks []string
	r.Find("mark").Each(func(_ int, m *goquery.Selection) { marks = append(marks, m.Text()) })
	if fmt.Sprint(marks) != "[noon Noon]" {
		t.Errorf("marked %q", marks)
	}
	if !strings.Contains(doc.Find("#search-status").Text(), "1 message matches “noon”.") {
		t.Errorf("status %q", doc.Find("#search-status").Text())
	}
	if v, _ := doc.Find("#search-q").Attr("value"); v != "noon" {
		t.Errorf("the field holds %q", v)
	}

	// Any part of Chinese text; my own messages say so.
	_, doc = alice.get("/search?q=" + url.QueryEscape("天气"))
	if doc.Find(".search-result mark").Text() != "天气" || doc.Find(".result-who").Text() != "You: " {
		t.Errorf("天气: %q", doc.Find(".search-result").Text())
	}

	// Pages of 20, newest first, then the rest.
	_, doc = alice.get("/search?q=message")
	first := idsOf(doc, ".search-result")
	older, ok := doc.Find("a.older-results").Attr("href")
	if len(first) != 20 || !ok {
		t.Fatalf("first page: %d results, older link %v", len(first), ok)
	}
	_, doc = alice.get(older)
	second := idsOf(doc, ".search-result")
	if len(second) != 5 || doc.Find("a.older-results").Length() != 0 {
		t.Fatalf("second page: %d results", len(second))
	}
	all := append(first, second...)
	for i := 1; i < len(all); i++ {
		if all[i] >= all[i-1] {
			t.Fatalf("results not newest first across pages: %v", all)
		}
	}

	for q, want := range map[string]string{
		"a":        "Type at least two letters or characters to search for.",
		"世":        "Type at least two letters or characters to search for.",
		"zebra":    "No messages match “zebra”.",
		`"noon" *`: "1 message matches “\"noon\" *”.",
	} {
		_, doc = alice.get("/search?q=" + url.QueryEscape(q))
		if got := strings.TrimSpace(doc.Find("#search-status").Text()); got != want {
			t.Errorf("search %q says %q, want %q", q, got, want)
		}
	}
	for _, path := range []string{"/search?q=" + strings.Repeat("x", 201), "/search?q=noon&before=abc", "/search?q=noon&before=-1"} {
		if resp, _ := alice.get(path); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d", path, resp.StatusCode)
		}
	}

	// Nobody else finds them.
	carol := site.newBrowser(t)
	carol.mustSignup("carol", "Carol")
	if _, doc = carol.get("/search?q=noon"); doc.Find(".search-result").Length() != 0 {
		t.Error("carol found alice and bob's message")
	}
	stranger := site.newBrowser(t)
	if resp, _ := stranger.get("/search?q=noon"); resp.Request.URL.Path != "/login" {
		t.Errorf("signed out, /search ended at %s", resp.Request.URL.Path)
	}
}

// idsOf reads data-id of each element sel finds.
func idsOf(doc *goquery.Document, sel string) []int64 {
	var ids []int64
	doc.Find(sel).Each(func(_ int, s *goquery.Selection) {
		var id int64
		fmt.Sscan(s.AttrOr("data-id", ""), &id)
		ids = append(ids, id)
	})
	return ids
}

// labelFor is the text of the label of the field with this id.
func labelFor(doc *goquery.Document, id string) string {
	return strings.TrimSpace(doc.Find(`label[for="` + id + `"]`).Text())
}

// A conversation opened at a message (a search result) reaches back to
// it in its first page, with a few before it, when it is among the
// newest thousand; otherwise it opens as always.
func TestConversationOpensAtAMessage(t *testing.T) {
	site := newTestSite(t)
	alice, bob := chatPair(t, site)
	storeMessages(t, site, "alice", "bob", 400) // her own: nothing unread
	msgs := site.history(t, "alice", "bob")
	target := msgs[199].ID

	_, doc := alice.get("/chats/bob")
	if n := doc.Find("#messages .msg").Length(); n != 50 || doc.Find(fmt.Sprintf("#m-%d", target)).Length() != 0 {
		t.Fatalf("opened as always: %d messages", n)
	}
	_, doc = alice.get(fmt.Sprintf("/chats/bob?at=%d", target))
	if doc.Find(fmt.Sprintf("#m-%d", target)).Length() != 1 {
		t.Fatal("the message asked for is not on the page")
	}
	if n := doc.Find("#messages .msg").Length(); n != 201+25 || doc.Find("#older[hx-get]").Length() != 1 {
		t.Errorf("%d messages on the page, want the 201 from it to the newest and 25 before, then older pages", n)
	}

	// A message of another conversation counts nothing here.
	carol := site.newBrowser(t)
	carol.mustSignup("carol", "Carol")
	befriend(t, bob, carol, "carol")
	other := storeText(t, site, "carol", "bob", "elsewhere")
	if _, doc = alice.get(fmt.Sprintf("/chats/bob?at=%d", other)); doc.Find("#messages .msg").Length() != 50 {
		t.Error("another conversation's message changed the page")
	}
	for _, bad := range []string{"abc", "0", "-3"} {
		if resp, _ := alice.get("/chats/bob?at=" + bad); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("at=%s: status %d", bad, resp.StatusCode)
		}
	}
}

// A message further back opens in a page around it, with loaders above
// and below; the loader below brings newer pages until the newest.
func TestConversationOpensAroundAnOldMessage(t *testing.T) {
	site := newTestSite(t)
	alice, _ := chatPair(t, site)
	storeMessages(t, site, "alice", "bob", 1200)
	msgs := site.history(t, "alice", "bob")
	target := msgs[100].ID

	_, doc := alice.get(fmt.Sprintf("/chats/bob?at=%d", target))
	ids := idsOf(doc, ".msg[data-id]")
	if len(ids) != 51 || ids[25] != target || doc.Find("#older[hx-get]").Length() != 1 {
		t.Fatalf("the page around it: %d messages, the 26th %d (want %d)", len(ids), ids[25], target)
	}
	next, ok := doc.Find("#messages #newer[hx-get]").Attr("hx-get")
	if !ok {
		t.Fatal("no loader for newer messages")
	}
	for pages := 0; ok; pages++ {
		if pages > 30 {
			t.Fatal("the newer pages do not end")
		}
		_, page := alice.get(next)
		ids = append(ids, idsOf(page, ".msg[data-id]")...)
		next, ok = page.Find("#newer[hx-get]").Attr("hx-get")
	}
	want := msgs[75:]
	if len(ids) != len(want) {
		t.Fatalf("loaded %d messages down to the newest, want %d", len(ids), len(want))
	}
	for i, m := range want {
		if ids[i] != m.ID {
			t.Fatalf("message %d is %d, want %d", i, ids[i], m.ID)
		}
	}
	if resp, _ := alice.get("/chats/bob/messages?after=x"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("after=x: status %d", resp.StatusCode)
	}
}
