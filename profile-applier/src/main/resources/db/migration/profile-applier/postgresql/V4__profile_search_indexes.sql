-- Search that stays fast at millions of profiles, at a bounded cost to writes.
-- Display names are found by any part of them (a trigram index: pg_trgm ships with PostgreSQL and is on the allow list
-- of the managed services, Azure Database for PostgreSQL, Amazon RDS, Cloud SQL; creating it needs the CREATE
-- privilege on the database once, and it goes to schema public, once per database, whichever schema the profile table
-- is in). Mail and user principal name are found by their beginning (B-tree indexes in pattern order): a trigram
-- index over them too would put some 100 index entries on every row write instead of about 15.
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
CREATE INDEX profile_display_name_trgm_idx ON profile USING gin ((LOWER(COALESCE(display_name, '')))
    public.gin_trgm_ops) WHERE present;
CREATE INDEX profile_mail_prefix_idx ON profile ((LOWER(mail)) text_pattern_ops) WHERE present;
CREATE INDEX profile_user_principal_name_prefix_idx ON profile ((LOWER(user_principal_name)) text_pattern_ops)
    WHERE present;
-- Pages follow the order (display name, id) from a cursor (keyset paging): an index in that order, of present profiles
-- only, lets a page start where the last one ended instead of counting past OFFSET rows. The department index stays
-- as it was: listing one department's profiles filters it.
DROP INDEX profile_display_name_idx;
CREATE INDEX profile_listing_idx ON profile ((COALESCE(display_name, '')), user_id) WHERE present;
