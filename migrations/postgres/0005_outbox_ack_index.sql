-- The one-acknowledgement-per-sender rule looks up recent acks by address on every routed
-- message; without this index that is a scan of the whole outbox (ingest slowed as it grew).
CREATE INDEX outbox_ack_to ON outbox (kind, LOWER(to_addr), created_at);
