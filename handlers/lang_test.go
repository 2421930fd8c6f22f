package handlers

import (
	"chat/db"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// englishWord finds a word of Latin letters: what a page in Chinese
// should not show, but for the names below.
var englishWord = regexp.MustCompile(`[A-Za-z]{2,}`)

// allowedLatin are the words a Chinese page may show: the people's
// usernames and files of this test, and names of formats and browsers.
var allowedLatin = regexp.MustCompile(`\b(?:zhang|lisi|wangwu|nobody|English|notes|txt|JPEG|PNG|GIF|WebP|MB|KB|zip|Chrome|Go|http|Linux)\b|@\w+`)

// chineseGet fetches a page as a browser set to Chinese does.
func (b *browser) chineseGet(path string) (*http.Response, *goquery.Document) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.site.URL+path, nil)
	req.Header.Set("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.8")
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	return resp, parse(b.t, resp)
}

// englishLeft lists what of a page is still in English: its text, and
// the labels, titles, placeholders and alternative texts it gives.
func englishLeft(doc *goquery.Document) []string {
	var texts []string
	doc.Find("script, style").Remove()
	texts = append(texts, doc.Find("title").Text(), doc.Find("body").Text())
	doc.Find("[aria-label], [title], [placeholder], [alt]").Each(func(_ int, s *goquery.Selection) {
		for _, a := range []string{"aria-label", "title", "placeholder", "alt"} {
			texts = append(texts, s.AttrOr(a, ""))
		}
	})
	var left []string
	for _, t := range texts {
		left = append(left, englishWord.FindAllString(allowedLatin.ReplaceAllString(t, ""), -1)...)
	}
	return left
}

