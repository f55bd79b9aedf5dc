-- Audit log: append-only, hash-chained. seq is gap-free: it is assigned under a transaction-level
-- advisory lock, so a missing number means a deleted row.
create table audit_log (
  seq bigint primary key check (seq > 0),
  occurred_at timestamptz not null,
  actor_type text not null check (actor_type in ('operator', 'api_token', 'system', 'anonymous')),
  actor_id text,
  actor_label text,
  action text not null check (action ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'),
  target_type text,
  target_id text,
  campus_id uuid,
  outcome text not null check (outcome in ('success', 'denied', 'failure')),
  ip text,
  request_id text,
  before jsonb,
  after jsonb,
  metadata jsonb,
  prev_hash text not null,
  hash text not null unique
);
create index audit_log_target_idx on audit_log (target_type, target_id, seq);
create index audit_log_actor_idx on audit_log (actor_type, actor_id, seq);
create index audit_log_action_idx on audit_log (action, seq);
create index audit_log_occurred_idx on audit_log (occurred_at);

-- Signed checkpoints: an Ed25519 signature over (seq, hash, signed_at) of the chain's head.
create table audit_checkpoints (
  id bigint generated always as identity primary key,
  seq bigint not null,
  hash text not null,
  signed_at timestamptz not null,
  public_key text not null,
  signature text not null
);
create index audit_checkpoints_seq_idx on audit_checkpoints (seq);

create function audit_reject_change() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only: % is not allowed', tg_table_name, tg_op
    using errcode = 'insufficient_privilege';
end;
$$;

create trigger audit_log_append_only before update or delete on audit_log
  for each row execute function audit_reject_change();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_reject_change();
create trigger audit_checkpoints_append_only before update or delete on audit_checkpoints
  for each row execute function audit_reject_change();
create trigger audit_checkpoints_no_truncate before truncate on audit_checkpoints
  for each statement execute function audit_reject_change();
