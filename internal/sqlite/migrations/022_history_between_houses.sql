-- Two lines of a question's history that the district writes, not a
-- volunteer: another house referred the question here, and the district
-- would not take this house's referral. Until now they were notes with
-- a sentence in Dutch, which a volunteer reading the pages in another
-- language could not read; as kinds of their own, the pages word them
-- in each volunteer's language. The kind's CHECK can only change by
-- making the table again (ids, and so the order of the history, kept).
-- No kiosk had such notes yet: they came with migration 021, in the
-- same release.
CREATE TABLE events_new (
	id          INTEGER PRIMARY KEY,
	question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
	at          TEXT NOT NULL,
	actor       TEXT NOT NULL,
	kind        TEXT NOT NULL CHECK (kind IN ('viewed', 'claimed', 'note', 'message', 'referred', 'closed', 'referred_in', 'referral_refused')),
	text        TEXT NOT NULL DEFAULT ''
);
INSERT INTO events_new (id, question_id, at, actor, kind, text) SELECT id, question_id, at, actor, kind, text FROM events;
DROP TABLE events;
ALTER TABLE events_new RENAME TO events;
CREATE INDEX events_question ON events (question_id);
