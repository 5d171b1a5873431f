-- A house's own recorded voices: per language and message a visitor
-- hears, the sound the kiosk plays instead of the synthetic voice (16-bit
-- mono PCM at 22050 Hz, silence trimmed, loudness evened out). Being in
-- the database, they are in every backup.
CREATE TABLE recordings (
	lang       TEXT NOT NULL,
	prompt     TEXT NOT NULL,
	samples    BLOB NOT NULL CHECK (length(samples) BETWEEN 2 AND 2646000),
	updated_at TEXT NOT NULL,
	updated_by TEXT NOT NULL,
	PRIMARY KEY (lang, prompt)
);

-- Languages a house added that its visitors speak but rarely read
-- (Tamaziɣt, Darija): no written messages, only recordings.
CREATE TABLE spoken_languages (
	code       TEXT PRIMARY KEY CHECK (code LIKE 'x-%'),
	name       TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 30),
	created_at TEXT NOT NULL,
	created_by TEXT NOT NULL
);
