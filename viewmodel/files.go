package viewmodel

import (
	"fmt"
	"net/url"
	"strconv"

	"chat/db"
	"chat/lang"
	"chat/views"
)

// shownSide is the longest side a thumbnail is shown at, in CSS pixels:
// half the side it is made at (media.ThumbSide), for sharp screens.
const shownSide = 240

// Attachment is the file f of message id, of my conversation with peer,
// as its bubble shows it.
func Attachment(l lang.Lang, f *db.File, peer db.User, id int64) *views.Attachment {
	if f == nil {
		return nil
	}
	base := "/chats/" + url.PathEscape(peer.Username) + "/messages/" + strconv.FormatInt(id, 10)
	a := &views.Attachment{Name: f.Name, Size: FileSize(l, f.Size), URL: base + "/file"}
	if f.IsImage() {
		a.ThumbURL = base + "/thumb"
		a.Width, a.Height = fit(f.Width, f.Height, shownSide)
	}
	return a
}

// AvatarURL is where a profile picture (its file's name) is served, or ""
// for none.
func AvatarURL(sum string) string {
	if sum == "" {
		return ""
	}
	return "/avatars/" + sum
}

// fit is w × h scaled down, keeping its shape, so that neither side is
// longer than side.
func fit(w, h, side int) (int, int) {
	if w <= side && h <= side {
		return max(w, 1), max(h, 1)
	}
	if w >= h {
		return side, max(1, h*side/w)
	}
	return max(1, w*side/h), side
}

// FileSize is a size in bytes as people read it: "870 KB", "2.4 MB".
func FileSize(l lang.Lang, n int64) string {
	switch {
	case n < 1000:
		return l.N("js.bytes", int(n))
	case n < 1000*1000:
		return l.T("js.kb", "Count", (n+500)/1000)
	case n < 10*1000*1000:
		return l.T("js.mb", "Count", fmt.Sprintf("%.1f", float64(n)/1e6))
	}
	return l.T("js.mb", "Count", (n+500_000)/1_000_000)
}

// Preview is what a chat list, a notification or a quote shows of a
// message: its text, or what it carries.
func Preview(l lang.Lang, m db.Message) string {
	if m.File == nil {
		return m.Body
	}
	return filePreview(l, m.Body, m.File.Name, m.File.IsImage())
}

// filePreview is the preview of a message with text body carrying a
// file called name.
func filePreview(l lang.Lang, body, name string, image bool) string {
	switch {
	case image && body != "":
		return "📷 " + body
	case image:
		return "📷 " + l.T("file.photo")
	case body != "":
		return "📎 " + body
	}
	return "📎 " + name
}
