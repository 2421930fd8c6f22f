package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Messages and chat boxes.
//
// Each message is stored once, for the pair, in messages. Each person has
// their own chat box per conversation in chat_boxes: the last message (for
// the preview and the list order), their unread count, whether they deleted
// it, and up to which message they deleted. The original design kept a full
// copy of the history per person; one copy halves the writes of the hot
// path (one message row instead of two) and the disk, while the per-person
// box keeps what really differs between the two sides. Deleting a chat box
// only moves the deleter's cleared_through mark, so the other side keeps
// everything; once both marks have passed a message, nobody can see it and
// it is deleted for real (purgeCleared).

// Message is one stored message.
type Message struct {
	ID          int64
	SenderID    int64
	RecipientID int64
	ClientID    string
	Body        string
	CreatedAt   int64 // Unix ms
}

// NewMessage is a message to store.
type NewMessage struct {
	From, To User
	// ClientID is chosen by the sender's browser; sending the same one
	// again stores nothing new.
	ClientID string
	Body     string
	// RecipientViewing reports whether the recipient has this conversation
	// open. It is asked inside the transaction, so a reader who opens the
	// chat at the same moment is either counted as reading (and their
	// open marks it read after) or not counted unread at all.
	RecipientViewing func() bool
}

// ChatBox is one line of a person's chat list.
type ChatBox struct {
	Peer   User
	Unread int
	Last   Message
}

// ChatInfo is the state of my chat box with someone, for opening it.
type ChatInfo struct {
	Exists         bool // there is a box, deleted or not
	Hidden         bool // I deleted it and nothing came since
	Unread         int
	ClearedThrough int64 // messages up to this id are deleted for me
}

// SendMessage stores a message from in.From to in.To, who must be friends
// (ErrNotFriends), updates both chat boxes and the recipient's unread
// count, and returns the stored message. A message whose client id was
// stored before is returned as it was, with duplicate set, and nothing
// changes. Messages sent at the same moment are stored together (see
// storeMessages).
func (s *Store) SendMessage(ctx context.Context, in NewMessage) (Message, bool, error) {
	sj := &sendJob{in: in}
	if err := s.w.send(ctx, sj); err != nil {
		return Message{}, false, wrapUnlessDomain("send message", err)
	}
	return sj.msg, sj.duplicate, nil
}

// SendMessageLater is SendMessage without the wait: it returns once the
// message is queued, and done is told the outcome after the commit. done
// runs on the writer's goroutine, so it must be quick; a page's reader
// can go back to reading meanwhile. Messages queued from one goroutine are
// stored in the order queued.
func (s *Store) SendMessageLater(ctx context.Context, in NewMessage, done func(msg Message, duplicate bool, err error)) error {
	wrapped := func(m Message, dup bool, err error) { done(m, dup, wrapUnlessDomain("send message", err)) }
	return wrapUnlessDomain("send message", s.w.sendLater(ctx, &sendJob{in: in, done: wrapped}))
}

// sendJob is one message on its way through the writer.
type sendJob struct {
	done      func(Message, bool, error) // nil: the sender waits on its job
	in        NewMessage
	msg       Message
	duplicate bool
	err       error // a refusal of this message alone (ErrNotFriends)
	sender    ChatState
	recipient ChatState
	unread    int // 1 when the message counts as unread for the recipient
}

