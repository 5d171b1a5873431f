-- The house's anonymous figures, kept apart from the rows they count so
-- that they outlive the retention purge: written in the same transaction
-- as the change they count. A count per house-local day, measure and key
-- (questions per topic, per language, ...); a duration per day for the
-- time a follow-up step took, with no question, token or code beside it.
-- demo marks the made-up past year a fresh install shows, which
-- "buurtbalie demo remove" takes away.
CREATE TABLE figure_counts (
	day     TEXT NOT NULL,
	measure TEXT NOT NULL,
	key     TEXT NOT NULL,
	demo    INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
	n       INTEGER NOT NULL CHECK (n >= 0),
	PRIMARY KEY (day, measure, key, demo)
) WITHOUT ROWID;

CREATE TABLE figure_durations (
	day     TEXT NOT NULL,
	measure TEXT NOT NULL,
	key     TEXT NOT NULL,
	demo    INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
	minutes INTEGER NOT NULL CHECK (minutes >= 0)
);
CREATE INDEX figure_durations_by_day ON figure_durations (measure, day);
