-- A muted chat still counts unread, but never alerts its owner.
ALTER TABLE chat_boxes ADD COLUMN muted INTEGER NOT NULL DEFAULT 0 CHECK (muted IN (0, 1));
