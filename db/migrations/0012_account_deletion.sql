-- A deleted account (see accounts.go): the row stays, emptied, so the
-- messages its person sent stay in their peers' copies, shown as from
-- "Deleted account"; its username stays taken until 30 days after
-- deleted_at (Unix ms), then it is renamed out of the way.
ALTER TABLE users ADD COLUMN deleted_at INTEGER;
