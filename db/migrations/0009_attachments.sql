-- Attachments: a message may carry one file (see attachments.go). The
-- file itself is on disk, named by its SHA-256 (package files); this row
-- names it for the message, with what the page shows of it. The same file
-- sent in several messages is stored once and named by each.
CREATE TABLE attachments (
    message_id INTEGER PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    sha256     TEXT    NOT NULL,
    -- As the sender's device called it: shown, and offered when saving.
    name       TEXT    NOT NULL,
    -- The media type it is served with, decided from its bytes.
    type       TEXT    NOT NULL,
    size       INTEGER NOT NULL CHECK (size > 0),
    -- Images: the stored image's size in pixels, and its thumbnail's file.
    width      INTEGER NOT NULL DEFAULT 0,
    height     INTEGER NOT NULL DEFAULT 0,
    thumb      TEXT
) STRICT;

CREATE INDEX attachments_file ON attachments (sha256);
CREATE INDEX attachments_thumb ON attachments (thumb) WHERE thumb IS NOT NULL;

-- Files to remove from disk once no attachment names them. An attachment
-- that goes (its message deleted for everyone, or by both people) puts its
-- files here.
CREATE TABLE file_checks (
    sha256 TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;

CREATE TRIGGER attachment_gone AFTER DELETE ON attachments BEGIN
    INSERT OR IGNORE INTO file_checks (sha256) VALUES (old.sha256);
    INSERT OR IGNORE INTO file_checks (sha256) SELECT old.thumb WHERE old.thumb IS NOT NULL;
END;

-- Files an upload has put in place for a message not stored yet: kept
-- until the hold is released or, should the server stop meanwhile, until
-- it expires (Unix ms). Several uploads of the same file hold it each.
CREATE TABLE file_holds (
    id      INTEGER PRIMARY KEY,
    sha256  TEXT    NOT NULL,
    expires INTEGER NOT NULL
) STRICT;

CREATE INDEX file_holds_file ON file_holds (sha256);
