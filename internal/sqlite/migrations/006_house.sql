-- What staff tell about the house, set on the web's house page: its name
-- (on top of the kiosk and on slips), when volunteers are in and the
-- emergency numbers (both printed on slips, one line each, separated by
-- a newline), and the language each visitor starts in. A missing row
-- means the value from the config file or its default, so a house that
-- never opens the page keeps working as configured.
CREATE TABLE house (
	key        TEXT PRIMARY KEY CHECK (key IN ('name', 'hours', 'emergency', 'language')),
	value      TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	updated_by TEXT NOT NULL DEFAULT ''
);

-- Topics and partners a question may already point to are hidden, never
-- deleted, so old questions keep their meaning; a hidden topic is not
-- offered at the kiosk and a hidden partner not in the referral list.
ALTER TABLE topics ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
ALTER TABLE partners ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
