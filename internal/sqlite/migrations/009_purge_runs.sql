-- When the purge ran, so that the next one can tell a clock that jumped
-- forward (a flat RTC battery, a bad time server) from a night later:
-- Purge refuses to run when the clock is far past the last run (see
-- retention.CheckClock). Only a purge that ran is recorded, never one
-- refused or a dry run. at is RFC 3339 in UTC, as the clock said;
-- trusted marks a run that staff told to believe the clock anyway
-- (buurtbalie purge --trust-clock). The counts are the run's report.
CREATE TABLE purge_runs (
	id          INTEGER PRIMARY KEY,
	at          TEXT NOT NULL,
	trusted     INTEGER NOT NULL DEFAULT 0,
	text_erased INTEGER NOT NULL DEFAULT 0,
	questions   INTEGER NOT NULL DEFAULT 0,
	audit       INTEGER NOT NULL DEFAULT 0,
	sessions    INTEGER NOT NULL DEFAULT 0
);
