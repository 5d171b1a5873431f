-- What this house shares with its district besides its figures, and what
-- it gets back (internal/sharing has the rules, internal/outbox sends).
-- Times are UTC text as stamp() writes them.

-- The pull's cursor (the district's position in what changed), the
-- fingerprint of the programme last published and when: one row.
CREATE TABLE share_state (
	only           INTEGER PRIMARY KEY CHECK (only = 1),
	cursor         INTEGER NOT NULL DEFAULT 0,
	programme_hash TEXT NOT NULL DEFAULT '',
	programme_at   TEXT NOT NULL DEFAULT ''
);
INSERT INTO share_state (only) VALUES (1);

-- The houses of the district a volunteer may refer a question to, as
-- the district last said (always whole).
CREATE TABLE district_houses (
	name TEXT PRIMARY KEY
) WITHOUT ROWID;

-- The district's partner directory (the sociale kaart), offered beside
-- the house's own partners. languages is a JSON array of codes.
CREATE TABLE district_partners (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	helps_with TEXT NOT NULL DEFAULT '',
	languages  TEXT NOT NULL DEFAULT '[]',
	hours      TEXT NOT NULL DEFAULT '',
	contact    TEXT NOT NULL DEFAULT ''
);

-- The other houses' published programmes, for "Elders in de buurt
-- vandaag": one row per occurrence, by house and the house's own key.
CREATE TABLE district_activities (
	house     TEXT NOT NULL,
	key       TEXT NOT NULL,
	day       TEXT NOT NULL,
	start     TEXT NOT NULL,
	"end"     TEXT NOT NULL,
	title     TEXT NOT NULL,
	category  TEXT NOT NULL,
	room      TEXT NOT NULL DEFAULT '',
	cancelled INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (house, key)
) WITHOUT ROWID;
CREATE INDEX district_activities_day ON district_activities (day, category, start);

-- Questions a volunteer referred to another house: the outbox of the
-- hand-over, written in the same transaction as the question's change.
-- body is the district.Referral as JSON (text and code, never the
-- token) while it waits; it is emptied once the district has it or has
-- refused it, and the row stays to say where the question went.
CREATE TABLE referrals_out (
	id          TEXT PRIMARY KEY,
	question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
	to_house    TEXT NOT NULL,
	body        TEXT NOT NULL DEFAULT '',
	state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'refused')),
	reason      TEXT NOT NULL DEFAULT '',
	at          TEXT NOT NULL
);
CREATE INDEX referrals_out_question ON referrals_out (question_id);
CREATE INDEX referrals_out_pending ON referrals_out (at) WHERE state = 'pending';

-- Questions another house referred to this one, each kept here as a
-- local question (with a code of this house's own, so that codes stay
-- unique) and this row: the house it came from, the code on the
-- visitor's slip, which /code finds, and the referring volunteer's note.
-- id is the district.Referral's id: a referral pulled twice is kept once.
CREATE TABLE referrals_in (
	id          TEXT PRIMARY KEY,
	question_id INTEGER NOT NULL UNIQUE REFERENCES questions(id) ON DELETE CASCADE,
	from_house  TEXT NOT NULL,
	code        TEXT NOT NULL,
	note        TEXT NOT NULL DEFAULT '',
	at          TEXT NOT NULL
);
CREATE INDEX referrals_in_code ON referrals_in (code);
