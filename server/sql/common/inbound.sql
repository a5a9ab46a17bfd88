-- Mail read from the monitored mailbox (inbound/store.cpp).

-- name: inbound.claim
-- $1 key, $2 now (ms): true (a row inserted) when no one had this message.
INSERT INTO inbound_messages (dedupe_key, outcome, claimed_at) VALUES ($1, 'claimed', $2)
ON CONFLICT (dedupe_key) DO NOTHING;

-- name: inbound.take_over
-- A claim left unfinished before $3 (its worker died): $2 takes it.
UPDATE inbound_messages SET claimed_at = $2 WHERE dedupe_key = $1 AND done_at IS NULL AND claimed_at < $3;

-- name: inbound.finish
UPDATE inbound_messages SET outcome = $2, campaign_id = $3, lead_id = $4, detail = $5, done_at = $6
WHERE dedupe_key = $1;

-- name: inbound.release
-- Effects failed (the database, a lead's domain): the next poll tries again.
DELETE FROM inbound_messages WHERE dedupe_key = $1 AND done_at IS NULL;

-- name: inbound.counts
-- Messages per outcome, finished ones.
SELECT outcome, count(*) FROM inbound_messages WHERE done_at IS NOT NULL GROUP BY outcome ORDER BY outcome;

-- name: inbound.outcome
-- What a message finished as (nothing while another worker still holds it).
SELECT outcome FROM inbound_messages WHERE dedupe_key = $1 AND done_at IS NOT NULL;
