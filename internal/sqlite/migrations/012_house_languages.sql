-- Staff choose which languages the kiosk offers visitors and in what
-- order: a house where nobody reads Tigrinya's slips, or whose visitors
-- are mostly Turkish, says so. A new key of the house table, which
-- SQLite can only add by making the table again.
CREATE TABLE house_new (
	key        TEXT PRIMARY KEY CHECK (key IN ('name', 'hours', 'emergency', 'language', 'languages')),
	value      TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	updated_by TEXT NOT NULL DEFAULT ''
);
INSERT INTO house_new (key, value, updated_at, updated_by) SELECT key, value, updated_at, updated_by FROM house;
DROP TABLE house;
ALTER TABLE house_new RENAME TO house;
