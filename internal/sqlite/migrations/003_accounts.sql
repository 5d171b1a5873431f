-- Accounts of volunteers and staff, their login sessions, and the audit
-- log of who did what.
--
-- A user is disabled, never deleted, so the names in the audit log keep
-- meaning someone. hash is a bcrypt hash: no password is stored. A
-- session is kept by the SHA-256 of its token (id_hash), never the token
-- itself, so a copy of this file holds no session anyone can use. Times
-- are RFC 3339 in UTC, which sort as text.

CREATE TABLE users (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
	role       TEXT NOT NULL CHECK (role IN ('staff', 'volunteer')),
	hash       TEXT NOT NULL,
	disabled   INTEGER NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL
);

CREATE TABLE sessions (
	id_hash    TEXT PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	csrf       TEXT NOT NULL, -- the token the session's forms carry
	created_at TEXT NOT NULL,
	last_seen  TEXT NOT NULL
) WITHOUT ROWID;

-- Ending a user's sessions when they are disabled.
CREATE INDEX sessions_user ON sessions (user_id);
-- Purging idle sessions.
CREATE INDEX sessions_last_seen ON sessions (last_seen);

-- detail is a short note for staff: never a password, never a question's
-- text. actor is a user's name, or '' for the command line and the
-- system. When a question is purged its entries stay, without the link.
CREATE TABLE audit (
	id          INTEGER PRIMARY KEY,
	at          TEXT NOT NULL,
	actor       TEXT NOT NULL DEFAULT '',
	action      TEXT NOT NULL,
	question_id INTEGER REFERENCES questions(id) ON DELETE SET NULL,
	detail      TEXT NOT NULL DEFAULT ''
);

CREATE INDEX audit_at ON audit (at);
-- Deleting a question looks up its entries to unlink them.
CREATE INDEX audit_question ON audit (question_id);
