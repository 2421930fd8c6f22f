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

// exporter is one export under way: the zip, and what it reads from.
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

// at is a stored time (Unix ms) in the person's zone.
func (x *exporter) at(ms int64) time.Time { return time.UnixMilli(ms).In(x.zone) }

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

// readme says in the person's language what the zip holds.
func (x *exporter) readme() error {
	f, err := x.create("README.txt")
	if err != nil {
		return err
	}
	_, err = io.WriteString(f, x.l.T("export.readme"))
	return err
}
