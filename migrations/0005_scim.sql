-- SCIM filters (RFC 7644 §3.4.2.2) compare userName and emails case-insensitively, with co/sw/ew
-- as well as eq. Without these, `userName co "x"` and `emails.value eq "x"` scan the directory.
create index people_institutional_id_trgm on people using gin (lower(institutional_id) gin_trgm_ops)
  where institutional_id is not null;
create index contacts_email_lower_idx on contacts (lower(address)) where channel = 'email';
create index contacts_email_trgm on contacts using gin (lower(address) gin_trgm_ops) where channel = 'email';
-- name.givenName / name.familyName filters.
create index people_given_name_idx on people (campus_id, lower(given_name));
create index people_family_name_idx on people (campus_id, lower(family_name));
