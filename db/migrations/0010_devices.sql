-- Where each login is, for the list of signed-in sessions in Settings:
-- the browser that made it (its User-Agent), and when it was last used
-- (Unix ms, kept to within a few minutes).
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN last_active INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET last_active = created_at;
