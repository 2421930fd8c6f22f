-- The language the person chose for the site (a BCP 47 tag), or '' to
-- follow their browser's.
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT '';
