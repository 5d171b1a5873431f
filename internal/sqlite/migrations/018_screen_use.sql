-- How often each kiosk screen was opened, as anonymous totals per
-- house-local hour ("2026-12-03T14"): never a visitor's trail, and no
-- question, token, code or finer time.
CREATE TABLE screen_use (
	hour   TEXT NOT NULL,
	screen TEXT NOT NULL,
	demo   INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)), -- as figure_counts.demo
	n      INTEGER NOT NULL CHECK (n >= 0),
	PRIMARY KEY (hour, screen, demo)
) WITHOUT ROWID;