// storeMessages stores the messages of a batch with a few statements for
// all of them rather than a few for each: one INSERT per chunk of messages
// (which also checks friendship and the client id), one upsert per chunk
// for both people's chat boxes, and one unread update per recipient. It
// fills in each job's outcome; an error it returns fails them all.
func (tx *Tx) storeMessages(jobs []*sendJob) error {
	t := now()
	for _, j := range jobs {
		j.msg = Message{SenderID: j.in.From.ID, RecipientID: j.in.To.ID, ClientID: j.in.ClientID, Body: j.in.Body, CreatedAt: t}
	}
	if err := tx.insertMessages(jobs); err != nil {
		return err
	}
	var stored []*sendJob
	for _, j := range jobs {
		switch {
		case j.msg.ID != 0:
			stored = append(stored, j)
		case tx.storedMessage(&j.msg) == nil:
			// A resend of a stored message is answered with it, even if
			// they are no longer friends.
			j.duplicate = true
		default:
			j.err = ErrNotFriends
		}
	}
	if err := tx.upsertBoxes(stored); err != nil {
		return err
	}
	// Each recipient's total moves once for the batch; every message's
	// event carries the new total.
	totals := map[int64]int{}
	var order []int64
	for _, j := range stored {
		if j.unread > 0 {
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
	for _, j := range stored {
		if j.unread > 0 {
			j.recipient.UnreadTotal = totals[j.in.To.ID]
		}
		tx.emit(MessageSent{Message: j.msg, Sender: j.sender, Recipient: j.recipient})
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
		INSERT INTO messages (user_low, user_high, sender_id, client_id, body, created_at)
		SELECT v.column1, v.column2, v.column3, v.column4, v.column5, v.column6
		FROM (VALUES ` + valuesList(n, 6) + `) AS v
		WHERE EXISTS (SELECT 1 FROM friendships f WHERE f.user_low = v.column1 AND f.user_high = v.column2)
		ON CONFLICT (sender_id, client_id) DO NOTHING
		RETURNING id, sender_id, client_id`
})

// upsertBoxesSQL points both chat boxes of each of a chunk of messages at
// it: two rows a message.
var upsertBoxesSQL = bySize(func(n int) string {
	return `
		INSERT INTO chat_boxes (owner_id, peer_id, last_message_id, unread) VALUES ` + valuesList(2*n, 4) + `
		ON CONFLICT (owner_id, peer_id) DO UPDATE SET
			last_message_id = excluded.last_message_id,
			hidden = 0,
			unread = unread + excluded.unread
		RETURNING owner_id, last_message_id, unread, cleared_through`
})

// insertMessages stores the messages that are between friends and new by
// client id, setting their ids; the others keep id 0. Rows go in in job
// order, so ids grow in the order the messages were received.
func (tx *Tx) insertMessages(jobs []*sendJob) error {
	return chunks(len(jobs), func(from, to int) error {
		args := make([]any, 0, 6*(to-from))
		for _, j := range jobs[from:to] {
			low, high := sorted(j.in.From.ID, j.in.To.ID)
			args = append(args, low, high, j.in.From.ID, j.in.ClientID, j.in.Body, j.msg.CreatedAt)
		}
		rows, err := tx.query(insertMessagesSQL[to-from], args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		// RETURNING order is unspecified: match rows to jobs by key. A key
		// twice in one chunk (a resend queued right behind its original)
		// was stored by its first job.
		index := make(map[clientKey]*sendJob, to-from)
		for _, j := range jobs[from:to] {
			k := clientKey{j.in.From.ID, j.in.ClientID}
			if index[k] == nil {
				index[k] = j
			}
		}
		vals := make([]driver.Value, 3)
		for {
			if err := rows.Next(vals); errors.Is(err, io.EOF) {
				return nil
			} else if err != nil {
				return err
			}
			if j := index[clientKey{vals[1].(int64), vals[2].(string)}]; j != nil {
				j.msg.ID = vals[0].(int64)
			}
		}
	})
}

type clientKey struct {
	sender   int64
	clientID string
}

// upsertBoxes points both people's chat boxes at each message (creating
// them or bringing them back), adds one unread to the recipient's unless
// they are reading the conversation, and fills in each side's state.
func (tx *Tx) upsertBoxes(jobs []*sendJob) error {
	type side struct {
		owner, message int64
	}
	states := make(map[side]*ChatState, 2*len(jobs))
	for _, j := range jobs {
		j.sender = ChatState{Owner: j.in.From, Peer: j.in.To, UnreadTotal: -1}
		j.recipient = ChatState{Owner: j.in.To, Peer: j.in.From, UnreadTotal: -1}
		states[side{j.in.From.ID, j.msg.ID}] = &j.sender
		states[side{j.in.To.ID, j.msg.ID}] = &j.recipient
	}
	return chunks(len(jobs), func(from, to int) error {
		args := make([]any, 0, 8*(to-from))
		for _, j := range jobs[from:to] {
			j.unread = 1
			if j.in.RecipientViewing != nil && j.in.RecipientViewing() {
				j.unread = 0
			}
			args = append(args, j.in.From.ID, j.in.To.ID, j.msg.ID, 0, j.in.To.ID, j.in.From.ID, j.msg.ID, j.unread)
		}
		rows, err := tx.query(upsertBoxesSQL[to-from], args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		vals := make([]driver.Value, 4)
		for {
			if err := rows.Next(vals); errors.Is(err, io.EOF) {
				return nil
			} else if err != nil {
				return err
			}
			if st := states[side{vals[0].(int64), vals[1].(int64)}]; st != nil {
				st.Unread = int(vals[2].(int64))
				st.ClearedThrough = vals[3].(int64)
			}
		}
	})
}

// storedMessage fills in the message stored before under msg's sender and
// client id.
func (tx *Tx) storedMessage(msg *Message) error {
	return tx.QueryRow(`SELECT id, body, created_at FROM messages WHERE sender_id = ? AND client_id = ?`,
		msg.SenderID, msg.ClientID).Scan(&msg.ID, &msg.Body, &msg.CreatedAt)
}

// MarkRead clears the unread count of my chat box with peer. It writes
// (and announces) nothing when there was nothing unread.
func (s *Store) MarkRead(ctx context.Context, me, peer int64) error {
	err := s.w.do(ctx, func(tx *Tx) error {
		var unread int
		err := tx.QueryRow(`SELECT unread FROM chat_boxes WHERE owner_id = ? AND peer_id = ?`, me, peer).Scan(&unread)
		if errors.Is(err, sql.ErrNoRows) || unread == 0 {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE chat_boxes SET unread = 0 WHERE owner_id = ? AND peer_id = ?`, me, peer); err != nil {
			return err
		}
		total, err := addUnread(tx, me, -unread)
		if err != nil {
			return err
		}
		tx.emit(ChatChanged{Owner: me, Peer: peer, UnreadTotal: total})
		return nil
	})
	return wrapUnlessDomain("mark read", err)
}

