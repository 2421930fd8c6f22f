-- Profile pictures: the files (package files) of the square picture in
-- two sizes, or NULL for the initials. A picture replaced or removed is
-- checked, and taken off the disk unless something else names it.
ALTER TABLE users ADD COLUMN avatar TEXT;
ALTER TABLE users ADD COLUMN avatar_small TEXT;
CREATE INDEX users_avatar ON users (avatar) WHERE avatar IS NOT NULL;
CREATE INDEX users_avatar_small ON users (avatar_small) WHERE avatar_small IS NOT NULL;

CREATE TRIGGER avatar_gone AFTER UPDATE OF avatar ON users WHEN old.avatar IS NOT NULL AND old.avatar IS NOT new.avatar BEGIN
    INSERT OR IGNORE INTO file_checks (sha256) VALUES (old.avatar);
    INSERT OR IGNORE INTO file_checks (sha256) SELECT old.avatar_small WHERE old.avatar_small IS NOT NULL;
END;
