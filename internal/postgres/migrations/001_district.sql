-- The district's houses, their kiosks and how they joined.
CREATE TABLE houses (
	id         bigserial PRIMARY KEY,
	name       text NOT NULL UNIQUE,
	created_at timestamptz NOT NULL,
	revoked_at timestamptz
);

-- An enrolment code is kept only as its hash: a copy of the database
-- cannot be used to join.
CREATE TABLE enrolments (
	code_hash     text PRIMARY KEY,
	house_id      bigint NOT NULL REFERENCES houses (id),
	expires_at    timestamptz NOT NULL,
	used_at       timestamptz,
	used_by_kiosk text
);

CREATE TABLE kiosks (
	id           text PRIMARY KEY,
	house_id     bigint NOT NULL REFERENCES houses (id),
	key          text NOT NULL,
	joined_at    timestamptz NOT NULL,
	last_seen_at timestamptz
);
CREATE INDEX kiosks_house ON kiosks (house_id);

-- The nonces of the last 2 × MaxSkew, per kiosk, against replays.
CREATE TABLE nonces (
	kiosk_id text NOT NULL REFERENCES kiosks (id),
	nonce    text NOT NULL,
	seen_at  timestamptz NOT NULL,
	PRIMARY KEY (kiosk_id, nonce)
);

-- Every event the district has counted, by its id: the record that makes
-- a batch sent twice count once. The figures themselves are read from
-- the rollups below, kept in the same transaction.
CREATE TABLE events (
	house_id    bigint NOT NULL REFERENCES houses (id),
	id          text NOT NULL,
	kiosk_id    text NOT NULL,
	kind        text NOT NULL,
	received_at timestamptz NOT NULL,
	PRIMARY KEY (house_id, id)
);

-- Keys, measures and hours compare as bytes (COLLATE "C"): they are
-- codes, not words, they sort as the kiosk sorts them, and a byte
-- comparison is the fastest there is.
CREATE TABLE figure_counts (
	house_id bigint NOT NULL REFERENCES houses (id),
	day      date NOT NULL,
	measure  text COLLATE "C" NOT NULL,
	key      text COLLATE "C" NOT NULL,
	n        bigint NOT NULL,
	PRIMARY KEY (house_id, day, measure, key)
);

-- A histogram of step times: how many steps took so many minutes.
CREATE TABLE figure_durations (
	house_id bigint NOT NULL REFERENCES houses (id),
	day      date NOT NULL,
	measure  text COLLATE "C" NOT NULL,
	key      text COLLATE "C" NOT NULL,
	minutes  int NOT NULL,
	n        bigint NOT NULL,
	PRIMARY KEY (house_id, day, measure, key, minutes)
);

-- hour is figures.Hour, "2026-12-03T14": sorted as bytes it is in time
-- order, and it round-trips to the kiosk's own figures exactly.
CREATE TABLE screen_use (
	house_id bigint NOT NULL REFERENCES houses (id),
	hour     text COLLATE "C" NOT NULL,
	screen   text COLLATE "C" NOT NULL,
	n        bigint NOT NULL,
	PRIMARY KEY (house_id, hour, screen)
);
