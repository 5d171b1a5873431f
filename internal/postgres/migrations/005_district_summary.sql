-- The district's figures without the house: what the district's pages
-- read, so that a year of them is thousands of rows, not millions (a
-- year of 200 houses is 8 M rollup rows). See fold in figures.go for how they stay
-- exact.
--
-- Accept adds to none of these in place: 200 houses pushing at once
-- would all wait for the same few district rows. It appends what it
-- added to a house's rollups to the pending tables, which have no key
-- anyone waits on, in the same statement; a fold later moves pending
-- rows into the summary in one transaction, and the district's reads add
-- what is still pending to the summary.
CREATE TABLE district_counts (
	day     date NOT NULL,
	measure text COLLATE "C" NOT NULL,
	key     text COLLATE "C" NOT NULL,
	n       bigint NOT NULL,
	PRIMARY KEY (measure, day, key)
);

-- Step times by day, and again by month and by year: a histogram's
-- minutes hardly repeat within a district's day, so by day a year of
-- them is as many rows as the houses' own (1.4 M for 200 houses); a
-- year is at most a row per key and minute (58 thousand), however many
-- houses. span is 'day', 'month' or 'year', as date_trunc names them,
-- and start the span's first day.
CREATE TABLE district_durations (
	span    text COLLATE "C" NOT NULL CHECK (span IN ('day', 'month', 'year')),
	start   date NOT NULL,
	measure text COLLATE "C" NOT NULL,
	key     text COLLATE "C" NOT NULL,
	minutes int NOT NULL,
	n       bigint NOT NULL,
	PRIMARY KEY (measure, span, start, key, minutes)
);

CREATE TABLE district_screen_use (
	hour   text COLLATE "C" NOT NULL,
	screen text COLLATE "C" NOT NULL,
	n      bigint NOT NULL,
	PRIMARY KEY (hour, screen)
);

-- What Accept added to the rollups and no fold has moved yet: no keys,
-- so that inserting never waits for another house's transaction.
CREATE TABLE pending_counts (
	day     date NOT NULL,
	measure text COLLATE "C" NOT NULL,
	key     text COLLATE "C" NOT NULL,
	n       bigint NOT NULL
);

CREATE TABLE pending_durations (
	day     date NOT NULL,
	measure text COLLATE "C" NOT NULL,
	key     text COLLATE "C" NOT NULL,
	minutes int NOT NULL,
	n       bigint NOT NULL
);

CREATE TABLE pending_screen_use (
	hour   text COLLATE "C" NOT NULL,
	screen text COLLATE "C" NOT NULL,
	n      bigint NOT NULL
);

-- The figures from before this migration are pending as if just
-- accepted: the first fold sums them, and the reads count them until
-- then. A server of before this migration would add to the rollups only,
-- so stop it before starting this one.
INSERT INTO pending_counts (day, measure, key, n) SELECT day, measure, key, n FROM figure_counts;
INSERT INTO pending_durations (day, measure, key, minutes, n) SELECT day, measure, key, minutes, n FROM figure_durations;
INSERT INTO pending_screen_use (hour, screen, n) SELECT hour, screen, n FROM screen_use;
