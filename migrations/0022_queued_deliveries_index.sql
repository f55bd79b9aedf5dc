-- Queued deliveries by message and channel, in the order they are sent (priority, then age).
-- The claim of a batch walks it and stops after the batch, instead of reading and sorting every
-- waiting delivery of the message and channel (the whole backlog of a campus-wide send, on every
-- claim of 250). The sweeper, which looks every second for messages and channels with queued
-- deliveries and no job to send them, skips through its first two columns from one pair to the next
-- (a few probes) instead of a distinct over the backlog.
create index deliveries_queued_idx on deliveries (message_id, channel, priority desc, created_at)
  where status = 'queued';
