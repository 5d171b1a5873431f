-- Importing a house's existing calendar (ICS) or sheet (CSV).
--
-- An imported activity keeps where it came from in activities.source
-- ("ics:" and the event's UID, or a CSV row's source), so importing again
-- replaces the activities of each source instead of adding them twice;
-- the index finds them. Typed-in activities have source ''.

CREATE INDEX activities_source ON activities (source);

-- Each import that was applied (a preview is not kept): where it came
-- from (a file name or URL), when, the counts staff see, and the whole
-- report as JSON (what was skipped and why). at is RFC 3339 in UTC.
CREATE TABLE imports (
	id        INTEGER PRIMARY KEY,
	origin    TEXT NOT NULL DEFAULT '',
	format    TEXT NOT NULL DEFAULT '', -- 'ics' or 'csv'
	at        TEXT NOT NULL,
	added     INTEGER NOT NULL DEFAULT 0,
	changed   INTEGER NOT NULL DEFAULT 0,
	unchanged INTEGER NOT NULL DEFAULT 0,
	removed   INTEGER NOT NULL DEFAULT 0,
	skipped   INTEGER NOT NULL DEFAULT 0,
	report    TEXT NOT NULL DEFAULT '{}'
);

CREATE INDEX imports_at ON imports (at);
