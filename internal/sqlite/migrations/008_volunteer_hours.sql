-- When volunteers are in, as the kiosk understands it, filled in by staff
-- on the settings page: so "Ik wacht hier" is only offered, and "a
-- volunteer comes" only said, when somebody is there.
--
-- A row in volunteer_hours means staff filled the schedule in; its
-- periods and closures are in the tables below. Without that row the
-- house keeps its free-text hours (the house table's 'hours', or the
-- config file's): the slip prints that text, and the kiosk reads it as a
-- schedule only when it has the plain form "Maandag t/m vrijdag 9:30 –
-- 16:00" (house.ParseHours; anything else is not guessed at, and then the
-- kiosk never says volunteers are in). That reading is the migration of
-- the old value: it is done when the house is read, since the config
-- file's value is not in the database, and the settings page offers what
-- it read for staff to save.
CREATE TABLE volunteer_hours (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	note       TEXT NOT NULL DEFAULT '', -- printed after the hours
	updated_at TEXT NOT NULL,
	updated_by TEXT NOT NULL DEFAULT ''
);

-- A period of a weekday (0 is Sunday, as Go's time.Weekday), in minutes
-- after midnight, wall clock: from up to, not including, until; 1440 is
-- midnight at the end of the day.
CREATE TABLE volunteer_periods (
	weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
	start   INTEGER NOT NULL CHECK (start BETWEEN 0 AND 1439),
	until   INTEGER NOT NULL CHECK (until BETWEEN 1 AND 1440 AND until > start),
	PRIMARY KEY (weekday, start)
);

-- Days the house is closed although the week says open: first to last
-- (both included, as 2026-12-24), with an optional reason ("Kerst").
CREATE TABLE volunteer_closures (
	id     INTEGER PRIMARY KEY,
	first  TEXT NOT NULL,
	last   TEXT NOT NULL CHECK (last >= first),
	reason TEXT NOT NULL DEFAULT ''
);
