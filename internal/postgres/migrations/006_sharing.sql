-- What the houses share through the district besides their figures:
-- the district's partner directory, the houses' published programmes
-- and the questions a volunteer refers to another house.
--
-- Every change to these takes a fresh value of share_seq, and a kiosk
-- pulls what changed after the last value it has (district.Updates).
-- A writer takes its values while it holds the share lock shared, and
-- a reader first takes that lock exclusively for a moment, so that it
-- never hands out a value above one still held by a writer that has
-- not committed (see horizon in share.go).
CREATE SEQUENCE share_seq;

-- The partner directory (the sociale kaart). A deleted partner stays as
-- a tombstone, so that kiosks that had it learn to remove it.
CREATE TABLE partners (
	id         bigserial PRIMARY KEY,
	name       text NOT NULL,
	helps_with text NOT NULL,
	languages  text[] NOT NULL DEFAULT '{}',
	hours      text NOT NULL,
	contact    text NOT NULL,
	updated_at timestamptz NOT NULL,
	deleted_at timestamptz,
	seq        bigint NOT NULL DEFAULT nextval('share_seq')
);
CREATE INDEX partners_seq ON partners (seq);

-- When the programme the district has of each house was made: a
-- programme made earlier (by the house's other kiosk, or sent late) is
-- ignored.
CREATE TABLE programmes (
	house_id    bigint PRIMARY KEY REFERENCES houses (id),
	made        timestamptz NOT NULL,
	received_at timestamptz NOT NULL
);

-- The activities of the houses' published programmes, by the house's
-- own key of each occurrence. One no longer in the house's programme is
-- kept as deleted until its day has passed.
CREATE TABLE programme_activities (
	house_id   bigint NOT NULL REFERENCES houses (id),
	key        text NOT NULL,
	day        date NOT NULL,
	start_time text NOT NULL,
	end_time   text NOT NULL,
	title      text NOT NULL,
	category   text NOT NULL,
	room       text NOT NULL,
	cancelled  boolean NOT NULL,
	deleted    boolean NOT NULL DEFAULT false,
	seq        bigint NOT NULL DEFAULT nextval('share_seq'),
	PRIMARY KEY (house_id, key)
);
CREATE INDEX programme_activities_seq ON programme_activities (seq);
CREATE INDEX programme_activities_day ON programme_activities (house_id, day);

-- Questions referred from one house to another, by the id the referring
-- kiosk made: sent twice, kept once. Text, note and code are emptied
-- (purged_at) 30 days after the house referred to has them, or after 90
-- days if it never asked.
CREATE TABLE referrals (
	id           text PRIMARY KEY,
	from_house   bigint NOT NULL REFERENCES houses (id),
	to_house     bigint NOT NULL REFERENCES houses (id),
	topic        text NOT NULL,
	language     text NOT NULL,
	text         text NOT NULL,
	code         text NOT NULL,
	note         text NOT NULL,
	at           timestamptz NOT NULL,
	received_at  timestamptz NOT NULL,
	delivered_at timestamptz,
	purged_at    timestamptz,
	seq          bigint NOT NULL DEFAULT nextval('share_seq')
);
CREATE INDEX referrals_to ON referrals (to_house, seq);
-- What each pull marks delivered: only the few not yet so.
CREATE INDEX referrals_undelivered ON referrals (to_house, seq) WHERE delivered_at IS NULL;
CREATE INDEX referrals_at ON referrals (at DESC, id);
