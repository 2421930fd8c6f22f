package views

import (
	"bytes"
	"chat/lang"
	"context"
	"strings"
	"testing"
	"time"

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
	if doc.Find("#username").AttrOr("aria-invalid", "") != "true" {
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

func TestFriendsPageNamesAndStates(t *testing.T) {
	doc := render(t, FriendsPage(Page{Section: SectionFriends}, FriendsView{
		Query:    "b",
		Searched: true,
		Results: []Person{
			{ID: 2, Username: "bob", DisplayName: "Bob", Relation: RelationNone},
			{ID: 3, Username: "bea", DisplayName: "Bea", Relation: RelationSent, RequestID: 7},
			{ID: 4, Username: "ben", DisplayName: "Ben", Relation: RelationReceived, RequestID: 8},
			{ID: 5, Username: "bo", DisplayName: "Bo", Relation: RelationFriend},
		},
		Incoming: []Request{{ID: 8, UserID: 4, Username: "ben", DisplayName: "Ben"}},
		Outgoing: []Request{{ID: 7, UserID: 3, Username: "bea", DisplayName: "Bea"}},
		Friends:  []Friend{{ID: 5, Username: "bo", DisplayName: "Bo", Online: true}, {ID: 6, Username: "cy", DisplayName: "Cy"}},
	}))
	if got := labelFor(doc, "find"); got != "Find people" {
		t.Errorf("search label = %q", got)
	}
	buttons := func(sel string) []string {
		var out []string
		doc.Find(sel + " button").Each(func(_ int, s *goquery.Selection) { out = append(out, strings.TrimSpace(s.Text())) })
		return out
	}
	for sel, want := range map[string]string{
		"#person-2": "Add friend",
		"#person-3": "Cancel request",
		"#person-4": "Accept Decline",
		"#person-5": "",
	} {
		if got := strings.Join(buttons(sel), " "); got != want {
			t.Errorf("%s buttons = %q, want %q", sel, got, want)
		}
	}
	if doc.Find(`#person-5 a[href="/chats/bo"]`).Length() != 1 {
		t.Error("a friend in the results has no Message link")
	}
	if got := strings.Join(buttons("#incoming"), " "); got != "Accept Decline" {
		t.Errorf("incoming buttons = %q", got)
	}
	// Remove friend opens a confirmation whose own button is Remove friend.
	row := doc.Find("#friend-5")
	opener := row.Find(`button[command=show-modal][commandfor=remove-5]`)
	if opener.Text() != "Remove friend" || opener.AttrOr("commandfor", "") != "remove-5" {
		t.Errorf("remove button = %q for %q", opener.Text(), opener.AttrOr("commandfor", ""))
	}
	if got := row.Find("dialog#remove-5 button[type=submit]").Text(); got != "Remove friend" {
		t.Errorf("confirmation button = %q", got)
	}
	// Block asks too.
	if row.Find(`button[commandfor=block-bo][command=show-modal]`).Text() != "Block" || row.Find(`dialog#block-bo form[action="/people/bo/block"] button[type=submit]`).Text() != "Block" {
		t.Error("no Block, asking first, on a friend's row")
	}
	if got := doc.Find("#friend-5 .presence .visually-hidden").Text(); got != "online" {
		t.Errorf("presence of an online friend reads %q", got)
	}
	if got := doc.Find("#friend-6 .presence .visually-hidden").Text(); got != "offline" {
		t.Errorf("presence of an offline friend reads %q", got)
	}
}

func TestChatListRows(t *testing.T) {
	now := time.Date(2026, 11, 26, 15, 0, 0, 0, time.UTC)
	doc := render(t, ChatsPage(Page{}, ChatList{Now: now, Rows: []ChatRow{
		{PeerID: 2, PeerUsername: "bob", PeerName: "Bob <b>", Preview: "line one\nline two", At: now.Add(-time.Hour), Unread: 3},
		{PeerID: 3, PeerUsername: "cy", PeerName: "Cy", Preview: "mine", Mine: true, At: now.AddDate(0, 0, -1)},
	}}))
	rows := doc.Find("#chat-list .chat-row")
	if rows.Length() != 2 {
		t.Fatalf("%d rows", rows.Length())
	}
	first := rows.First()
	if first.AttrOr("href", "") != "/chats/bob" || first.Find(".chat-name").Text() != "Bob <b>" {
		t.Errorf("first row: %q %q", first.AttrOr("href", ""), first.Find(".chat-name").Text())
	}
	if got := first.Find(".chat-preview").Text(); got != "line one line two" {
		t.Errorf("preview = %q", got)
	}
	if got := first.Find(".badge .visually-hidden").Text(); got != "3 unread" {
		t.Errorf("unread reads %q", got)
	}
	if got := first.Find("time").Text(); got != "14:00" {
		t.Errorf("today's time = %q", got)
	}
	second := rows.Eq(1)
	if second.Find(".badge").Length() != 0 || second.Find(".chat-preview").Text() != "You: mine" || second.Find("time").Text() != "Yesterday" {
		t.Errorf("second row: badge %d, preview %q, time %q", second.Find(".badge").Length(), second.Find(".chat-preview").Text(), second.Find("time").Text())
	}
}

func TestConversationPage(t *testing.T) {
	loc := time.FixedZone("UTC+8", 8*3600)
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, loc)
	rows := []MessageRow{
		{ID: 10, Body: "first\nsecond line", At: now.AddDate(0, 0, -1)},
		{ID: 11, Mine: true, ClientID: "abc12345", Body: "<script>alert(1)</script>", At: now.Add(-2 * time.Hour)},
		{ID: 12, Body: "later", At: now.Add(-time.Hour)},
	}
	MarkDays(lang.English, rows, time.Time{}, now)
	c := Conversation{Peer: Peer{ID: 2, Username: "bob", DisplayName: "Bob", Online: true, Friend: true}, Messages: rows, More: true, Seq: 15}
	var buf bytes.Buffer
	if err := ConversationPage(Page{Title: "Bob", Detail: true}, ChatList{Now: now}, c).Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "<script>alert") {
		t.Fatal("a message rendered as markup")
	}
	doc, _ := goquery.NewDocumentFromReader(&buf)
	if got := labelFor(doc, "message"); got != "Message" {
		t.Errorf("composer label = %q", got)
	}
	if got := doc.Find("#composer button[type=submit]").Text(); got != "Send" {
		t.Errorf("send button = %q", got)
	}
	if _, ok := doc.Find("#composer").Attr("ws-send"); !ok {
		t.Error("the composer does not send over the websocket")
	}
	if v := doc.Find(`#composer input[name=to]`).AttrOr("value", ""); v != "bob" {
		t.Errorf("composer sends to %q", v)
	}
	if got := doc.Find("#mute button").Text(); got != "Mute" || doc.Find("#mute").AttrOr("action", "") != "/chats/bob/mute" {
		t.Errorf("mute button %q, posting to %q", got, doc.Find("#mute").AttrOr("action", ""))
	}
	if got := doc.Find("#chat-options > button").Text(); got != "Delete chat" {
		t.Errorf("the chat's options end with %q", got)
	}
	if got := doc.Find(".chat-options-toggle").AttrOr("aria-label", ""); got != "Chat options" {
		t.Errorf("the options button is named %q", got)
	}
	if got := doc.Find("#delete-chat p").Text(); !strings.Contains(got, "Bob keeps theirs") {
		t.Errorf("delete confirmation = %q", got)
	}
	if got := doc.Find("#peer-presence .visually-hidden").Text(); got != "online" {
		t.Errorf("presence reads %q", got)
	}
	var days []string
	doc.Find("#messages .day").Each(func(_ int, s *goquery.Selection) { days = append(days, s.Text()+"="+s.AttrOr("id", "")) })
	if strings.Join(days, ",") != "Yesterday=day-20261125,Today=day-20261126" {
		t.Errorf("day separators = %v", days)
	}
	mine := doc.Find("#m-11")
	if !mine.HasClass("mine") || mine.AttrOr("data-client-id", "") != "abc12345" {
		t.Errorf("own message: class %q, client id %q", mine.AttrOr("class", ""), mine.AttrOr("data-client-id", ""))
	}
	if theirs := doc.Find("#m-10"); !theirs.HasClass("theirs") || theirs.AttrOr("data-client-id", "none") != "none" {
		t.Error("their message is not marked theirs, or shows a client id")
	}
	// The text keeps line breaks and has no space of its own around it
	// (it is shown with white-space: pre-wrap); a screen reader hears who
	// wrote it first.
	if got := doc.Find("#m-10 .bubble .text").Text(); got != "first\nsecond line" {
		t.Errorf("message text = %q", got)
	}
	if got := doc.Find("#m-10 .bubble .visually-hidden").First().Text(); got != "Bob: " {
		t.Errorf("the bubble starts with %q", got)
	}
	if got := doc.Find("#m-10 time").Text(); got != "12:00" {
		t.Errorf("time in the reader's zone = %q", got)
	}
	loader := doc.Find("#older")
	if loader.AttrOr("hx-get", "") != "/chats/bob/messages?before=10" || loader.AttrOr("hx-trigger", "") != "intersect once, seek" {
		t.Errorf("older loader: %q %q", loader.AttrOr("hx-get", ""), loader.AttrOr("hx-trigger", ""))
	}
	if doc.Find("#conversation-seq").AttrOr("data-seq", "") != "15" {
		t.Error("the conversation does not say the change it is current to")
	}
	if _, friends := doc.Find("#composer-status").Attr("data-friend"); !friends || strings.TrimSpace(doc.Find("#composer-status").Text()) != "" {
		t.Errorf("between friends the composer's status says %q", doc.Find("#composer-status").Text())
	}

	// Not friends: the status says so and offers Add friend right there;
	// the composer stays in the page (hidden by the style sheet), so a live
	// change of friendship never replaces what is typed in it.
	c.Peer.Friend = false
	doc = render(t, ConversationPage(Page{}, ChatList{}, c))
	status := doc.Find("#composer-status")
	add := status.Find(`form[hx-post="/friends/requests"][hx-target="#composer-status"]`)
	if _, friends := status.Attr("data-friend"); friends || !strings.Contains(status.Text(), "not friends") ||
		add.Find(`input[name=username][value=bob]`).Length() != 1 || add.Find(`input[name=from][value=chat]`).Length() != 1 ||
		add.Find("button").Text() != "Add friend" {
		t.Errorf("a former friend's chat: status %q", status.Text())
	}
	if status.Next().AttrOr("id", "") != "composer" {
		t.Error("the composer does not follow its status, so the style sheet cannot hide it")
	}
}

