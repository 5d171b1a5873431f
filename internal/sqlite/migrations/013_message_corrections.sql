-- Staff's own wording of the kiosk's messages, per language, message and
-- plural form ('other' for a plain message): a house's volunteer who
-- reads Turkish fixes a phrase on the settings page, and the kiosk shows
-- it within seconds. Going back to the shipped text deletes the row.
CREATE TABLE message_corrections (
	lang       TEXT NOT NULL,
	message_id TEXT NOT NULL,
	form       TEXT NOT NULL CHECK (form IN ('zero', 'one', 'two', 'few', 'many', 'other')),
	text       TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 600),
	updated_at TEXT NOT NULL,
	updated_by TEXT NOT NULL,
	PRIMARY KEY (lang, message_id, form)
);
