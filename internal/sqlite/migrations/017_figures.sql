-- The house's anonymous figures, kept apart from the rows they count so
-- that they outlive the retention purge: written in the same transaction
-- as the change they count. A count per house-local day, measure and key
-- (questions per topic, per language, ...); a duration per day for the
-- time a follow-up step took, with no question, token or code beside it.
CREATE TABLE figure_counts (
	day     TEXT NOT NULL,
	measure TEXT NOT NULL,
	key     TEXT NOT NULL,
	n       INTEGER NOT NULL CHECK (n >= 0),
	PRIMARY KEY (day, measure, key)
) WITHOUT ROWID;

CREATE TABLE figure_durations (
	day     TEXT NOT NULL,
	measure TEXT NOT NULL,
	key     TEXT NOT NULL,
	minutes INTEGER NOT NULL CHECK (minutes >= 0)
);
CREATE INDEX figure_durations_by_day ON figure_durations (measure, day);
