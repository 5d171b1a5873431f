-- Anonymous questions from the kiosk, and the topics visitors pick from.
--
-- There is no column for a name, a phone number or an e-mail address, by
-- design. token is the secret in the slip's QR code (the only key to a
-- question); code is the short code people read and type.

CREATE TABLE topics (
	key   TEXT PRIMARY KEY,
	icon  TEXT NOT NULL DEFAULT '',
	names TEXT NOT NULL DEFAULT '{}', -- JSON object: language tag to name, for topics staff add
	sort  INTEGER NOT NULL DEFAULT 0
);

-- The built-in topics; their names come from the translation catalogue
-- ("topic.<key>").
INSERT INTO topics (key, icon, sort) VALUES
	('geld', 'geld', 1),
	('wonen', 'wonen', 2),
	('gezondheid', 'gezondheid', 3),
	('mensen', 'mensen', 4),
	('taal', 'taal', 5),
	('werk', 'werk', 6),
	('anders', 'anders', 7);

CREATE TABLE questions (
	id          INTEGER PRIMARY KEY,
	token       TEXT NOT NULL UNIQUE,
	code        TEXT NOT NULL UNIQUE,
	topic       TEXT NOT NULL REFERENCES topics(key),
	text        TEXT NOT NULL DEFAULT '',
	follow_up   TEXT NOT NULL CHECK (follow_up IN ('waiting', 'come_back')),
	lang        TEXT NOT NULL DEFAULT 'nl',
	status      TEXT NOT NULL DEFAULT 'new',
	created_at  TEXT NOT NULL,
	-- The slip: 'pending' until printed or given up on; a failure keeps
	-- its reason (never the question's text) for staff.
	print_state TEXT NOT NULL DEFAULT 'pending' CHECK (print_state IN ('pending', 'printed', 'failed')),
	print_error TEXT NOT NULL DEFAULT '',
	printed_at  TEXT NOT NULL DEFAULT ''
);

CREATE INDEX questions_open ON questions (status, created_at);
