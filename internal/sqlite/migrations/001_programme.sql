-- The programme: categories, activities and their one-day exceptions.
--
-- Dates are 'YYYY-MM-DD' text so that they compare as strings. An open
-- bound of a repeating schedule is '' for from_date (sorts before every
-- date) and '9999-12-31' for until_date (sorts after every date), so that
-- "does the schedule run on d" is two plain comparisons an index can use.
-- Times of day are minutes after midnight.

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE categories (
	key   TEXT PRIMARY KEY,
	icon  TEXT NOT NULL DEFAULT '',
	names TEXT NOT NULL DEFAULT '{}', -- JSON object: language tag to name
	sort  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE activities (
	id          INTEGER PRIMARY KEY,
	title       TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	category    TEXT NOT NULL REFERENCES categories(key),
	room        TEXT NOT NULL DEFAULT '',
	host        TEXT NOT NULL DEFAULT '',
	cost_cents  INTEGER NOT NULL DEFAULT 0,
	sign_up     INTEGER NOT NULL DEFAULT 0,
	wheelchair  INTEGER NOT NULL DEFAULT 0,
	start_min   INTEGER NOT NULL,
	end_min     INTEGER NOT NULL,

	kind           TEXT NOT NULL CHECK (kind IN ('once', 'weekly', 'monthly')),
	once_date      TEXT,                      -- once: the date; NULL otherwise
	weekdays       INTEGER NOT NULL DEFAULT 0, -- weekly: bit i for time.Weekday(i)
	interval_weeks INTEGER NOT NULL DEFAULT 0, -- weekly: every n weeks from from_date
	nth            INTEGER NOT NULL DEFAULT 0, -- monthly: 1..4, or -1 for the last
	weekday        INTEGER NOT NULL DEFAULT 0, -- monthly: time.Weekday
	from_date      TEXT NOT NULL DEFAULT '',
	until_date     TEXT NOT NULL DEFAULT '9999-12-31',

	demo       INTEGER NOT NULL DEFAULT 0,
	source     TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

-- One-off activities of one date (or a few dates). kind leads, as in the
-- index below, so the planner sees this one as the better match for
-- kind = 'once' AND once_date = d even without ANALYZE statistics.
CREATE INDEX activities_once ON activities (kind, once_date);

-- Repeating activities still running on a date: most of a long history has
-- ended, and the until_date range skips it.
CREATE INDEX activities_repeating ON activities (kind, until_date, from_date);

CREATE INDEX activities_category ON activities (category);

CREATE TABLE exceptions (
	activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
	date        TEXT NOT NULL,
	cancelled   INTEGER NOT NULL DEFAULT 0,
	room        TEXT NOT NULL DEFAULT '',
	has_time    INTEGER NOT NULL DEFAULT 0,
	start_min   INTEGER NOT NULL DEFAULT 0,
	end_min     INTEGER NOT NULL DEFAULT 0,
	note        TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (activity_id, date)
) WITHOUT ROWID;

CREATE INDEX exceptions_date ON exceptions (date);
