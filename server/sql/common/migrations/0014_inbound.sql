-- Mail read from the monitored mailbox (inbound/): one row per message,
-- keyed by its Message-ID (or a hash of its bytes when it has none), so a
-- message is applied once across re-polls and several workers. A row is
-- claimed first (done_at NULL) and finished once its effects are written;
-- a claim older than a few minutes without done_at belongs to a worker
-- that died and may be taken over.
CREATE TABLE inbound_messages (
  dedupe_key  TEXT PRIMARY KEY,
  outcome     TEXT NOT NULL,
  campaign_id BIGINT,
  lead_id     BIGINT,
  detail      TEXT NOT NULL DEFAULT '',
  claimed_at  BIGINT NOT NULL,
  done_at     BIGINT
);
CREATE INDEX inbound_messages_outcome ON inbound_messages (outcome);
