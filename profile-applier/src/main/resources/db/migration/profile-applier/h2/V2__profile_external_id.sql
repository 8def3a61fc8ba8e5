-- externalId: a provisioning client's own id of the user (SCIM), a register like every other field.
ALTER TABLE profile ADD COLUMN external_id VARCHAR;
ALTER TABLE profile ADD COLUMN external_id_ts BIGINT;
ALTER TABLE profile ADD COLUMN external_id_eid VARCHAR(128);
CREATE INDEX profile_user_principal_name_idx ON profile (user_principal_name);
CREATE INDEX profile_external_id_idx ON profile (external_id);