// DeleteChat deletes my chat box with peer and my copy of its history; the
// peer's side is untouched. A later message brings the box back with only
// what came after. Messages neither side can see any more are removed from
// the database. ErrNotFound if there is no chat to delete.
func (s *Store) DeleteChat(ctx context.Context, me, peer int64) error {
	err := s.w.do(ctx, func(tx *Tx) error {
		var unread int
		var hidden bool
		err := tx.QueryRow(`SELECT unread, hidden FROM chat_boxes WHERE owner_id = ? AND peer_id = ?`, me, peer).Scan(&unread, &hidden)
		if errors.Is(err, sql.ErrNoRows) || hidden {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE chat_boxes SET hidden = 1, unread = 0, cleared_through = last_message_id
			WHERE owner_id = ? AND peer_id = ?`, me, peer); err != nil {
			return err
		}
		total, err := addUnread(tx, me, -unread)
		if err != nil {
			return err
		}
		if err := purgeCleared(tx, me, peer); err != nil {
			return err
		}
		tx.emit(ChatChanged{Owner: me, Peer: peer, Deleted: true, UnreadTotal: total})
		return nil
	})
	return wrapUnlessDomain("delete chat", err)
}

// purgeCleared deletes the messages of a pair that both people have
// deleted: those up to the lower of their two cleared_through marks.
func purgeCleared(tx *Tx, a, b int64) error {
	low, high := sorted(a, b)
	_, err := tx.Exec(`
		DELETE FROM messages WHERE user_low = ?1 AND user_high = ?2 AND id <= (
			SELECT CASE WHEN COUNT(*) = 2 THEN MIN(cleared_through) ELSE 0 END FROM chat_boxes
			WHERE (owner_id = ?1 AND peer_id = ?2) OR (owner_id = ?2 AND peer_id = ?1))`, low, high)
	return err
}

// addUnread changes a person's unread total by delta and returns the new total.
func addUnread(tx *Tx, user int64, delta int) (int, error) {
	var total int
	err := tx.QueryRow(`UPDATE users SET unread_total = unread_total + ? WHERE id = ? RETURNING unread_total`,
		delta, user).Scan(&total)
	return total, err
}

// UnreadTotal is the number of messages waiting to be read over all my chats.
func (s *Store) UnreadTotal(ctx context.Context, me int64) (int, error) {
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT unread_total FROM users WHERE id = ?`, me).Scan(&n); err != nil {
		return 0, fmt.Errorf("db: unread total: %w", err)
	}
	return n, nil
}

// ChatList returns up to limit of my chat boxes, newest activity first.
// Deleted boxes are left out until a new message brings them back.
func (s *Store) ChatList(ctx context.Context, me int64, limit int) ([]ChatBox, error) {
	rows, err := s.read.QueryContext(ctx, `
		SELECT u.id, u.username, u.display_name, b.unread,
			m.id, m.sender_id, m.body, m.created_at
		FROM chat_boxes b
		JOIN users u ON u.id = b.peer_id
		JOIN messages m ON m.id = b.last_message_id
		WHERE b.owner_id = ? AND b.hidden = 0
		ORDER BY b.last_message_id DESC LIMIT ?`, me, limit)
	if err != nil {
		return nil, fmt.Errorf("db: chat list: %w", err)
	}
	boxes, err := collect(rows, func(b *ChatBox) []any {
		return []any{&b.Peer.ID, &b.Peer.Username, &b.Peer.DisplayName, &b.Unread,
			&b.Last.ID, &b.Last.SenderID, &b.Last.Body, &b.Last.CreatedAt}
	})
	if err != nil {
		return nil, fmt.Errorf("db: chat list: %w", err)
	}
	for i := range boxes {
		if boxes[i].Last.SenderID == me {
			boxes[i].Last.RecipientID = boxes[i].Peer.ID
		} else {
			boxes[i].Last.RecipientID = me
		}
	}
	return boxes, nil
}

// Chat returns the state of my chat box with peer; Exists is false if
// there never was one.
func (s *Store) Chat(ctx context.Context, me, peer int64) (ChatInfo, error) {
	var c ChatInfo
	err := s.read.QueryRowContext(ctx, `SELECT unread, hidden, cleared_through FROM chat_boxes
		WHERE owner_id = ? AND peer_id = ?`, me, peer).Scan(&c.Unread, &c.Hidden, &c.ClearedThrough)
	if errors.Is(err, sql.ErrNoRows) {
		return ChatInfo{}, nil
	}
	if err != nil {
		return ChatInfo{}, fmt.Errorf("db: chat: %w", err)
	}
	c.Exists = true
	return c, nil
}

// clearedFor is the id up to which my history with peer is deleted for me
// (?1 is me, ?2 the peer).
const clearedFor = `COALESCE((SELECT cleared_through FROM chat_boxes WHERE owner_id = ?1 AND peer_id = ?2), 0)`

// MessagesBefore returns up to limit of the messages between me and peer
// that I can see, older than message before (0: the newest), oldest first.
// more reports whether older ones remain.
func (s *Store) MessagesBefore(ctx context.Context, me, peer, before int64, limit int) (msgs []Message, more bool, err error) {
	low, high := sorted(me, peer)
	if before <= 0 {
		before = 1<<63 - 1
	}
	rows, err := s.read.QueryContext(ctx, `
		SELECT id, sender_id, client_id, body, created_at FROM messages
		WHERE user_low = ?3 AND user_high = ?4 AND id < ?5 AND id > `+clearedFor+`
		ORDER BY id DESC LIMIT ?6`, me, peer, low, high, before, limit+1)
	if err != nil {
		return nil, false, fmt.Errorf("db: messages before: %w", err)
	}
	msgs, err = s.scanMessages(rows, me, peer)
	if err != nil {
		return nil, false, err
	}
	if len(msgs) > limit {
		msgs, more = msgs[:limit], true
	}
	for i, j := 0, len(msgs)-1; i < j; i, j = i+1, j-1 {
		msgs[i], msgs[j] = msgs[j], msgs[i]
	}
	return msgs, more, nil
}

// MessagesAfter returns up to limit of the messages between me and peer
// that I can see, newer than message after, oldest first. more reports
// whether newer ones remain beyond them.
func (s *Store) MessagesAfter(ctx context.Context, me, peer, after int64, limit int) (msgs []Message, more bool, err error) {
	low, high := sorted(me, peer)
	rows, err := s.read.QueryContext(ctx, `
		SELECT id, sender_id, client_id, body, created_at FROM messages
		WHERE user_low = ?3 AND user_high = ?4 AND id > ?5 AND id > `+clearedFor+`
		ORDER BY id LIMIT ?6`, me, peer, low, high, after, limit+1)
	if err != nil {
		return nil, false, fmt.Errorf("db: messages after: %w", err)
	}
	msgs, err = s.scanMessages(rows, me, peer)
	if err != nil {
		return nil, false, err
	}
	if len(msgs) > limit {
		msgs, more = msgs[:limit], true
	}
	return msgs, more, nil
}

// MessageBefore returns the id and time of the message between a and b
// just before message id, or zeros if there is none.
func (s *Store) MessageBefore(ctx context.Context, a, b, id int64) (prevID, prevAt int64, err error) {
	low, high := sorted(a, b)
	err = s.read.QueryRowContext(ctx, `SELECT id, created_at FROM messages WHERE user_low = ? AND user_high = ? AND id < ?
		ORDER BY id DESC LIMIT 1`, low, high, id).Scan(&prevID, &prevAt)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, nil
	}
	if err != nil {
		return 0, 0, fmt.Errorf("db: message before: %w", err)
	}
	return prevID, prevAt, nil
}

// MessageSentAt returns when message id between me and peer was sent, or 0
// if there is no such message I can see.
func (s *Store) MessageSentAt(ctx context.Context, me, peer, id int64) (int64, error) {
	low, high := sorted(me, peer)
	var at int64
	err := s.read.QueryRowContext(ctx, `SELECT created_at FROM messages
		WHERE id = ?3 AND user_low = ?4 AND user_high = ?5 AND id > `+clearedFor, me, peer, id, low, high).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("db: message time: %w", err)
	}
	return at, nil
}

func (s *Store) scanMessages(rows *sql.Rows, me, peer int64) ([]Message, error) {
	msgs, err := collect(rows, func(m *Message) []any {
		return []any{&m.ID, &m.SenderID, &m.ClientID, &m.Body, &m.CreatedAt}
	})
	if err != nil {
		return nil, fmt.Errorf("db: messages: %w", err)
	}
	for i := range msgs {
		if msgs[i].SenderID == me {
			msgs[i].RecipientID = peer
		} else {
			msgs[i].RecipientID = me
		}
	}
	return msgs, nil
}
