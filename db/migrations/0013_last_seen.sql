-- Last seen: when the person last closed their last page (Unix ms), shown
-- to friends as "last seen today at 14:05" while offline, unless either
-- of the two turned it off (show_last_seen = 0): as with WhatsApp, who
-- hides theirs sees no one's.
ALTER TABLE users ADD COLUMN last_seen_at INTEGER;
ALTER TABLE users ADD COLUMN show_last_seen INTEGER NOT NULL DEFAULT 1 CHECK (show_last_seen IN (0, 1));
