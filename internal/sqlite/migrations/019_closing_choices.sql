-- How a question ended, as one of the fixed closing choices
-- (question.Outcomes): counted for the house's funders, and kept when the
-- purge erases the free-text closing note beside it, since it names
-- nobody. '' for questions closed before there were choices.
ALTER TABLE questions ADD COLUMN closed_as TEXT NOT NULL DEFAULT '';