// A person whose browser asks for Chinese sees every page in Chinese,
// with no English left; one who chose English in Settings sees English.
func TestEveryPageSpeaksChineseToABrowserThatAsks(t *testing.T) {
	site := newTestSite(t)
	zhang := site.newBrowser(t)
	req, _ := newFormRequest(site.URL+"/signup", url.Values{"username": {"zhang"}, "display_name": {"张三"}, "password": {"short"}})
	req.Header.Set("Accept-Language", "zh-CN")
	req.Header.Set("Origin", site.URL)
	resp, err := zhang.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	doc := parse(t, resp)
	if left := englishLeft(doc); len(left) != 0 || doc.Find("html").AttrOr("lang", "") != "zh-Hans" {
		t.Errorf("the sign-up form sent back: lang %q, English %v", doc.Find("html").AttrOr("lang", ""), left)
	}
	zhang.mustSignup("zhang", "张三")
	li := site.newBrowser(t)
	li.mustSignup("lisi", "李四")
	befriend(t, zhang, li, "lisi")
	for i, m := range []struct{ from, to, body string }{
		{"lisi", "zhang", "你好"}, {"lisi", "zhang", "明天见面吗？"}, {"zhang", "lisi", "好的，明天见"},
	} {
		_, err := site.store.SendMessage(context.Background(), db.NewMessage{
			From: site.user(t, m.from), To: site.user(t, m.to), ClientID: fmt.Sprintf("zh-message-%04d", i), Body: m.body,
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	zhang.upload("lisi", map[string]string{"client_id": "zh-file-0001"}, sentFile{"notes.txt", "text/plain", []byte("notes")})
	msgs := site.history(t, "zhang", "lisi")
	zhang.hxStatus(actionURL("lisi", msgs[0].ID, "react"), url.Values{"emoji": {"👍"}})
	zhang.hxStatus(actionURL("lisi", msgs[2].ID, "delete"), nil)
	site.newBrowser(t).mustSignup("wangwu", "王五")
	zhang.post("/friends/requests", url.Values{"username": {"wangwu"}})

	if err := site.store.CreatePasswordReset(context.Background(), site.user(t, "zhang").ID, []byte("zh-token")); err != nil {
		t.Fatal(err)
	}
	signedOut := site.newBrowser(t)
	for _, c := range []struct {
		who  *browser
		path string
	}{
		{signedOut, "/login"},
		{signedOut, "/signup"},
		{signedOut, "/no/such/page"},
		{signedOut, "/reset/zh-token"},
		{signedOut, "/reset/no-such-token"},
		{zhang, "/"},
		{zhang, "/chats/lisi"},
		{zhang, "/friends"},
		{zhang, "/friends?q=w"},
		{zhang, "/search?q=" + url.QueryEscape("明天")},
		{zhang, "/search?q=x"},
		{zhang, "/settings"},
		{zhang, "/chats/nobody"},
	} {
		_, doc := c.who.chineseGet(c.path)
		if lang := doc.Find("html").AttrOr("lang", ""); lang != "zh-Hans" {
			t.Errorf("%s is in %q", c.path, lang)
		}
		if left := englishLeft(doc); len(left) != 0 {
			t.Errorf("%s still says in English: %v", c.path, left)
		}
	}

	// Chosen in Settings, English wins over the browser's Chinese.
	zhang.post("/settings/language", url.Values{"language": {"en"}})
	_, doc = zhang.chineseGet("/settings")
	if doc.Find("html").AttrOr("lang", "") != "en" || doc.Find("h1").Text() != "Settings" || doc.Find(`#language option[value=en][selected]`).Length() != 1 {
		t.Errorf("after choosing English: lang %q, heading %q", doc.Find("html").AttrOr("lang", ""), doc.Find("h1").Text())
	}
	if resp, _ := zhang.post("/settings/language", url.Values{"language": {"xx"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a language not offered: %d", resp.StatusCode)
	}

	// The reset link's answers: a password too short, then one set (which
	// signs zhang out everywhere, so it comes last).
	for _, try := range []struct {
		password string
		status   int
	}{{"short", http.StatusUnprocessableEntity}, {"一个很长的新密码", http.StatusOK}} {
		password := try.password
		req, _ := newFormRequest(site.URL+"/reset/zh-token", url.Values{"new_password": {password}})
		req.Header.Set("Accept-Language", "zh-CN")
		req.Header.Set("Origin", site.URL)
		resp, err := signedOut.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != try.status {
			t.Errorf("the reset link answered %q with %d", password, resp.StatusCode)
		}
		if doc := parse(t, resp); doc.Find("html").AttrOr("lang", "") != "zh-Hans" || len(englishLeft(doc)) != 0 {
			t.Errorf("the reset link's answer to %q (%d) still says in English: %v", password, resp.StatusCode, englishLeft(doc))
		}
	}
}

// One person's tabs can ask for different languages (two browsers, no
// setting): a live update says its words in each tab's own.
func TestEachTabIsToldInItsOwnLanguage(t *testing.T) {
	site := newTestSite(t)
	alice, bob := site.newBrowser(t), site.newBrowser(t)
	alice.mustSignup("alice", "Alice")
	bob.mustSignup("bob", "Bob")
	friendsZh, friendsEn := bob.dialIn("page=friends", "zh-CN"), bob.dialIn("page=friends", "en")
	friendsZh.waitContains(`id="incoming"`)
	friendsEn.waitContains(`id="incoming"`)
	alice.post("/friends/requests", url.Values{"username": {"bob"}})
	friendsZh.waitContains("Alice 向你发送了好友请求。")
	friendsEn.waitContains("Alice sent you a friend request.")

	_, doc := bob.get("/friends")
	bob.post(doc.Find("#incoming form").First().AttrOr("action", ""), nil)
	storeMessages(t, site, "alice", "bob", 1) // a chat to mute
	chatZh, chatEn := bob.dialIn("page=chat&peer=alice&after=0", "zh-CN"), bob.dialIn("page=chat&peer=alice&after=0", "en")
	chatZh.waitContains(`id="chat-list"`)
	chatEn.waitContains(`id="chat-list"`)
	if resp, _ := bob.post("/chats/alice/mute", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("mute: %d", resp.StatusCode)
	}
	chatZh.waitContains(">取消静音<")
	chatEn.waitContains(">Unmute<")
}
