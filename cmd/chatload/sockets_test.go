package main

import (
	"fmt"
	"testing"
)

func TestParseArrivals(t *testing.T) {
	row := func(body string) string {
		return `<a class="chat-row"><span class="chat-preview">` + body + `</span></a>`
	}
	msg := func(body string) string {
		return `<div class="msg theirs"><p class="bubble"><span class="visually-hidden">Load 7:</span> ` + body + `</p><time>00:01</time></div>`
	}
	this := func(from, seq int) string {
		return fmt.Sprintf("chatload %d %d %d 1700000000000000000", runID, from, seq)
	}
	frame := `<div hx-swap-oob="top:#chat-list">` + row(this(7, 1)) + `</div>` +
		`<div hx-swap-oob="beforeend:#messages">` + msg("chatload 1 7 9 1700000000000000000") + msg(this(7, 1)) + msg(this(7, 2)) + msg("hello, a person wrote this") + `</div>` +
		`<nav id="chat-list">` + row(this(7, 2)) + `</nav>`
	got := parseArrivals([]byte(frame), nil)
	if len(got) != 2 || got[0] != (arrival{7, 1, 1700000000000000000}) || got[1].seq != 2 {
		t.Errorf("parsed %+v; want messages 1 and 2 of this run, and no previews", got)
	}
}
