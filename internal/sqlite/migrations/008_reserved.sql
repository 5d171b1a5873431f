-- A stand-in for migration 008, which the db branch adds, so that this
-- branch's 009 has no gap (migrations() refuses one). Drop this file when
-- merging with the real 008: two files numbered 008 make Open fail.
SELECT 1;
