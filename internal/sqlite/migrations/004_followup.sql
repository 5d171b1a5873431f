-- Following questions up: the partners a question can be referred to,
-- each question's history (which is also the audit log of who looked at
-- what), and on the question itself what the queue and the visitor read
-- without going through the history.
--
-- The times added here are UTC text of a fixed width
-- (YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ), so they compare as strings; ''
-- means "never".

-- Partners staff can edit. The seeded ones are what most Dutch
-- neighbourhood houses refer to; their contacts are examples for the
-- demo, for staff to replace.
CREATE TABLE partners (
	id      INTEGER PRIMARY KEY,
	name    TEXT NOT NULL UNIQUE COLLATE NOCASE,
	helps   TEXT NOT NULL DEFAULT '', -- what they help with, in a few words
	contact TEXT NOT NULL DEFAULT '', -- how to reach them
	sort    INTEGER NOT NULL DEFAULT 0
);

INSERT INTO partners (name, helps, contact, sort) VALUES
	('Buurtteam',
	 'Hulp bij wonen, zorg, opvoeden en geld. Komt ook bij je thuis.',
	 'Spreekuur di 10–12, Zaal 2', 1),
	('Schuldhulp / Grip op je Geld',
	 'Schulden, rekeningen en post die je niet snapt.',
	 'Inloop do 13–15, Spreekkamer', 2),
	('Taal Informatie Punt',
	 'Beter lezen, schrijven en Nederlands spreken. Ook een taalmaatje.',
	 'Wo 10–12 in de Huiskamer', 3),
	('Team ervaringsdeskundigen',
	 'Praten met iemand die het zelf heeft meegemaakt.',
	 'Ma en vr 10–16, vraag aan de balie', 4),
	('Huisarts',
	 'Klachten over je lichaam of je gevoel. Verwijst door naar zorg.',
	 'Gezondheidscentrum Buurtplein, ma–vr 8–17', 5);

-- The message for the visitor (the latest one written) and when; the
-- volunteer who claimed the question; the partner it was referred to
-- (no ON DELETE: a partner questions were referred to stays, so the
-- referral keeps its meaning); the outcome it was closed with; and when
-- its latest event happened, which the queue shows: kept here rather
-- than looked up in events for each line, which took half the queue's
-- time.
ALTER TABLE questions ADD COLUMN visitor_message TEXT NOT NULL DEFAULT '';
ALTER TABLE questions ADD COLUMN message_at TEXT NOT NULL DEFAULT '';
ALTER TABLE questions ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE questions ADD COLUMN partner_id INTEGER REFERENCES partners(id);
ALTER TABLE questions ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
ALTER TABLE questions ADD COLUMN last_event_at TEXT NOT NULL DEFAULT '';

-- The queue: open questions, those waiting at the entrance first, then
-- the oldest. The index is in the queue's order, so the queue is read
-- from it without sorting; it holds only open questions, so it stays
-- small however many closed ones pile up.
CREATE INDEX questions_queue ON questions ((follow_up = 'waiting') DESC, created_at, id)
	WHERE status <> 'closed';

-- A question's history, oldest first. Lines are ordered by id, not by
-- time: a kiosk whose clock jumps at boot must not shuffle the history.
-- The index on question_id holds the rowid too, so it gives a question's
-- lines in order.
CREATE TABLE events (
	id          INTEGER PRIMARY KEY,
	question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
	at          TEXT NOT NULL,
	actor       TEXT NOT NULL,
	kind        TEXT NOT NULL CHECK (kind IN ('viewed', 'claimed', 'note', 'message', 'referred', 'closed')),
	text        TEXT NOT NULL DEFAULT ''
);

CREATE INDEX events_question ON events (question_id);
