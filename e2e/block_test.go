package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// Bob blocks Alice from their conversation, after a question. Alice's
// next message comes back to her composer, "could not be delivered";
// her presence dot for Bob is gone. Bob unblocks her and they talk.
func TestABlockedPersonCannotWrite(t *testing.T) {
	s, a, b := aliceAndBob(t)
	befriend(s, a, "bob", b)
	a.open(s, "/chats/bob")
	b.open(s, "/chats/alice")
	a.waitFor("bob's presence", `document.querySelector('#peer-presence .presence.online') !== null`)

	b.run("block alice", chromedp.Click(chromedp.CSS(`#block button`)))
	b.waitFor("the question", `document.querySelector("#block dialog").open`)
	b.checkAccessibility("the block question")
	b.run("confirm", chromedp.Click(chromedp.CSS(`#block dialog button.danger`)))
	b.waitFor("blocked", `document.getElementById('composer-status').textContent.includes('You blocked Alice')`)
	if !eval[bool](b, `getComputedStyle(document.getElementById('composer')).display === 'none'`) {
		t.Error("bob can still type to someone he blocked")
	}
	a.waitFor("bob's presence gone", `document.querySelector('#peer-presence .presence') === null`)

	a.say("Why are you not answering?")
	a.waitFor("the refusal", `document.getElementById('send-error').textContent === 'This message could not be delivered.'`)
	a.waitFor("the text back", `document.getElementById('message').value === 'Why are you not answering?'`)
	if shownCount(b, "Why are you not answering?") != 0 {
		t.Error("bob received it")
	}
	b.screenshot("blocked")

	b.run("unblock", chromedp.Click(chromedp.CSS(`#block button`)))
	b.waitFor("unblocked", `document.querySelector('#composer-status[data-friend]') !== null`)
	a.run("send again", chromedp.Click(chromedp.CSS(`#composer button[type=submit]`)))
	b.waitFor("the message", shown("Why are you not answering?"))
}
