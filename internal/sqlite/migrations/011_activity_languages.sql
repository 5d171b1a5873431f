-- Visitors read the kiosk in their own language: staff may give an
-- activity's title and description, and a date's note, in other
-- languages besides the Dutch, which stays in title, description and
-- note and is what a visitor without a translation reads. Each is a JSON
-- object of language tag to text, '{}' for none, as categories.names.
ALTER TABLE activities ADD COLUMN titles TEXT NOT NULL DEFAULT '{}';
ALTER TABLE activities ADD COLUMN descriptions TEXT NOT NULL DEFAULT '{}';
ALTER TABLE exceptions ADD COLUMN notes TEXT NOT NULL DEFAULT '{}';
