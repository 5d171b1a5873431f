-- The languages a volunteer (or staff member) says they speak, besides
-- Dutch, which everyone speaks and which is not stored: so the queue can
-- mark a question in a language nobody on duty speaks. lang is a
-- catalogue's language tag ("tr", "ar"). A user is never deleted, but
-- the cascade keeps this table honest if one ever is.
CREATE TABLE account_languages (
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	lang    TEXT NOT NULL,
	PRIMARY KEY (user_id, lang)
) WITHOUT ROWID;
