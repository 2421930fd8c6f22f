-- Blocks (see blocks.go): the blocker no longer hears from the blocked
-- person, who can neither message nor ask them to be friends, nor see
-- whether they are online. History stays for both.
CREATE TABLE blocks (
    blocker_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    blocked_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id),
    CHECK (blocker_id <> blocked_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX blocks_blocked ON blocks (blocked_id, blocker_id);
