-- New messages are indexed by the batch that stores them (message_batch.go),
-- many rows to a statement, rather than by a trigger a row.
DROP TRIGGER message_search_insert;
