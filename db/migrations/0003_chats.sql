-- Messages and chat boxes. See chats.go for why there is one stored copy
-- of each message and a chat box per person.

CREATE TABLE messages (
    id         INTEGER PRIMARY KEY,
    user_low   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    user_high  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sender_id  INTEGER NOT NULL,
    -- Chosen by the sender's browser; a resend after a reconnect carries
    -- the same one, and the unique index keeps a single row.
    client_id  TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    CHECK (user_low < user_high),
    CHECK (sender_id IN (user_low, user_high))
) STRICT;

-- History of a pair, paged by id in either direction.
CREATE INDEX messages_pair ON messages (user_low, user_high, id);
CREATE UNIQUE INDEX messages_client ON messages (sender_id, client_id);

-- Each person's own view of a conversation.
CREATE TABLE chat_boxes (
    owner_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    peer_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The newest message of the pair: the preview, and the list order.
    last_message_id INTEGER NOT NULL,
    unread          INTEGER NOT NULL DEFAULT 0 CHECK (unread >= 0),
    -- Set when the owner deletes the box: messages up to this id are gone
    -- for them. The box stays hidden until a newer message arrives.
    cleared_through INTEGER NOT NULL DEFAULT 0,
    hidden          INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    PRIMARY KEY (owner_id, peer_id)
) STRICT, WITHOUT ROWID;

-- The chat list: a person's visible boxes, newest activity first.
CREATE INDEX chat_boxes_list ON chat_boxes (owner_id, last_message_id) WHERE hidden = 0;

-- Kept equal to the sum of the person's unread counts, so the total in
-- every page title costs one row read, not a sum over every chat.
ALTER TABLE users ADD COLUMN unread_total INTEGER NOT NULL DEFAULT 0;
