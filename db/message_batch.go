package db

import (
	"context"
	"database/sql"
	"errors"
	"strings"
)

// Storing messages: the path every message takes. Messages queued at the
// same moment are stored together, with a few statements for all of them.

// NewMessage is a message to store.
type NewMessage struct {
	From, To User
	// ClientID is chosen by the sender's browser; sending the same one
	// again stores nothing new.
	ClientID string
	Body     string
	// ReplyTo is the message of the same conversation this one quotes, or
	// 0. The caller checks it (Reader.MessageByID); the store keeps it.
	ReplyTo int64
	// File is the file it carries, or nil: in place on disk (and held,
	// attachments.go) before the message is queued.
	File *File
	// RecipientViewing is true when the recipient has this conversation
	// open where they see it: then the message is read at once (it does
	// not count as unread, and their receipts say so).
	RecipientViewing bool
	// Origin is the caller's name for where the message came from (a
	// connection). The store does not look at it; it comes back with the
	// outcome, so the answer can go back there.
	Origin int64
}

// QueueMessage queues a message from in.From to in.To, who must be
// friends, and returns once it is queued, without waiting for the commit.
// Its outcome arrives on Options.Events in commit order: MessageSent once
// stored (both chat boxes and the recipient's unread count updated with
// it), MessageDuplicate when its client id was stored before (nothing
// changes), or MessageRefused. Messages queued from one goroutine are
// stored in the order queued.
func (s *Store) QueueMessage(ctx context.Context, in NewMessage) error {
	return wrapUnlessDomain("queue message", s.w.queue(ctx, &sendJob{in: in}))
}

// SendMessage stores a message as QueueMessage does, and waits for it:
// it returns the message as stored (or as stored before, when its client
// id was), or why it was refused. Its outcome goes to Options.Events too.
func (s *Store) SendMessage(ctx context.Context, in NewMessage) (Message, error) {
	j := &sendJob{in: in}
	if err := s.w.submit(&job{ctx: ctx, send: j, done: make(chan error, 1)}); err != nil {
		return Message{}, wrapUnlessDomain("send message", err)
	}
	return j.msg, nil
}

// sendJob is one message on its way through the writer.
type sendJob struct {
	in        NewMessage
	msg       Message
	sender    ChatState
	recipient ChatState
	unread    int   // 1 when the message counts as unread for the recipient
	err       error // why it was refused
}

// refused is the outcome of a message that was not stored because of err.
func (j *sendJob) refused(err error) MessageRefused {
	j.err = wrapUnlessDomain("store message", err)
	return MessageRefused{From: j.in.From.ID, To: j.in.To, ClientID: j.in.ClientID, Origin: j.in.Origin, Err: j.err}
}

// storeMessageJobs stores a run of queued messages in one savepoint and
// records each one's outcome. One that failed as a whole refuses them all.
func (tx *Tx) storeMessageJobs(jobs []*job) {
	sends := make([]*sendJob, 0, len(jobs))
	for _, j := range jobs {
		// A caller who gave up before the batch began is not stored.
		if err := j.ctx.Err(); err != nil {
			tx.emit(j.send.refused(err))
			continue
		}
		sends = append(sends, j.send)
	}
	if err := tx.savepoint(func() error { return tx.storeMessages(sends) }); err != nil {
		for _, j := range sends {
			tx.emit(j.refused(err))
		}
	}
}

// storeMessages stores messages with a few statements for all of them
// rather than a few for each: one INSERT per chunk of messages (which also
// checks friendship and the client id), one upsert per chunk for both
// people's chat boxes, and one unread update per recipient. It records each
// message's outcome; an error it returns fails them all.
func (tx *Tx) storeMessages(jobs []*sendJob) error {
	t := now()
	for _, j := range jobs {
		j.msg = Message{ID: tx.nextMessageID(), SenderID: j.in.From.ID, RecipientID: j.in.To.ID, ClientID: j.in.ClientID, Body: j.in.Body, CreatedAt: t, ReplyTo: j.in.ReplyTo, File: j.in.File}
	}
	stored, err := tx.insertMessages(jobs)
	if err != nil {
		return err
	}
	if err := tx.insertAttachments(jobs, stored); err != nil {
		return err
	}
	if err := tx.upsertBoxes(jobs, stored); err != nil {
		return err
	}
	if err := tx.indexMessages(jobs, stored); err != nil {
		return err
	}
	// Each recipient's total moves once for the batch; every message's
	// event carries the new total.
	totals := map[int64]int{}
	var order []int64
	for _, j := range jobs {
		if stored[j.msg.ID] && j.unread > 0 {
			if _, seen := totals[j.in.To.ID]; !seen {
				order = append(order, j.in.To.ID)
			}
			totals[j.in.To.ID] += j.unread
		}
	}
	for _, user := range order {
		total, err := addUnread(tx, user, totals[user])
		if err != nil {
			return err
		}
		totals[user] = total
	}
	for _, j := range jobs {
		switch {
		case stored[j.msg.ID]:
			if j.unread > 0 {
				j.recipient.UnreadTotal = totals[j.in.To.ID]
			}
			tx.emit(MessageSent{Message: j.msg, Sender: j.sender, Recipient: j.recipient, Origin: j.in.Origin})
		default:
			err := tx.storedMessage(&j.msg)
			switch {
			case err == nil:
				// A resend of a stored message is answered with it, even
				// if they are no longer friends.
				tx.emit(MessageDuplicate{Message: j.msg, Origin: j.in.Origin})
			case errors.Is(err, sql.ErrNoRows):
				// Not stored: a block, or no friendship.
				why := blockBetween(tx, j.in.From.ID, j.in.To.ID)
				if why == nil {
					why = ErrNotFriends
				}
				tx.emit(j.refused(why))
			default:
				tx.emit(j.refused(err))
			}
		}
	}
	return nil
}

