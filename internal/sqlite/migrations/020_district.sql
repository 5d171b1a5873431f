-- The district this kiosk belongs to, once it has joined one
-- ("buurtbalie district join URL CODE"): where it is, who this kiosk is
-- there and the kiosk's own secret key, which never travels again.
-- revoked_at is set when the district refused the kiosk as revoked.
CREATE TABLE district_link (
	only         INTEGER PRIMARY KEY CHECK (only = 1),
	url          TEXT NOT NULL,
	kiosk        TEXT NOT NULL,
	key          TEXT NOT NULL,
	house        TEXT NOT NULL,
	district     TEXT NOT NULL,
	joined_at    TEXT NOT NULL,
	revoked_at   TEXT,
	last_sent_at TEXT,
	last_error   TEXT NOT NULL DEFAULT ''
);

-- What this kiosk shares with its district and has not yet delivered:
-- written in the same transaction as the change it tells of, so nothing
-- is counted here that the district will not get, and taken out once the
-- district has it. body is a district.Event as JSON; it never holds a
-- question, token, code or free text.
--
-- cell is the event's district.Cell (its measure and key in its ISO
-- week; empty for screen use): an event leaves only once outbox_cells
-- says its cell has reached five, the small-cell rule of the house's own
-- figures, so that nothing the house hides as "< 5" reaches the district.
CREATE TABLE outbox (
	seq  INTEGER PRIMARY KEY AUTOINCREMENT,
	id   TEXT NOT NULL UNIQUE,
	body TEXT NOT NULL,
	cell TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_by_cell ON outbox (cell);

-- How much each cell has counted since the kiosk joined: kept after its
-- events are sent, so that a cell once at five lets the next event go at
-- once. Cells of weeks long past are dropped with what they still held.
CREATE TABLE outbox_cells (
	cell TEXT PRIMARY KEY,
	n    INTEGER NOT NULL
) WITHOUT ROWID;
