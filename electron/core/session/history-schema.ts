/**
 * The history database's schema, as migrations: each takes the database from the version before it
 * (PRAGMA user_version) to its own, and is never changed once released; a new shape is a new one.
 */

/** Migration n (1-based) takes the schema from version n - 1 to n. */
export const migrations: readonly string[] = [
  `
  CREATE TABLE conversations (
    id INTEGER PRIMARY KEY,
    peer TEXT NOT NULL UNIQUE,
    -- In the user's list of conversations (a stranger's request is not, until accepted).
    listed INTEGER NOT NULL DEFAULT 0,
    read_up_to TEXT,
    read_up_to_ms INTEGER
  );

  -- seq is the storage order: among messages at the same time, the one stored (or placed) later comes later.
  CREATE TABLE messages (
    seq INTEGER PRIMARY KEY,
    conversation INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    body TEXT NOT NULL,
    at TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    sent_at TEXT,
    origin_id TEXT,
    stanza_id TEXT,
    state TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'delivered', 'failed', 'received'))
  );
  CREATE UNIQUE INDEX messages_by_id ON messages (conversation, id);
  CREATE INDEX messages_in_order ON messages (conversation, at_ms, seq);
  CREATE INDEX messages_by_stanza_id ON messages (conversation, stanza_id) WHERE stanza_id IS NOT NULL;
  CREATE INDEX messages_by_origin_id ON messages (conversation, direction, origin_id) WHERE origin_id IS NOT NULL;
  -- Unread counts: inbound messages after the read mark.
  CREATE INDEX inbound_in_order ON messages (conversation, at_ms) WHERE direction = 'in';

  CREATE VIRTUAL TABLE message_text USING fts5 (
    body,
    content = 'messages',
    content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
  );
  CREATE TRIGGER message_text_insert AFTER INSERT ON messages BEGIN
    INSERT INTO message_text (rowid, body) VALUES (new.seq, new.body);
  END;
  CREATE TRIGGER message_text_delete AFTER DELETE ON messages BEGIN
    INSERT INTO message_text (message_text, rowid, body) VALUES ('delete', old.seq, old.body);
  END;
  CREATE TRIGGER message_text_update AFTER UPDATE OF seq, body ON messages BEGIN
    INSERT INTO message_text (message_text, rowid, body) VALUES ('delete', old.seq, old.body);
    INSERT INTO message_text (rowid, body) VALUES (new.seq, new.body);
  END;
  `,
  // Search walks every conversation's messages newest first and stops at the limit, instead of
  // sorting every match: a word in every message costs what a rare one does.
  `
  CREATE INDEX messages_by_time ON messages (at_ms, seq);
  `,
  // Each conversation keeps its unread count, moved by every inbound message stored, removed or
  // re-placed across the read mark, and counted afresh only when the read mark moves: showing a
  // conversation no longer counts its unread messages.
  `
  ALTER TABLE conversations ADD COLUMN unread INTEGER NOT NULL DEFAULT 0;
  UPDATE conversations SET unread = (
    SELECT COUNT(*) FROM messages
    WHERE messages.conversation = conversations.id AND direction = 'in' AND at_ms > COALESCE(conversations.read_up_to_ms, -1e15)
  );
  CREATE TRIGGER unread_on_insert AFTER INSERT ON messages WHEN new.direction = 'in' BEGIN
    UPDATE conversations SET unread = unread + 1 WHERE id = new.conversation AND new.at_ms > COALESCE(read_up_to_ms, -1e15);
  END;
  CREATE TRIGGER unread_on_delete AFTER DELETE ON messages WHEN old.direction = 'in' BEGIN
    UPDATE conversations SET unread = unread - 1 WHERE id = old.conversation AND old.at_ms > COALESCE(read_up_to_ms, -1e15);
  END;
  CREATE TRIGGER unread_on_move AFTER UPDATE OF at_ms ON messages WHEN new.direction = 'in' BEGIN
    UPDATE conversations
    SET unread = unread - (old.at_ms > COALESCE(read_up_to_ms, -1e15)) + (new.at_ms > COALESCE(read_up_to_ms, -1e15))
    WHERE id = new.conversation;
  END;
  CREATE TRIGGER unread_on_read AFTER UPDATE OF read_up_to_ms ON conversations BEGIN
    UPDATE conversations SET unread = (
      SELECT COUNT(*) FROM messages WHERE conversation = new.id AND direction = 'in' AND at_ms > COALESCE(new.read_up_to_ms, -1e15)
    ) WHERE id = new.id;
  END;
  `,
  // Corrections (XEP-0308): a correction names the message it replaces by the id its sender gave
  // the stanza, kept as sender_id (for messages stored before, their origin-id: Burrow and most
  // clients give a message the same id as its origin-id); the body is the corrected text, which
  // search then finds, and corrected_at says when the last correction applied was made.
  `
  ALTER TABLE messages ADD COLUMN sender_id TEXT;
  ALTER TABLE messages ADD COLUMN corrected_at TEXT;
  UPDATE messages SET sender_id = origin_id;
  CREATE INDEX messages_by_sender_id ON messages (conversation, sender_id) WHERE sender_id IS NOT NULL;
  `,
  // Group chat: a room is a conversation of its own, whose messages say which occupant wrote them
  // (the nickname) and whether they name the user, so that those notify.
  `
  ALTER TABLE messages ADD COLUMN sender TEXT;
  ALTER TABLE messages ADD COLUMN mention INTEGER NOT NULL DEFAULT 0;
  `,
  // A correction of the user's own message that the server refused: the message says so (its
  // text here is one the peer does not have), until a later correction of it is sent.
  `
  ALTER TABLE messages ADD COLUMN correction_failure TEXT;
  `,
];