// chunkSizes are the row counts of the multi-row statements: a batch is cut
// into pieces of these sizes, so only a few statements are ever prepared.
var chunkSizes = []int{64, 16, 8, 4, 2, 1}

// chunks calls f with consecutive pieces of n items, largest first.
func chunks(n int, f func(from, to int) error) error {
	from := 0
	for _, size := range chunkSizes {
		for n-from >= size {
			if err := f(from, from+size); err != nil {
				return err
			}
			from += size
		}
	}
	return nil
}

// valuesList is "(?, ?), (?, ?)" for rows rows of cols columns.
func valuesList(rows, cols int) string {
	row := "(" + strings.Repeat("?, ", cols-1) + "?)"
	return strings.Repeat(row+", ", rows-1) + row
}

// bySize builds a statement once for each chunk size.
func bySize(build func(rows int) string) map[int]string {
	m := make(map[int]string, len(chunkSizes))
	for _, n := range chunkSizes {
		m[n] = build(n)
	}
	return m
}

// insertMessagesSQL stores a chunk of messages: those between friends and
// new by client id.
var insertMessagesSQL = bySize(func(n int) string {
	return `
		INSERT INTO messages (id, user_low, user_high, sender_id, client_id, body, created_at, reply_to)
		SELECT v.column1, v.column2, v.column3, v.column4, v.column5, v.column6, v.column7, v.column8
		FROM (VALUES ` + valuesList(n, 8) + `) AS v
		WHERE EXISTS (SELECT 1 FROM friendships f WHERE f.user_low = v.column2 AND f.user_high = v.column3)
			AND ` + notBlocked("v.column2", "v.column3") + `
		ON CONFLICT (sender_id, client_id) DO NOTHING
		RETURNING id`
})

// upsertBoxesSQL points both chat boxes of each of a chunk of messages at
// it: two rows a message. A recipient who sees the conversation has
// received and read it at once.
var upsertBoxesSQL = bySize(func(n int) string {
	return `
		INSERT INTO chat_boxes (owner_id, peer_id, last_message_id, unread, delivered_through, read_through) VALUES ` + valuesList(2*n, 6) + `
		ON CONFLICT (owner_id, peer_id) DO UPDATE SET
			last_message_id = excluded.last_message_id,
			hidden = 0,
			unread = unread + excluded.unread,
			delivered_through = MAX(delivered_through, excluded.delivered_through),
			read_through = MAX(read_through, excluded.read_through)
		RETURNING owner_id, last_message_id, unread, cleared_through, muted, delivered_through, read_through`
})

// insertMessages stores the messages that are between friends and new by
// client id, and returns the ids stored. A client id twice in one chunk (a
// resend queued right behind its original) is stored by its first job.
func (tx *Tx) insertMessages(jobs []*sendJob) (map[int64]bool, error) {
	stored := make(map[int64]bool, len(jobs))
	err := chunks(len(jobs), func(from, to int) error {
		args := make([]any, 0, 8*(to-from))
		for _, j := range jobs[from:to] {
			low, high := sorted(j.in.From.ID, j.in.To.ID)
			var replyTo any // NULL, not 0, when it quotes nothing
			if j.in.ReplyTo != 0 {
				replyTo = j.in.ReplyTo
			}
			args = append(args, j.msg.ID, low, high, j.in.From.ID, j.in.ClientID, j.in.Body, j.msg.CreatedAt, replyTo)
		}
		var id int64
		return tx.Query(insertMessagesSQL[to-from], args, []any{&id}, func() error {
			stored[id] = true
			return nil
		})
	})
	return stored, err
}

