package text

import (
	"errors"
	"strings"
	"testing"
)

func TestRules(t *testing.T) {
	for _, c := range []struct {
		in            string
		message, name error
	}{
		{"hello", nil, nil},
		{"张三 and Zoë 👋", nil, nil},
		{"two\nlines\tand a tab", nil, ErrControl},
		{"nul\x00byte", ErrControl, ErrControl},
		{"bell\x07", ErrControl, ErrControl},
		{"carriage\rreturn", ErrControl, ErrControl},
		{"c1\u0085control", ErrControl, ErrControl},
		{"evil\u202Egnp.exe", ErrDirection, ErrDirection},
		{"isolate\u2067x\u2069", ErrDirection, ErrDirection},
		{"mark\u200Fok", nil, nil},
		{"bad \xff utf-8", ErrInvalid, ErrInvalid},
	} {
		if err := CheckMessage(c.in); !errors.Is(err, c.message) {
			t.Errorf("CheckMessage(%q) = %v, want %v", c.in, err, c.message)
		}
		if err := CheckName(c.in); !errors.Is(err, c.name) {
			t.Errorf("CheckName(%q) = %v, want %v", c.in, err, c.name)
		}
	}
}

// Any input gets an answer, never a panic, and what passes is valid text
// without the refused characters.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{"hello", "two\nlines", "evil\u202Egnp", "\x00", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, lines := range []bool{true, false} {
			if check(s, lines) != nil {
				continue
			}
			for _, r := range s {
				if isDirectionOverride(r) || (r < 0x20 && !(lines && (r == '\n' || r == '\t'))) {
					t.Fatalf("%q passed with %U", s, r)
				}
			}
		}
	})
}

// A message is stored with "\n" line endings and nothing blank around it;
// blank, too long and the characters CheckMessage refuses are refused.
func TestMessage(t *testing.T) {
	long := strings.Repeat("字", MaxMessage)
	for _, c := range []struct {
		in, want string
		err      error
	}{
		{"  hello\r\nworld \n\n", "hello\nworld", nil},
		{"\t\n ", "", ErrBlank},
		{long, long, nil},
		{long + "!", long + "!", ErrTooLong},
		{"bell\a", "bell\a", ErrControl},
		{"evil\u202Egnp.exe", "evil\u202Egnp.exe", ErrDirection},
		{"bad \xff", "", ErrInvalid},
	} {
		got, err := Message(c.in)
		if got != c.want || !errors.Is(err, c.err) {
			t.Errorf("Message(%.20q) = %.20q, %v; want %.20q, %v", c.in, got, err, c.want, c.err)
		}
	}
}
