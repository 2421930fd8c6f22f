-- Sounds: whether a message that comes while the person's page is in the
-- background plays a sound, in every browser they use.
ALTER TABLE users ADD COLUMN sounds INTEGER NOT NULL DEFAULT 1 CHECK (sounds IN (0, 1));
