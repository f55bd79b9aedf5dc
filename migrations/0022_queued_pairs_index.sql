-- The sweeper looks every second for messages and channels with deliveries waiting in the queue
-- and no job to send them. It used to find them with a distinct over every waiting delivery (the
-- whole backlog of a campus-wide send, 100,000 rows, each second, in each worker). This index holds
-- only queued deliveries by message and channel, so the distinct pairs are found by skipping from
-- one to the next: a few index probes.
create index deliveries_queued_pairs_idx on deliveries (message_id, channel) where status = 'queued';
