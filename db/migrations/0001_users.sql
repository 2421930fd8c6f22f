-- Accounts and login sessions.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    -- The login handle. NOCASE makes uniqueness and lookups ignore case;
    -- usernames are ASCII, which is all NOCASE folds.
    username      TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    display_name  TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
) STRICT;

-- A session row exists while a login is valid: logging out deletes it, so a
-- copy of the cookie stops working. Only a hash of the token is stored.
CREATE TABLE sessions (
    id         INTEGER PRIMARY KEY,
    token_hash BLOB    NOT NULL UNIQUE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;

CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);
