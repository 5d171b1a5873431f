-- Calendar feeds (ICS over HTTP) the programme follows. Their activities
-- have source 'sub:' || id || ':' and the event's 'ics:' || UID, so that a
-- refresh replaces exactly them, removes those the feed dropped, and
-- removing the subscription removes them; the activities_source index
-- finds them by that prefix.
--
-- Times are RFC 3339 in UTC; '' is never. A failed try sets last_try_at
-- and last_error (a reason key for translation) with last_detail
-- (English), and leaves last_ok_at and the counts of the last good
-- refresh as they were, as it leaves the programme.
CREATE TABLE subscriptions (
	id               INTEGER PRIMARY KEY,
	url              TEXT NOT NULL UNIQUE,
	interval_minutes INTEGER NOT NULL CHECK (interval_minutes BETWEEN 15 AND 1440),
	added_at         TEXT NOT NULL,
	added_by         TEXT NOT NULL DEFAULT '',
	last_try_at      TEXT NOT NULL DEFAULT '',
	last_ok_at       TEXT NOT NULL DEFAULT '',
	last_error       TEXT NOT NULL DEFAULT '', -- '' when the last try succeeded
	last_detail      TEXT NOT NULL DEFAULT '',
	events           INTEGER NOT NULL DEFAULT 0,
	added            INTEGER NOT NULL DEFAULT 0,
	changed          INTEGER NOT NULL DEFAULT 0,
	unchanged        INTEGER NOT NULL DEFAULT 0,
	removed          INTEGER NOT NULL DEFAULT 0,
	skipped          INTEGER NOT NULL DEFAULT 0,
	report           TEXT NOT NULL DEFAULT '{}' -- the last good report, JSON
);