// insertAttachments names the files of the stored messages that carry
// one: a statement each, as few messages do.
func (tx *Tx) insertAttachments(jobs []*sendJob, stored map[int64]bool) error {
	for _, j := range jobs {
		f := j.in.File
		if f == nil || !stored[j.msg.ID] {
			continue
		}
		if tx.w.files == nil {
			return errors.New("db: no directory for files")
		}
		var thumb any // NULL unless an image
		if f.Thumb != "" {
			thumb = f.Thumb
		}
		_, err := tx.Exec(`INSERT INTO attachments (message_id, sha256, name, type, size, width, height, thumb) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			j.msg.ID, f.SHA256, f.Name, f.Type, f.Size, f.Width, f.Height, thumb)
		if err != nil {
			return err
		}
	}
	return nil
}

// indexMessages adds the stored messages to the search index (search.go),
// many rows to a statement: the index's own trigger would cost a
// statement a message, three times as much.
func (tx *Tx) indexMessages(jobs []*sendJob, stored map[int64]bool) error {
	var kept []*sendJob
	for _, j := range jobs {
		if stored[j.msg.ID] {
			kept = append(kept, j)
		}
	}
	return chunks(len(kept), func(from, to int) error {
		args := make([]any, 0, 3*(to-from))
		for _, j := range kept[from:to] {
			args = append(args, j.msg.ID, searchTerms(j.in.Body), searchPeople(j.in.From.ID, j.in.To.ID))
		}
		_, err := tx.Exec(indexMessagesSQL[to-from], args...)
		return err
	})
}

// indexMessagesSQL adds a chunk of messages to the search index.
var indexMessagesSQL = bySize(func(n int) string {
	return `INSERT INTO message_search (docid, terms, people) VALUES ` + valuesList(n, 3)
})

// upsertBoxes points both people's chat boxes at each stored message
// (creating them or bringing them back), adds one unread to the
// recipient's unless they are reading the conversation, and fills in each
// side's state.
func (tx *Tx) upsertBoxes(jobs []*sendJob, stored map[int64]bool) error {
	type side struct{ owner, message int64 }
	states := make(map[side]*ChatState, 2*len(stored))
	var kept []*sendJob
	for _, j := range jobs {
		if !stored[j.msg.ID] {
			continue
		}
		kept = append(kept, j)
		j.unread = 1
		if j.in.RecipientViewing {
			j.unread = 0
		}
		j.sender = ChatState{Owner: j.in.From, Peer: j.in.To, UnreadTotal: -1}
		j.recipient = ChatState{Owner: j.in.To, Peer: j.in.From, UnreadTotal: -1}
		states[side{j.in.From.ID, j.msg.ID}] = &j.sender
		states[side{j.in.To.ID, j.msg.ID}] = &j.recipient
	}
	return chunks(len(kept), func(from, to int) error {
		args := make([]any, 0, 12*(to-from))
		for _, j := range kept[from:to] {
			var seen int64 // how far the recipient has received and read
			if j.in.RecipientViewing {
				seen = j.msg.ID
			}
			args = append(args, j.in.From.ID, j.in.To.ID, j.msg.ID, 0, 0, 0,
				j.in.To.ID, j.in.From.ID, j.msg.ID, j.unread, seen, seen)
		}
		var owner, message, unread, cleared, delivered, read int64
		var muted bool
		return tx.Query(upsertBoxesSQL[to-from], args, []any{&owner, &message, &unread, &cleared, &muted, &delivered, &read}, func() error {
			if st := states[side{owner, message}]; st != nil {
				st.Unread = int(unread)
				st.ClearedThrough = cleared
				st.Muted = muted
				st.DeliveredThrough, st.ReadThrough = delivered, read
			}
			return nil
		})
	})
}

// storedMessage fills in the message stored before under msg's sender and
// client id: sql.ErrNoRows if there is none.
func (tx *Tx) storedMessage(msg *Message) error {
	var low, high int64
	err := tx.QueryRow(`SELECT m.user_low, m.user_high, `+messageColumns+` FROM `+messagesWithFiles+`
		WHERE m.sender_id = ? AND m.client_id = ?`,
		msg.SenderID, msg.ClientID).Scan(append([]any{&low, &high}, messageFields(msg)...)...)
	if err != nil {
		return err
	}
	keepFile(msg)
	msg.RecipientID = low
	if low == msg.SenderID {
		msg.RecipientID = high
	}
	return nil
}
