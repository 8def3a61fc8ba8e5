-- Profiles are updated far more often than inserted. Leaving a fifth of each page free lets most updates stay on
-- the same page as heap-only tuples (HOT): no new entries in the primary key and the search indexes, unless an
-- indexed column (department, display name) itself changes.
ALTER TABLE profile SET (fillfactor = 80);
