// Package export writes a person's data as a zip, for them to take with
// them: their profile, friends and requests, every message they can see,
// as JSON and as one readable HTML page a conversation, and the files they
// sent. It is written as it is read, a page of messages at a time, so an
// export of any size takes little memory.
package export

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"path"
	"strings"
	"time"

	"chat/db"
	"chat/files"
	"chat/lang"
)

// pageSize is how many messages are read at a time.
const pageSize = 500

// Write writes my data to w as a zip, times in zone, its pages and
// README in l.
func Write(ctx context.Context, w io.Writer, r db.Reader, dir *files.Dir, me int64, zone *time.Location, l lang.Lang) error {
	zw := zip.NewWriter(w)
	x := exporter{ctx: ctx, zw: zw, r: r, me: me, zone: zone, l: l, sent: map[string]sentFile{}}
	if err := x.profile(); err != nil {
		return err
	}
	peers, err := r.ConversationPeers(ctx, me)
	if err != nil {
		return err
	}
	for _, p := range peers {
		if err := x.conversationJSON(p); err != nil {
			return err
		}
		if err := x.conversationHTML(p); err != nil {
			return err
		}
	}
	if err := x.files(dir); err != nil {
		return err
	}
	if err := x.picture(dir); err != nil {
		return err
	}
	if err := x.readme(); err != nil {
		return err
	}
	return zw.Close()
}

type exporter struct {
	ctx  context.Context
	zw   *zip.Writer
	r    db.Reader
	me   int64
	zone *time.Location
	// sent are the files I sent, by where they go in the zip.
	sent   map[string]sentFile
	myName string    // my username
	l      lang.Lang // what the pages and README are written in
}

type sentFile struct{ sha256 string }

// create starts a file in the zip.
func (x *exporter) create(name string) (io.Writer, error) {
	return x.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: time.Now()})
}

