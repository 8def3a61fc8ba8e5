-- Fewer index entries for every profile written; the same lookups, served as before.
--
-- externalId is set only by provisioning clients (SCIM); directory users have none. A plain B-tree keeps an entry for
-- every NULL, so every directory user written paid for an entry no lookup uses; a partial index leaves them out.
-- SCIM's lookups (external_id = ?, among present profiles) are all it serves.
DROP INDEX profile_external_id_idx;
CREATE INDEX profile_external_id_idx ON profile (external_id) WHERE external_id IS NOT NULL AND present;
-- SCIM finds users by userName among present profiles (LOWER(user_principal_name) = ?): the pattern-order index of V4
-- serves equality as well as prefixes. The plain index of V3 was still what gave the planner the expression's
-- statistics (partial indexes do not); extended statistics on the expression (PostgreSQL 14 and later) give them
-- without an index entry per write.
DROP INDEX profile_user_principal_name_lower_idx;
CREATE STATISTICS profile_user_principal_name_lower_stats ON (LOWER(user_principal_name)) FROM profile;
