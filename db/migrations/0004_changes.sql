-- The change sequence: see changes.go. Message ids are change numbers
-- from here on, handed out by the writer.

-- The last number handed out: one row.
CREATE TABLE change_counter (
    only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
    last     INTEGER NOT NULL
) STRICT;

INSERT INTO change_counter (only_row, last) VALUES (1, COALESCE((SELECT MAX(id) FROM messages), 0));

-- Changes of a conversation, other than new messages, that a page which
-- reconnects has to replay. owner_id is set when only that person sees the
-- change (deleting their own chat box), NULL when both do.
CREATE TABLE changes (
    seq        INTEGER PRIMARY KEY,
    user_low   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    user_high  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    owner_id   INTEGER REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    CHECK (user_low < user_high)
) STRICT;

CREATE INDEX changes_pair ON changes (user_low, user_high, seq);