// writeJSON writes v, indented, as the zip's file name.
func (x *exporter) writeJSON(name string, v any) error {
	f, err := x.create(name)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

type person struct {
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
}

func personOf(u db.User) person { return person{u.Username, u.DisplayName} }

func (x *exporter) profile() error {
	a, err := x.r.Account(x.ctx, x.me)
	if err != nil {
		return err
	}
	x.myName = a.Username
	err = x.writeJSON("profile.json", struct {
		person
		SignedUp     time.Time `json:"signed_up"`
		ReadReceipts bool      `json:"read_receipts"`
	}{personOf(a.User), x.at(a.CreatedAt), a.ReadReceipts})
	if err != nil {
		return err
	}
	friends, err := x.r.Friends(x.ctx, x.me)
	if err != nil {
		return err
	}
	in, out, err := x.r.FriendRequests(x.ctx, x.me)
	if err != nil {
		return err
	}
	people := func(us []db.User) []person {
		out := make([]person, len(us))
		for i, u := range us {
			out[i] = personOf(u)
		}
		return out
	}
	others := func(rs []db.FriendRequest) []person {
		out := make([]person, len(rs))
		for i, r := range rs {
			out[i] = personOf(r.Other)
		}
		return out
	}
	return x.writeJSON("friends.json", struct {
		Friends          []person `json:"friends"`
		RequestsReceived []person `json:"requests_received"`
		RequestsSent     []person `json:"requests_sent"`
	}{people(friends), others(in), others(out)})
}

func (x *exporter) at(ms int64) time.Time { return time.UnixMilli(ms).In(x.zone) }

// message is a message as the export's JSON holds it.
type message struct {
	ID        int64      `json:"id"`
	From      string     `json:"from"`
	At        time.Time  `json:"at"`
	Text      string     `json:"text,omitempty"`
	Edited    bool       `json:"edited,omitempty"`
	Deleted   bool       `json:"deleted_for_everyone,omitempty"`
	ReplyTo   int64      `json:"reply_to,omitempty"`
	File      *file      `json:"file,omitempty"`
	Reactions []reaction `json:"reactions,omitempty"`
}

type file struct {
	Name string `json:"name"`
	Type string `json:"type"`
	Size int64  `json:"size"`
	// Path is where the file is in this zip: the files I sent are.
	Path string `json:"path,omitempty"`
}

type reaction struct {
	From  string `json:"from"`
	Emoji string `json:"emoji"`
}

// eachPage calls f with each page of my conversation with peer, oldest
// first, and its details.
func (x *exporter) eachPage(peer db.User, f func([]db.Message, db.Details) error) error {
	var after int64
	for {
		msgs, more, err := x.r.MessagesAfter(x.ctx, x.me, peer.ID, after, pageSize)
		if err != nil {
			return err
		}
		if len(msgs) == 0 {
			return nil
		}
		d, err := x.r.Details(x.ctx, x.me, peer.ID, msgs)
		if err != nil {
			return err
		}
		if err := f(msgs, d); err != nil {
			return err
		}
		if !more {
			return nil
		}
		after = msgs[len(msgs)-1].ID
	}
}

// filePath is where the file of message m goes in the zip, if I sent it.
func (x *exporter) filePath(m db.Message) string {
	if m.File == nil || m.SenderID != x.me {
		return ""
	}
	p := fmt.Sprintf("files/%d-%s", m.ID, safeName(m.File.Name))
	x.sent[p] = sentFile{m.File.SHA256}
	return p
}

// safeName is a file name as it can go into a zip: no folders.
func safeName(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	if name == "." || name == "/" || name == ".." {
		return "file"
	}
	return name
}

func (x *exporter) conversationJSON(peer db.User) error {
	f, err := x.create("conversations/" + peer.Username + ".json")
	if err != nil {
		return err
	}
	names := map[int64]string{x.me: x.myName, peer.ID: peer.Username}
	io.WriteString(f, "{\n  \"with\": ")
	who, _ := json.Marshal(personOf(peer))
	f.Write(who)
	io.WriteString(f, ",\n  \"messages\": [")
	first := true
	err = x.eachPage(peer, func(msgs []db.Message, d db.Details) error {
		for _, m := range msgs {
			out := message{ID: m.ID, From: names[m.SenderID], At: x.at(m.CreatedAt), Text: m.Body,
				Edited: m.EditedAt != 0, Deleted: m.Deleted, ReplyTo: m.ReplyTo}
			if m.File != nil {
				out.File = &file{Name: m.File.Name, Type: m.File.Type, Size: m.File.Size, Path: x.filePath(m)}
			}
			for _, r := range d.Reactions[m.ID] {
				out.Reactions = append(out.Reactions, reaction{names[r.UserID], r.Emoji})
			}
			b, err := json.Marshal(out)
			if err != nil {
				return err
			}
			if !first {
				io.WriteString(f, ",")
			}
			first = false
			io.WriteString(f, "\n    ")
			if _, err := f.Write(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	_, err = io.WriteString(f, "\n  ]\n}\n")
	return err
}

// conversationHTML writes the conversation as a page to read in any
// browser, offline.
func (x *exporter) conversationHTML(peer db.User) error {
	f, err := x.create("conversations/" + peer.Username + ".html")
	if err != nil {
		return err
	}
	title := html.EscapeString(x.l.T("export.chat_with", "Name", peer.DisplayName, "Username", peer.Username))
	fmt.Fprintf(f, `<!DOCTYPE html>
<html lang="%s">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #191919; }
ol { list-style: none; padding: 0; }
li { margin: 0 0 1rem; }
.meta { color: #595959; font-size: 0.85rem; }
.mine .who { color: #067437; }
.text { white-space: pre-wrap; margin: 0.2rem 0 0; }
.deleted { font-style: italic; color: #595959; }
</style>
</head>
<body>
<h1>%s</h1>
<ol>
`, x.l.Code(), title, title)
	err = x.eachPage(peer, func(msgs []db.Message, d db.Details) error {
		for _, m := range msgs {
			who, class := peer.DisplayName, "theirs"
			if m.SenderID == x.me {
				who, class = x.l.T("quote.you"), "mine"
			}
			at := x.at(m.CreatedAt)
			fmt.Fprintf(f, "<li class=\"%s\"><span class=\"meta\"><span class=\"who\">%s</span> · <time datetime=\"%s\">%s</time></span>",
				class, html.EscapeString(who), at.Format(time.RFC3339), x.l.T("export.at", "Date", at.Format("2006-01-02"), "Time", at.Format("15:04")))
			switch {
			case m.Deleted:
				fmt.Fprintf(f, `<p class="text deleted">%s</p>`, html.EscapeString(x.l.T("message.deleted")))
			default:
				if m.File != nil {
					name := html.EscapeString(m.File.Name)
					if p := x.filePath(m); p != "" {
						fmt.Fprintf(f, `<p class="text">📎 <a href="../%s">%s</a></p>`, html.EscapeString(p), name)
					} else {
						fmt.Fprintf(f, `<p class="text">📎 %s</p>`, name)
					}
				}
				if m.Body != "" {
					fmt.Fprintf(f, `<p class="text">%s</p>`, html.EscapeString(m.Body))
				}
			}
			if _, err := io.WriteString(f, "</li>\n"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	_, err = io.WriteString(f, "</ol>\n</body>\n</html>\n")
	return err
}

// files copies the files I sent into the zip.
func (x *exporter) files(dir *files.Dir) error {
	for p, s := range x.sent {
		src, err := dir.Open(s.sha256)
		if err != nil {
			return err
		}
		dst, err := x.zw.CreateHeader(&zip.FileHeader{Name: p, Method: zip.Store, Modified: time.Now()})
		if err == nil {
			_, err = io.Copy(dst, src)
		}
		src.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// picture copies my profile picture into the zip, if I have one.
func (x *exporter) picture(dir *files.Dir) error {
	large, _, err := x.r.Avatar(x.ctx, x.me)
	if err != nil || large == "" {
		return err
	}
	src, err := dir.Open(large)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := x.zw.CreateHeader(&zip.FileHeader{Name: "profile-picture.jpg", Method: zip.Store, Modified: time.Now()})
	if err != nil {
		return err
	}
	_, err = io.Copy(dst, src)
	return err
}

func (x *exporter) readme() error {
	f, err := x.create("README.txt")
	if err != nil {
		return err
	}
	_, err = io.WriteString(f, x.l.T("export.readme"))
	return err
}
