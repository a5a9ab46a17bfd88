-- Campaign queries whose SQL differs between SQLite and PostgreSQL; the
-- others are in common/campaigns.sql.

-- name: recipients.insert_batch
-- ?1 campaign, ?2 now (ms), ?3 a JSON array of {l: lead id, e: email, d: due at (ms)}.
-- A lead already a recipient of the campaign is left alone.
INSERT INTO campaign_recipients (campaign_id, lead_id, email, state, due_at, updated_at)
SELECT ?1, json_extract(value, '$.l'), json_extract(value, '$.e'), 'queued', json_extract(value, '$.d'), ?2
FROM json_each(?3) WHERE true
ON CONFLICT (campaign_id, lead_id) DO NOTHING;

-- name: recipients.claim
-- ?1 campaign, ?2..?3 the id range, ?4 now, ?5 lease until, ?6 lease owner, ?7 how many.
-- Due queued or deferred recipients, and claims whose lease ran out.
-- NOT INDEXED: the id range (at most one job's recipients) is read through
-- the primary key; through (campaign_id, lead_id) SQLite would step over
-- every recipient of the campaign for each claim.
UPDATE campaign_recipients
SET state = 'sending', lease_owner = ?6, lease_until = ?5, attempts = attempts + 1, updated_at = ?4
WHERE id IN (SELECT id FROM campaign_recipients NOT INDEXED
             WHERE campaign_id = ?1 AND id BETWEEN ?2 AND ?3
               AND ((state IN ('queued', 'deferred') AND due_at <= ?4) OR (state = 'sending' AND lease_until < ?4))
             ORDER BY id LIMIT ?7)
RETURNING id, lead_id, email, attempts;

-- name: recipients.mark_sent_batch
-- A group commit's accepted messages in one statement: ?1 a JSON array of
-- {i: recipient id, o: lease owner, t: now (ms), c: reply code or null,
-- r: reply, m: Message-ID or null}. Each is marked sent only by its lease's
-- holder (as recipients.mark_sent); returns the rows marked. Each row is
-- found through the primary key.
UPDATE campaign_recipients
SET state = 'sent', sent_at = v.t, reply_code = v.c, last_reply = v.r, message_id = v.m, lease_owner = NULL,
    lease_until = NULL, updated_at = v.t
FROM (SELECT json_extract(value, '$.i') AS i, json_extract(value, '$.o') AS o, json_extract(value, '$.t') AS t,
             json_extract(value, '$.c') AS c, json_extract(value, '$.r') AS r, json_extract(value, '$.m') AS m
      FROM json_each(?1)) AS v
WHERE campaign_recipients.id = v.i AND campaign_recipients.lease_owner = v.o AND campaign_recipients.state = 'sending'
RETURNING id, campaign_id, lead_id, sent_at;

-- name: events.insert_delivered_batch
-- ?1 a JSON array of {c: campaign id, l: lead id, t: time (ms)}: their "delivered" events.
INSERT INTO campaign_events (campaign_id, lead_id, type, occurred_at, user_agent, ip, url)
SELECT json_extract(value, '$.c'), json_extract(value, '$.l'), 'delivered', json_extract(value, '$.t'), '', '', NULL
FROM json_each(?1);

-- name: events.insert_batch
-- The tracking EventWriter's batch in one statement: ?1 a JSON array of
-- {c: campaign id, l: lead id, y: type, t: time (ms), a: user agent, p: IP,
-- u: URL or null}, written in array order (ids follow it).
INSERT INTO campaign_events (campaign_id, lead_id, type, occurred_at, user_agent, ip, url)
SELECT json_extract(value, '$.c'), json_extract(value, '$.l'), json_extract(value, '$.y'), json_extract(value, '$.t'),
       json_extract(value, '$.a'), json_extract(value, '$.p'), json_extract(value, '$.u')
FROM json_each(?1) ORDER BY key;

-- name: recipients.mark_engaged_batch
-- The first open and first click of a tracking batch in one statement: ?1 a
-- JSON array of {c: campaign id, l: lead id, o: the batch's first open or
-- click of that recipient (ms), k: its first click (ms) or null}, one entry
-- per recipient. A stamp already set stays (a click is an open too).
UPDATE campaign_recipients
SET opened_at = COALESCE(opened_at, v.o), clicked_at = COALESCE(clicked_at, v.k)
FROM (SELECT json_extract(value, '$.c') AS c, json_extract(value, '$.l') AS l, json_extract(value, '$.o') AS o,
             json_extract(value, '$.k') AS k
      FROM json_each(?1)) AS v
WHERE campaign_recipients.campaign_id = v.c AND campaign_recipients.lead_id = v.l
  AND (opened_at IS NULL OR (v.k IS NOT NULL AND clicked_at IS NULL));

-- name: campaigns.complete_if_done
-- Sending is over once every recipient row exists and none is waiting (the
-- first hit in (campaign_id, state, id) answers it).
UPDATE campaigns SET status = 'completed', completed_at = ?2, updated_at = ?2
WHERE id = ?1 AND status = 'sending' AND expanded = 1
  AND NOT EXISTS (SELECT 1 FROM campaign_recipients r
                  WHERE r.campaign_id = campaigns.id AND r.state IN ('queued', 'sending', 'deferred'));
