package live

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"chat/lang"
	"chat/text"
)

func posted(to, message, clientID string) []byte {
	b, _ := json.Marshal(map[string]any{"to": to, "message": message, "client_id": clientID, "HEADERS": map[string]any{"HX-Request": "true"}})
	return b
}

func TestReadPosted(t *testing.T) {
	for _, c := range []struct {
		name   string
		data   []byte
		isText bool
		body   string // "" when refused
		reason string
	}{
		{"a message", posted("bob", "  hello\r\nthere  ", "abcdef12"), true, "hello\nthere", ""},
		{"binary", posted("bob", "hi", "abcdef12"), false, "", "binary"},
		{"invalid UTF-8", []byte("{\"to\":\"bob\",\"message\":\"\xff\"}"), true, "", "invalid_utf8"},
		{"not JSON", []byte("hello"), true, "", "malformed"},
		{"two objects", append(posted("bob", "a", "abcdef12"), posted("bob", "b", "abcdef13")...), true, "", "malformed"},
		{"an unknown field", []byte(`{"to":"bob","message":"hi","client_id":"abcdef12","admin":true}`), true, "", "malformed"},
		{"a short client id", posted("bob", "hi", "abc"), true, "", "bad_client_id"},
		{"blank", posted("bob", " \n\t ", "abcdef12"), true, "", "blank"},
		{"too long", posted("bob", strings.Repeat("好", text.MaxMessage+1), "abcdef12"), true, "", "too_long"},
		{"just long enough", posted("bob", strings.Repeat("好", text.MaxMessage), "abcdef12"), true, strings.Repeat("好", text.MaxMessage), ""},
		{"a NUL", posted("bob", "a\x00b", "abcdef12"), true, "", "control_character"},
		{"an override", posted("bob", "a\u202eb", "abcdef12"), true, "", "direction_override"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, body, no := readPosted(c.data, c.isText)
			reason := ""
			if no != nil {
				reason = no.reason
			}
			if body != c.body || reason != c.reason {
				t.Errorf("body %q, refused for %q; want %q, %q", body, reason, c.body, c.reason)
			}
		})
	}
}

// Whatever a client sends, the server answers without a panic, and what
// it takes is a message it may store.
func FuzzReadPosted(f *testing.F) {
	f.Add(posted("bob", "hello", "abcdef12"), true)
	f.Add(posted("bob", "two\nlines\ttab", "client_id-1"), true)
	f.Add([]byte(`{"to":"bob","message":42,"client_id":"abcdef12"}`), true)
	f.Add([]byte(`{"to":"bob","message":"hi","client_id":"abcdef12","HEADERS":[1,{"x":null}]}`), true)
	f.Add([]byte("\xff\xfe"), true)
	f.Add(posted("bob", "x", "abcdef12"), false)
	f.Fuzz(func(t *testing.T, data []byte, isText bool) {
		p, body, no := readPosted(data, isText)
		if no != nil {
			if no.reason == "" || no.say.ID == "" || lang.English.Say(no.say) == no.say.ID {
				t.Fatalf("refused without saying why: %+v", no)
			}
			return
		}
		switch {
		case !isText || !utf8.Valid(data):
			t.Fatal("took a frame that is not text")
		case body == "" || body != strings.TrimSpace(body):
			t.Fatalf("took a blank or untrimmed body %q", body)
		case utf8.RuneCountInString(body) > text.MaxMessage:
			t.Fatalf("took %d characters", utf8.RuneCountInString(body))
		case text.CheckMessage(body) != nil:
			t.Fatalf("took %q: %v", body, text.CheckMessage(body))
		case !clientIDPattern.MatchString(p.ClientID):
			t.Fatalf("took client id %q", p.ClientID)
		}
	})
}

// Typing frames are read the same whether they come exactly as pages send
// them (read without a decoder) or spelled otherwise; anything more is not
// typing, and is read as a message (and refused there).
func TestReadTyping(t *testing.T) {
	for _, c := range []struct {
		data       string
		typing, ok bool
	}{
		{`{"typing":true}`, true, true},
		{` { "typing" : true }`, true, true},
		{`{"typing":false}`, false, true},
		{`{"typing":"yes"}`, false, false},
		{`{"typing":null}`, false, false},
		{`{"typing":true,"to":"bob"}`, false, false},
		{`{"typing":true}{"typing":true}`, false, false},
		{`{"typing":true`, false, false},
	} {
		typing, ok := readTyping([]byte(c.data))
		if typing != c.typing || ok != c.ok {
			t.Errorf("readTyping(%s) = %v, %v; want %v, %v", c.data, typing, ok, c.typing, c.ok)
		}
	}
}
