-- SCIM DELETE /Users/{id} (RFC 7644 §3.6): every later operation on that User answers 404, yet the
-- person stays in the directory, inactive, with their history and contacts. scim_deleted_at marks
-- them gone for SCIM until a POST with the same userName or externalId provisions them again. It
-- is SCIM's own mark, separate from status: only a SCIM-provisioned person can carry it.
alter table people add column scim_deleted_at timestamptz;
alter table people add constraint people_scim_deleted_check
  check (scim_deleted_at is null or source = 'scim');
