-- The conversation, complete: replies, edits, deletion, reactions and
-- receipts. See message_actions.go and receipts.go.

-- A reply names the message it quotes (of the same pair); the quote is
-- rendered from that message, so editing or deleting it shows in the
-- reply and no copy of its text is kept.
ALTER TABLE messages ADD COLUMN reply_to INTEGER;
-- When the sender last edited the text (Unix ms), or NULL.
ALTER TABLE messages ADD COLUMN edited_at INTEGER;
-- Deleted for everyone: the text is gone (body is ''), the row stays so
-- both sides show "This message was deleted" in its place.
ALTER TABLE messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1));

CREATE INDEX messages_replies ON messages (reply_to) WHERE reply_to IS NOT NULL;

-- Deleted for me: the owner no longer sees the message. Once both people
-- have, the message itself is deleted (and these rows with it).
CREATE TABLE hidden_messages (
    owner_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    PRIMARY KEY (owner_id, message_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX hidden_messages_message ON hidden_messages (message_id);

-- One reaction per person per message, one of six emoji.
CREATE TABLE reactions (
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    emoji      TEXT    NOT NULL,
    PRIMARY KEY (message_id, user_id)
) STRICT, WITHOUT ROWID;

-- Receipts, per chat box: the owner has received (a frame reached one of
-- their tabs) and read (seen in a shown tab) the peer's messages up to
-- these ids. Two numbers a box rather than a row a message.
ALTER TABLE chat_boxes ADD COLUMN delivered_through INTEGER NOT NULL DEFAULT 0;
ALTER TABLE chat_boxes ADD COLUMN read_through INTEGER NOT NULL DEFAULT 0;
-- What was stored before: every box was shown, and one with nothing
-- unread was read.
UPDATE chat_boxes SET delivered_through = last_message_id,
    read_through = CASE WHEN unread = 0 THEN last_message_id ELSE 0 END;

-- Off: the person neither sends read receipts nor sees them.
ALTER TABLE users ADD COLUMN read_receipts INTEGER NOT NULL DEFAULT 1 CHECK (read_receipts IN (0, 1));

-- The message a kept change is about (edits, deletions, reactions).
ALTER TABLE changes ADD COLUMN message_id INTEGER;
