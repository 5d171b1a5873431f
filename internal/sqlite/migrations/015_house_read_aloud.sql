-- The languages in which the kiosk reads each screen aloud by itself,
-- as staff chose on the settings page (off by default): a house whose
-- Tigrinya visitors mostly do not read turns it on for them. Another key
-- of the house table, which SQLite can only add by making it again.
CREATE TABLE house_new (
	key        TEXT PRIMARY KEY CHECK (key IN ('name', 'hours', 'emergency', 'language', 'languages', 'emergency_languages', 'read_aloud')),
	value      TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	updated_by TEXT NOT NULL DEFAULT ''
);
INSERT INTO house_new (key, value, updated_at, updated_by) SELECT key, value, updated_at, updated_by FROM house;
DROP TABLE house;
ALTER TABLE house_new RENAME TO house;
