-- Full-text search over messages (see search.go). terms is what
-- search_terms makes of the body: its words, and CJK text as overlapping
-- pairs of characters; people holds the pair as u<id> u<id>, so a search
-- reads only its person's conversations. Newest first is the index's own
-- order.
CREATE VIRTUAL TABLE message_search USING fts4(terms, people, tokenize=unicode61, order=DESC);

-- Merge the index's segments as it grows, a little at every commit.
INSERT INTO message_search (message_search) VALUES ('automerge=8');

INSERT INTO message_search (docid, terms, people)
    SELECT id, search_terms(body), 'u' || user_low || ' u' || user_high FROM messages WHERE deleted = 0;

-- Kept in the transaction that changes the message, whatever changes it.
CREATE TRIGGER message_search_insert AFTER INSERT ON messages BEGIN
    INSERT INTO message_search (docid, terms, people)
        VALUES (new.id, search_terms(new.body), 'u' || new.user_low || ' u' || new.user_high);
END;

CREATE TRIGGER message_search_update AFTER UPDATE OF body ON messages BEGIN
    UPDATE message_search SET terms = search_terms(new.body) WHERE docid = new.id;
END;

CREATE TRIGGER message_search_delete AFTER DELETE ON messages BEGIN
    DELETE FROM message_search WHERE docid = old.id;
END;
