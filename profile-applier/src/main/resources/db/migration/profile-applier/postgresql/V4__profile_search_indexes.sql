-- Search that stays fast at millions of profiles.
-- Substring search (display name, mail, user principal name; any case) is served by a trigram index over the three
-- fields in one expression, the same expression ProfileQueries.search filters on. pg_trgm ships with PostgreSQL and is
-- on the allow list of the managed services (Azure Database for PostgreSQL, Amazon RDS, Cloud SQL); creating it needs
-- the CREATE privilege on the database (or an administrator running this line once). It is installed in schema
-- public, once per database, whichever schema the profile table is in (several stores may share one database).
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
CREATE INDEX profile_search_idx ON profile USING gin (
    (LOWER(COALESCE(display_name, '')) || ' | ' || LOWER(COALESCE(mail, '')) || ' | '
        || LOWER(COALESCE(user_principal_name, ''))) public.gin_trgm_ops) WHERE present;
-- Pages follow the order (display name, id) from a cursor (keyset paging): an index in that order, of present
-- profiles only, lets a page start where the last one ended instead of counting past OFFSET rows; with a department,
-- the second index does the same within it.
DROP INDEX profile_display_name_idx;
CREATE INDEX profile_listing_idx ON profile ((COALESCE(display_name, '')), user_id) WHERE present;
DROP INDEX profile_department_idx;
CREATE INDEX profile_department_listing_idx ON profile (department, (COALESCE(display_name, '')), user_id)
    WHERE present;
