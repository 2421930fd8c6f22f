package views

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"
)

// render renders c and parses the HTML for querying.
func render(t *testing.T, c templ.Component) *goquery.Document {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// labelFor returns the visible label text of the input with this id.
func labelFor(doc *goquery.Document, id string) string {
	return strings.TrimSpace(doc.Find(`label[for="` + id + `"]`).Text())
}

func TestSignupPageLabelsAndButton(t *testing.T) {
	doc := render(t, SignupPage(SignupForm{}))
	for id, want := range map[string]string{"username": "Username", "display_name": "Display name", "password": "Password"} {
		if got := labelFor(doc, id); got != want {
			t.Errorf("label for %s = %q, want %q", id, got, want)
		}
		if doc.Find("input#"+id).Length() != 1 {
			t.Errorf("no input #%s", id)
		}
	}
	if got := doc.Find(`form[action="/signup"] button[type=submit]`).Text(); got != "Sign up" {
		t.Errorf("submit button = %q", got)
	}
	if doc.Find(`a[href="/login"]`).Length() != 1 {
		t.Error("no link to log in")
	}
	if doc.Find(".error").Length() != 0 {
		t.Error("a fresh form shows errors")
	}
}

func TestSignupPageShowsErrorsNextToFieldsAndKeepsValues(t *testing.T) {
	doc := render(t, SignupPage(SignupForm{
		Username:    "bob smith",
		DisplayName: "Bob",
		Errors:      FieldErrors{Username: "Use 3 to 32 letters.", Password: "Use at least 8 characters."},
	}))
	if got := doc.Find("#username-error").Text(); got != "Use 3 to 32 letters." {
		t.Errorf("username error = %q", got)
	}
	if got, _ := doc.Find("#username").Attr("aria-describedby"); !strings.Contains(got, "username-error") {
		t.Errorf("username input is not described by its error: %q", got)
	}
	if _, ok := doc.Find("#username").Attr("aria-invalid"); !ok {
		t.Error("username input not marked invalid")
	}
	if doc.Find("#display_name-error").Length() != 0 {
		t.Error("display name shows an error it does not have")
	}
	if v, _ := doc.Find("#username").Attr("value"); v != "bob smith" {
		t.Errorf("username value = %q", v)
	}
	if v, _ := doc.Find("#display_name").Attr("value"); v != "Bob" {
		t.Errorf("display name value = %q", v)
	}
}

func TestLoginPage(t *testing.T) {
	doc := render(t, LoginPage(LoginForm{Username: "alice", Errors: FieldErrors{Form: "Wrong username or password."}}))
	if labelFor(doc, "username") != "Username" || labelFor(doc, "password") != "Password" {
		t.Error("missing Username or Password label")
	}
	if got := doc.Find(`button[type=submit]`).Text(); got != "Log in" {
		t.Errorf("submit button = %q", got)
	}
	if got := doc.Find(`[role=alert]`).Text(); got != "Wrong username or password." {
		t.Errorf("alert = %q", got)
	}
	if doc.Find(`a[href="/signup"]`).Length() != 1 {
		t.Error("no link to sign up")
	}
}

func TestLayoutEscapesTheDisplayName(t *testing.T) {
	p := Page{Viewer: Viewer{Username: "mallory", DisplayName: `<img src=x onerror=alert(1)>`}}
	var buf bytes.Buffer
	if err := ChatsPage(p, ChatList{}).Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "<img src=x") {
		t.Fatal("display name rendered as markup")
	}
	doc := render(t, ChatsPage(p, ChatList{}))
	if got := doc.Find(".topbar .me").Text(); got != p.Viewer.DisplayName {
		t.Errorf("header = %q", got)
	}
}

func TestLayoutNavigationAndCounts(t *testing.T) {
	doc := render(t, FriendsPage(Page{Title: "Friends", Section: SectionFriends, Viewer: Viewer{DisplayName: "Alice", Unread: 3}}, FriendsView{}))
	if got := doc.Find("title").Text(); got != "(3) Friends · Chat" {
		t.Errorf("title = %q", got)
	}
	if got := doc.Find("#nav-unread .visually-hidden").Text(); got != "3 unread" {
		t.Errorf("unread badge reads %q", got)
	}
	if cur := doc.Find(`nav a[aria-current=page]`); cur.Length() != 1 || cur.AttrOr("href", "") != "/friends" {
		t.Errorf("current section link: %d links, href %q", cur.Length(), cur.AttrOr("href", ""))
	}
	if _, hidden := doc.Find("#nav-requests").Attr("hidden"); !hidden {
		t.Error("request badge shown with no requests")
	}
	if got := doc.Find(`form[action="/logout"] button`).Text(); got != "Log out" {
		t.Errorf("logout button = %q", got)
	}
}