// A live update about the friendship swaps the composer's status only:
// the form, and what is typed in it, is never in a fragment.
func TestComposerStatusFragmentLeavesTheComposerAlone(t *testing.T) {
	for _, friend := range []bool{true, false} {
		doc := render(t, ComposerStatus(Peer{Username: "bob", DisplayName: "Bob", Friend: friend}, true))
		if doc.Find("#composer-status").AttrOr("hx-swap-oob", "") != "true" || doc.Find("#composer, textarea").Length() != 0 {
			t.Errorf("friend %v: fragment %s", friend, doc.Find("body").Text())
		}
	}
}

func TestMarkDays(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	at := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) }
	rows := []MessageRow{{At: at(26, 1)}, {At: at(26, 2)}, {At: at(27, 0)}}
	// The message shown above is from the same day: no separator first.
	MarkDays(lang.English, rows, at(26, 0), now)
	if rows[0].Day != "" || rows[1].Day != "" || rows[2].DayKey != "20261127" {
		t.Errorf("days = %q %q %q", rows[0].Day, rows[1].Day, rows[2].Day)
	}
	MarkDays(lang.English, rows, at(25, 23), now)
	if rows[0].Day != "Today" {
		t.Errorf("first of a new day = %q", rows[0].Day)
	}
	for _, c := range []struct {
		t    time.Time
		want string
	}{
		{at(25, 12), "Yesterday"},
		{at(22, 12), "Sunday"},
		{time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), "Monday, 2 March"},
		{time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC), "Monday, 3 March 2025"},
	} {
		if got := dayLabel(lang.English, c.t, now); got != c.want {
			t.Errorf("dayLabel(%v) = %q, want %q", c.t, got, c.want)
		}
	}
}
