-- A house's own emergency lines in other languages than its own, one
-- JSON object of language → lines: the kiosk shows a visitor who chose
-- Arabic the house's lines in Arabic where staff gave them. Another key
-- of the house table, which SQLite can only add by making it again.
CREATE TABLE house_new (
	key        TEXT PRIMARY KEY CHECK (key IN ('name', 'hours', 'emergency', 'language', 'languages', 'emergency_languages')),
	value      TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	updated_by TEXT NOT NULL DEFAULT ''
);
INSERT INTO house_new (key, value, updated_at, updated_by) SELECT key, value, updated_at, updated_by FROM house;
DROP TABLE house;
ALTER TABLE house_new RENAME TO house;
