-- The district's staff log in as a house's do (internal/account): users
-- with a bcrypt hash, sessions kept by the hash of their token, and an
-- audit log of who did what.
CREATE TABLE users (
	id         bigserial PRIMARY KEY,
	name       text NOT NULL,
	role       text NOT NULL CHECK (role IN ('staff', 'volunteer')),
	hash       text NOT NULL,
	disabled   boolean NOT NULL DEFAULT false,
	created_at timestamptz NOT NULL
);
-- "Kees" and "kees" are one user, as on the kiosk.
CREATE UNIQUE INDEX users_name ON users (lower(name));

CREATE TABLE sessions (
	id_hash    text PRIMARY KEY,
	user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	csrf       text NOT NULL,
	created_at timestamptz NOT NULL,
	last_seen  timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_last_seen ON sessions (last_seen);

CREATE TABLE audit (
	id     bigserial PRIMARY KEY,
	at     timestamptz NOT NULL,
	actor  text NOT NULL DEFAULT '',
	action text NOT NULL,
	detail text NOT NULL DEFAULT ''
);

CREATE TABLE account_languages (
	user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	lang    text NOT NULL,
	PRIMARY KEY (user_id, lang)
);
