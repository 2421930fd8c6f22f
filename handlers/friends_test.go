package handlers

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// hx posts like htmx does, returning the notice it answers with.
func (b *browser) hx(path string, form url.Values) string {
	b.t.Helper()
	doc, _ := b.hxDoc(path, form)
	return strings.TrimSpace(doc.Find("#notice").First().Text())
}

// hxDoc posts like htmx does, returning the answer and its HTML.
func (b *browser) hxDoc(path string, form url.Values) (*goquery.Document, string) {
	b.t.Helper()
	_, doc, html := b.hxPost(path, form)
	return doc, html
}

// hxPost posts like htmx does, returning the status, the answer and its
// HTML.
func (b *browser) hxPost(path string, form url.Values) (int, *goquery.Document, string) {
	b.t.Helper()
	req, _ := newFormRequest(b.site.URL+path, form)
	req.Header.Set("HX-Request", "true")
	req.Header.Set("Origin", b.site.URL)
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	doc := parse(b.t, resp)
	html, _ := doc.Find("body").Html()
	return resp.StatusCode, doc, html
}

func TestFriendActionsAnswerEveryCaseClearly(t *testing.T) {
	site := newTestSite(t)
	alice, bob, carol := site.newBrowser(t), site.newBrowser(t), site.newBrowser(t)
	alice.mustSignup("alice", "Alice")
	bob.mustSignup("bob", "Bob")
	carol.mustSignup("carol", "Carol")

	requestID := func(b *browser, list string) string {
		t.Helper()
		_, doc := b.get("/friends")
		action := doc.Find(list+" form").First().AttrOr("action", "")
		parts := strings.Split(action, "/")
		if len(parts) < 4 {
			t.Fatalf("no request in %s: %q", list, action)
		}
		return parts[3]
	}
	type step struct {
		name string
		who  *browser
		path string
		form url.Values
		want string
	}
	run := func(steps []step) {
		t.Helper()
		for _, s := range steps {
			if got := s.who.hx(s.path, s.form); !strings.Contains(got, s.want) {
				t.Errorf("%s: notice %q, want it to say %q", s.name, got, s.want)
			}
		}
	}
	run([]step{
		{"unknown username", alice, "/friends/requests", url.Values{"username": {"nobody"}}, "no one with the username “nobody”"},
		{"yourself", alice, "/friends/requests", url.Values{"username": {"ALICE"}}, "That is you"},
		{"request", alice, "/friends/requests", url.Values{"username": {"bob"}}, "Friend request sent to Bob"},
		{"second request", alice, "/friends/requests", url.Values{"username": {"bob"}}, "already asked Bob"},
	})

	id := requestID(bob, "#incoming")
	// Carol forges posts for a request between Alice and Bob.
	run([]step{
		{"forged accept", carol, "/friends/requests/" + id + "/accept", nil, "no longer waiting"},
		{"forged decline", carol, "/friends/requests/" + id + "/decline", nil, "no longer waiting"},
		{"forged cancel", carol, "/friends/requests/" + id + "/cancel", nil, "no longer waiting"},
		{"sender accepting own request", alice, "/friends/requests/" + id + "/accept", nil, "no longer waiting"},
		{"cancel", alice, "/friends/requests/" + id + "/cancel", nil, "Request to Bob withdrawn"},
		{"accepting a withdrawn request", bob, "/friends/requests/" + id + "/accept", nil, "no longer waiting"},
		{"request again", alice, "/friends/requests", url.Values{"username": {"bob"}}, "Friend request sent to Bob"},
		{"crossing request", bob, "/friends/requests", url.Values{"username": {"alice"}}, "Alice had already asked you, so you are now friends"},
		{"request to a friend", alice, "/friends/requests", url.Values{"username": {"bob"}}, "already friends"},
		{"remove", alice, "/friends/bob/remove", nil, "Bob is no longer your friend"},
		{"remove again", alice, "/friends/bob/remove", nil, "You and Bob are not friends"},
		{"remove a stranger", alice, "/friends/carol/remove", nil, "You and Carol are not friends"},
		{"decline", carol, "/friends/requests", url.Values{"username": {"alice"}}, "Friend request sent to Alice"},
	})
	id = requestID(alice, "#incoming")
	if got := alice.hx("/friends/requests/"+id+"/decline", nil); !strings.Contains(got, "Request from Carol declined") {
		t.Errorf("decline: %q", got)
	}
	for _, name := range []string{"alice", "bob", "carol"} {
		ctx := context.Background()
		friends, err := site.store.Friends(ctx, site.user(t, name).ID)
		in, out, err2 := site.store.FriendRequests(ctx, site.user(t, name).ID)
		if err != nil || err2 != nil || len(friends)+len(in)+len(out) != 0 {
			t.Errorf("%s is left with friends %v, requests %v and %v (%v, %v)", name, friends, in, out, err, err2)
		}
	}
}

func TestFindPeople(t *testing.T) {
	site := newTestSite(t)
	alice := site.newBrowser(t)
	alice.mustSignup("alice", "Alice")
	for _, u := range []string{"Bob", "bobby", "carol"} {
		site.newBrowser(t).mustSignup(u, u)
	}
	_, doc := alice.get("/friends/search?q=BO")
	var found []string
	doc.Find(".person .handle").Each(func(_ int, s *goquery.Selection) { found = append(found, strings.TrimSpace(s.Text())) })
	if strings.Join(found, " ") != "@Bob @bobby" {
		t.Errorf("search BO found %v", found)
	}
	// Searching your own name finds you, said as you, with nothing to do.
	_, doc = alice.get("/friends/search?q=al")
	me := doc.Find(".person")
	if me.Length() != 1 || me.Find(".state").Text() != "That is you" || me.Find("button, a").Length() != 0 || doc.Find(".empty").Length() != 0 {
		t.Errorf("search al found %q", strings.TrimSpace(doc.Find("#search-results").Text()))
	}
	_, doc = alice.get("/friends/search?q=zed")
	if doc.Find(".person").Length() != 0 || !strings.Contains(doc.Find(".empty").Text(), "No one") {
		t.Error("a search that found no one did not say so")
	}
	// Without JavaScript the form loads the whole page with results.
	_, doc = alice.get("/friends?q=car")
	if doc.Find("#search-results .person").Length() != 1 || doc.Find("#find").AttrOr("value", "") != "car" {
		t.Error("the friends page does not search")
	}
}

// Without JavaScript an Add friend button posts the form and gets the
// whole page back: it keeps the search, with the new state.
func TestAddFriendWithoutJavaScriptKeepsTheSearch(t *testing.T) {
	site := newTestSite(t)
	alice := site.newBrowser(t)
	alice.mustSignup("alice", "Alice")
	site.newBrowser(t).mustSignup("bob", "Bob")
	_, doc := alice.get("/friends?q=bo")
	form := doc.Find("#search-results form")
	vals := url.Values{}
	form.Find("input").Each(func(_ int, s *goquery.Selection) { vals.Set(s.AttrOr("name", ""), s.AttrOr("value", "")) })
	_, doc = alice.post(form.AttrOr("action", ""), vals)
	if !strings.Contains(doc.Find("#notice").Text(), "Friend request sent to Bob") {
		t.Errorf("notice: %q", doc.Find("#notice").Text())
	}
	if got := doc.Find("#search-results .state").Text(); got != "Request sent" {
		t.Errorf("the results after posting show %q", got)
	}
}
