package export

import (
	"chat/db"
	"encoding/json"
	"io"
	"time"
)

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

// conversationJSON writes my conversation with peer as data: every
// message I can see, with its file and reactions.
func (x *exporter) conversationJSON(peer db.User) error {
	f, err := x.create("conversations/" + peer.Username + ".json")
	if err != nil {
		return err
	}
	names := map[int64]string{x.me: x.myName, peer.ID: peer.Username}
	io.WriteString(f, "{\n  \"with\": ")
	who, _ := json.Marshal(person{peer.Username, x.l.Name(peer.DisplayName)})
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
