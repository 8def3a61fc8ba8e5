-- externalId: a provisioning client's own id of the user (SCIM), a register like every other field.
ALTER TABLE profile ADD COLUMN external_id TEXT;
ALTER TABLE profile ADD COLUMN external_id_ts BIGINT;
ALTER TABLE profile ADD COLUMN external_id_eid VARCHAR(128) COLLATE "C";
-- SCIM clients look users up by userName (case-insensitive) and externalId before they create them.
CREATE INDEX profile_user_principal_name_lower_idx ON profile (LOWER(user_principal_name));
CREATE INDEX profile_external_id_idx ON profile (external_id);
