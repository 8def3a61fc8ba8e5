-- Pages follow the order (display name, id) from a cursor (keyset paging). The embedded store holds a few thousand
-- profiles; PostgreSQL adds a trigram index for substring search (its V4).
DROP INDEX profile_display_name_idx;
CREATE INDEX profile_listing_idx ON profile (display_name, user_id);
