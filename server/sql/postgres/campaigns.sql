-- Campaign queries whose SQL differs between SQLite and PostgreSQL; the
-- others are in common/campaigns.sql.

-- name: recipients.insert_batch
-- $1 campaign, $2 now (ms), $3 a JSON array of {l: lead id, e: email, d: due at (ms)}.
-- A lead already a recipient of the campaign is left alone.
INSERT INTO campaign_recipients (campaign_id, lead_id, email, state, due_at, updated_at)
SELECT $1, (x ->> 'l')::bigint, x ->> 'e', 'queued', (x ->> 'd')::bigint, $2
FROM jsonb_array_elements(CAST($3 AS jsonb)) AS x
ON CONFLICT (campaign_id, lead_id) DO NOTHING;

-- name: recipients.claim
-- $1 campaign, $2..$3 the id range, $4 now, $5 lease until, $6 lease owner, $7 how many.
-- Due queued or deferred recipients, and claims whose lease ran out;
-- SKIP LOCKED: concurrent workers never wait for each other.
-- `campaign_id + 0`: the id range (at most one job's recipients) is read
-- through the primary key whatever the statistics say. A prepared
-- statement runs a generic plan after five executions; with statistics
-- taken while the campaign had few waiting rows, that plan read the
-- campaign's rows through (campaign_id, state, id) and sorted them, a cost
-- that grows with the campaign (bench/RESULTS.md, "PostgreSQL's plans on
-- the send path").
UPDATE campaign_recipients
SET state = 'sending', lease_owner = $6, lease_until = $5, attempts = attempts + 1, updated_at = $4
WHERE id IN (SELECT id FROM campaign_recipients
             WHERE id BETWEEN $2 AND $3 AND campaign_id + 0 = $1
               AND ((state IN ('queued', 'deferred') AND due_at <= $4) OR (state = 'sending' AND lease_until < $4))
             ORDER BY id LIMIT $7
             FOR UPDATE SKIP LOCKED)
RETURNING id, lead_id, email, attempts;

-- name: recipients.mark_sent_batch
-- A group commit's accepted messages in one statement: $1 a JSON array of
-- {i: recipient id, o: lease owner, t: now (ms), c: reply code or null,
-- r: reply, m: Message-ID or null}. Each is marked sent only by its lease's
-- holder (as recipients.mark_sent), and the rows marked get their
-- "delivered" events in the same statement; returns the rows marked. One
-- statement is atomic on its own: a group of accepted messages needs no
-- BEGIN and COMMIT around it (OutcomeWriter), three round trips fewer per
-- group.
-- `cr.id = ANY (ARRAY(…))`: the rows are found through the primary key, one
-- probe per id. Joined on `cr.id = v.i` alone, the generic plan (the
-- function counted as 100 rows) was a hash join over a sequential scan of
-- the whole table for every group commit.
WITH marked AS (
  UPDATE campaign_recipients AS cr
  SET state = 'sent', sent_at = v.t, reply_code = v.c, last_reply = v.r, message_id = v.m, lease_owner = NULL,
      lease_until = NULL, updated_at = v.t
  FROM jsonb_to_recordset(CAST($1 AS jsonb)) AS v(i bigint, o text, t bigint, c bigint, r text, m text)
  WHERE cr.id = ANY (ARRAY(SELECT (e ->> 'i')::bigint FROM jsonb_array_elements(CAST($1 AS jsonb)) AS e))
    AND cr.id = v.i AND cr.lease_owner = v.o AND cr.state = 'sending'
  RETURNING cr.id, cr.campaign_id, cr.lead_id, cr.sent_at
), delivered AS (
  INSERT INTO campaign_events (campaign_id, lead_id, type, occurred_at, user_agent, ip, url)
  SELECT campaign_id, lead_id, 'delivered', sent_at, '', '', NULL FROM marked
)
SELECT id, campaign_id, lead_id, sent_at FROM marked;

-- name: events.insert_delivered_batch
-- $1 a JSON array of {c: campaign id, l: lead id, t: time (ms)}: their "delivered" events.
-- SQLite's second statement after recipients.mark_sent_batch; on PostgreSQL
-- that statement writes the events itself and this one stays unused.
INSERT INTO campaign_events (campaign_id, lead_id, type, occurred_at, user_agent, ip, url)
SELECT x.c, x.l, 'delivered', x.t, '', '', NULL
FROM jsonb_to_recordset(CAST($1 AS jsonb)) AS x(c bigint, l bigint, t bigint);

-- name: events.insert_batch
-- The tracking EventWriter's batch in one statement: $1 a JSON array of
-- {c: campaign id, l: lead id, y: type, t: time (ms), a: user agent, p: IP,
-- u: URL or null}, written in array order (ids follow it).
INSERT INTO campaign_events (campaign_id, lead_id, type, occurred_at, user_agent, ip, url)
SELECT (x.v ->> 'c')::bigint, (x.v ->> 'l')::bigint, x.v ->> 'y', (x.v ->> 't')::bigint, x.v ->> 'a', x.v ->> 'p',
       x.v ->> 'u'
FROM jsonb_array_elements(CAST($1 AS jsonb)) WITH ORDINALITY AS x(v, n)
ORDER BY x.n;

-- name: recipients.mark_engaged_batch
-- The first open and first click of a tracking batch in one statement: $1 a
-- JSON array of {c: campaign id, l: lead id, o: the batch's first open or
-- click of that recipient (ms), k: its first click (ms) or null}, one entry
-- per recipient. A stamp already set stays (a click is an open too).
UPDATE campaign_recipients AS cr
SET opened_at = COALESCE(cr.opened_at, v.o), clicked_at = COALESCE(cr.clicked_at, v.k)
FROM jsonb_to_recordset(CAST($1 AS jsonb)) AS v(c bigint, l bigint, o bigint, k bigint)
WHERE cr.campaign_id = v.c AND cr.lead_id = v.l AND (cr.opened_at IS NULL OR (v.k IS NOT NULL AND cr.clicked_at IS NULL));

-- name: campaigns.complete_if_done
-- Sending is over once every recipient row exists and none is waiting.
-- One probe per waiting state: the first entry of (campaign_id, state,
-- due_at) for that state — the only path that returns it without sorting
-- them all, so the generic plan stays there whatever the statistics. As a
-- plain NOT EXISTS over the three states, the planner expected a waiting row
-- early in a sequential scan and stepped over every recipient already sent,
-- at each job's end (13 ms with 50,000 sent).
UPDATE campaigns SET status = 'completed', completed_at = $2, updated_at = $2
WHERE id = $1 AND status = 'sending' AND expanded = 1
  AND NOT EXISTS (SELECT 1 FROM (SELECT r.due_at FROM campaign_recipients r
                                 WHERE r.campaign_id = $1 AND r.state = 'queued' ORDER BY r.due_at LIMIT 1) AS q)
  AND NOT EXISTS (SELECT 1 FROM (SELECT r.due_at FROM campaign_recipients r
                                 WHERE r.campaign_id = $1 AND r.state = 'deferred' ORDER BY r.due_at LIMIT 1) AS d)
  AND NOT EXISTS (SELECT 1 FROM (SELECT r.due_at FROM campaign_recipients r
                                 WHERE r.campaign_id = $1 AND r.state = 'sending' ORDER BY r.due_at LIMIT 1) AS s);
