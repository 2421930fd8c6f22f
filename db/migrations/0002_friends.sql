-- Friend requests and friendships.

-- A pending request from one user to another. Answering, cancelling or
-- becoming friends deletes it.
CREATE TABLE friend_requests (
    id         INTEGER PRIMARY KEY,
    from_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    to_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    UNIQUE (from_id, to_id),
    CHECK (from_id <> to_id)
) STRICT;

CREATE INDEX friend_requests_to ON friend_requests (to_id, from_id);

-- One row per friendship, the smaller user id first, so a pair can only be
-- stored once.
CREATE TABLE friendships (
    user_low   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    user_high  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_low, user_high),
    CHECK (user_low < user_high)
) STRICT, WITHOUT ROWID;

CREATE INDEX friendships_high ON friendships (user_high, user_low);
