-- Campaigns (campaigns/store.cpp). Times shown to users are RFC 3339 text;
-- progress_at is epoch milliseconds.

-- name: campaigns.insert
INSERT INTO campaigns (name, template_id, from_name, from_email, reply_to, audience, schedule_mode, scheduled_at,
                       local_time, timezone, throttle_per_minute, track_opens, track_clicks, send_now, status,
                       created_by, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'draft', $15, $16, $16)
RETURNING id;

-- name: campaigns.by_id
SELECT id, name, template_id, template_version, from_name, from_email, reply_to, audience, schedule_mode,
       scheduled_at, local_time, timezone, throttle_per_minute, track_opens, track_clicks, send_now, status, error,
       generation, expand_after, expanded, progress_at, created_by, created_at, updated_at, started_at, completed_at
FROM campaigns WHERE id = $1;

-- name: campaigns.list
-- $1 status ('' for any), $2 limit, $3 offset. Newest first.
SELECT id, name, template_id, template_version, from_name, from_email, reply_to, audience, schedule_mode,
       scheduled_at, local_time, timezone, throttle_per_minute, track_opens, track_clicks, send_now, status, error,
       generation, expand_after, expanded, progress_at, created_by, created_at, updated_at, started_at, completed_at
FROM campaigns WHERE (CAST($1 AS TEXT) = '' OR status = $1) ORDER BY id DESC LIMIT $2 OFFSET $3;

-- name: campaigns.count
SELECT count(*) FROM campaigns WHERE (CAST($1 AS TEXT) = '' OR status = $1);

-- name: campaigns.count_by_status
SELECT status, count(*) FROM campaigns GROUP BY status;

-- name: campaigns.update
-- Every editable field; only while the campaign is still in the state the
-- caller read ($16), so a concurrent send or pause wins cleanly.
UPDATE campaigns
SET name = $2, template_id = $3, from_name = $4, from_email = $5, reply_to = $6, audience = $7, schedule_mode = $8,
    scheduled_at = $9, local_time = $10, timezone = $11, throttle_per_minute = $12, track_opens = $13,
    track_clicks = $14, updated_at = $15
WHERE id = $1 AND status = $16;

-- name: campaigns.delete
DELETE FROM campaigns WHERE id = $1 AND status IN ('draft', 'completed', 'cancelled', 'failed');

-- name: campaigns.schedule
-- A draft waits for its time; the generation keys its start job.
UPDATE campaigns SET status = 'scheduled', generation = generation + 1, updated_at = $2
WHERE id = $1 AND status = 'draft'
RETURNING generation;

-- name: campaigns.start
-- Sending starts: the template version is pinned. $1 id, $2 version, $3 now, $4 the status it was in.
UPDATE campaigns
SET status = 'sending', template_version = $2, started_at = $3, updated_at = $3, generation = generation + 1,
    expand_after = 0, expanded = 0, progress_at = $5
WHERE id = $1 AND status = $4
RETURNING generation;

-- name: campaigns.pause
UPDATE campaigns SET status = 'paused', updated_at = $2 WHERE id = $1 AND status = 'sending';

-- name: campaigns.resume
UPDATE campaigns SET status = 'sending', generation = generation + 1, updated_at = $2, progress_at = $3
WHERE id = $1 AND status = 'paused'
RETURNING generation;

-- name: campaigns.cancel
UPDATE campaigns SET status = 'cancelled', updated_at = $2, completed_at = $2
WHERE id = $1 AND status IN ('scheduled', 'sending', 'paused');

-- name: campaigns.fail
UPDATE campaigns SET status = 'failed', error = $2, updated_at = $3, completed_at = $3
WHERE id = $1 AND status IN ('scheduled', 'sending');

-- name: campaigns.expand_step
-- Moves the expansion cursor from the value the worker read ($2) only, so a
-- second worker on the same campaign cannot skip or repeat a batch.
UPDATE campaigns SET expand_after = $3, expanded = $4, progress_at = $5
WHERE id = $1 AND expand_after = $2 AND status = 'sending';

-- name: campaigns.touch
UPDATE campaigns SET progress_at = $2 WHERE id = $1;

-- name: campaigns.active
-- What the reconciler looks at: campaigns whose work the queue must hold.
SELECT id, status, generation, expanded, progress_at, scheduled_at FROM campaigns
WHERE status IN ('scheduled', 'sending') ORDER BY id;

-- ---- recipients -------------------------------------------------------------

-- name: recipients.ids_for_leads
-- The recipient rows of one expansion batch: leads in ($2, $3].
SELECT id FROM campaign_recipients WHERE campaign_id = $1 AND lead_id > $2 AND lead_id <= $3 ORDER BY id;

-- name: recipients.unfinished_ids
-- Keyset walk over the recipients still to send (resume, reconciler).
SELECT id FROM campaign_recipients
WHERE campaign_id = $1 AND id > $2 AND state IN ('queued', 'deferred', 'sending')
ORDER BY id LIMIT $3;

-- name: recipients.extend_lease
-- Answers the recipients the owner still holds: one whose lease ran out and
-- that another sender claimed meanwhile is not among them.
UPDATE campaign_recipients SET lease_until = $5
WHERE campaign_id = $1 AND id BETWEEN $2 AND $3 AND lease_owner = $4 AND state = 'sending'
RETURNING id;

-- name: recipients.mark_sent
-- Only by the lease's holder: a recipient is marked sent once.
UPDATE campaign_recipients
SET state = 'sent', sent_at = $3, reply_code = $4, last_reply = $5, message_id = $6, lease_owner = NULL,
    lease_until = NULL, updated_at = $3
WHERE id = $1 AND lease_owner = $2 AND state = 'sending';

-- name: recipients.mark_deferred
UPDATE campaign_recipients
SET state = 'deferred', due_at = $4, reply_code = $5, last_reply = $6, lease_owner = NULL, lease_until = NULL,
    updated_at = $3
WHERE id = $1 AND lease_owner = $2 AND state = 'sending';

-- name: recipients.mark_failed
-- $7: the time of a bounce (a mailbox refused at RCPT), else NULL.
UPDATE campaign_recipients
SET state = 'failed', reply_code = $4, last_reply = $5, message_id = $6, lease_owner = NULL, lease_until = NULL,
    bounced_at = $7, updated_at = $3
WHERE id = $1 AND lease_owner = $2 AND state = 'sending';

-- name: recipients.mark_skipped
UPDATE campaign_recipients
SET state = 'skipped', last_reply = $4, lease_owner = NULL, lease_until = NULL, updated_at = $3
WHERE id = $1 AND lease_owner = $2 AND state = 'sending';

-- name: recipients.release
-- Back to the queue untouched (throttled, paused): the attempt does not count.
UPDATE campaign_recipients
SET state = 'queued', due_at = $4, attempts = attempts - 1, lease_owner = NULL, lease_until = NULL, updated_at = $3
WHERE id = $1 AND lease_owner = $2 AND state = 'sending';

-- name: recipients.cancel_waiting
-- A cancelled campaign: what waits will never go. Claims a worker still
-- holds are left to it (it marks them cancelled when it sees the campaign).
UPDATE campaign_recipients SET state = 'cancelled', updated_at = $2, lease_owner = NULL, lease_until = NULL
WHERE campaign_id = $1 AND (state IN ('queued', 'deferred') OR (state = 'sending' AND lease_until < $2));

-- name: recipients.cancel_claimed
UPDATE campaign_recipients SET state = 'cancelled', updated_at = $3, lease_owner = NULL, lease_until = NULL
WHERE id = $1 AND lease_owner = $2 AND state = 'sending';

-- name: recipients.next_due
-- When something in this range can next be sent (a back-off, a throttle, a
-- lease held by another worker running out), or NULL when nothing waits.
-- `campaign_id + 0`: read through the primary key's id range (one job's
-- recipients); PostgreSQL otherwise took (campaign_id, state, id) with only
-- campaign_id and the id range as its condition, stepping over every
-- recipient of the campaign at each job's end.
SELECT min(CASE WHEN state = 'sending' THEN lease_until ELSE due_at END) FROM campaign_recipients
WHERE id BETWEEN $2 AND $3 AND campaign_id + 0 = $1 AND state IN ('queued', 'deferred', 'sending');

-- name: recipients.stranded
-- A recipient due (or whose lease ran out) before $2: work the queue may have lost.
SELECT id FROM campaign_recipients
WHERE campaign_id = $1 AND ((state IN ('queued', 'deferred') AND due_at < $2) OR (state = 'sending' AND lease_until < $2))
LIMIT 1;

-- name: recipients.stats
SELECT count(*),
       sum(CASE WHEN state = 'queued' THEN 1 ELSE 0 END),
       sum(CASE WHEN state = 'sending' THEN 1 ELSE 0 END),
       sum(CASE WHEN state = 'deferred' THEN 1 ELSE 0 END),
       sum(CASE WHEN state = 'sent' THEN 1 ELSE 0 END),
       sum(CASE WHEN state = 'failed' THEN 1 ELSE 0 END),
       sum(CASE WHEN state = 'skipped' THEN 1 ELSE 0 END),
       sum(CASE WHEN state = 'cancelled' THEN 1 ELSE 0 END),
       count(opened_at), count(clicked_at), count(replied_at), count(bounced_at), count(unsubscribed_at)
FROM campaign_recipients WHERE campaign_id = $1;

-- name: recipients.sent_since
SELECT count(*) FROM campaign_recipients WHERE campaign_id = $1 AND sent_at >= $2;

-- name: recipients.sent_per_minute
-- Messages sent per minute (epoch minute) since $2.
SELECT sent_at / 60000, count(*) FROM campaign_recipients
WHERE campaign_id = $1 AND sent_at >= $2 GROUP BY sent_at / 60000 ORDER BY 1;

-- name: recipients.list
-- $2 state ('' for any), $3 limit, $4 offset.
SELECT id, campaign_id, lead_id, email, state, attempts, due_at, reply_code, last_reply, message_id, sent_at,
       opened_at, clicked_at, unsubscribed_at, updated_at
FROM campaign_recipients WHERE campaign_id = $1 AND (CAST($2 AS TEXT) = '' OR state = $2)
ORDER BY id LIMIT $3 OFFSET $4;

-- name: recipients.count
SELECT count(*) FROM campaign_recipients WHERE campaign_id = $1 AND (CAST($2 AS TEXT) = '' OR state = $2);

-- name: recipients.mark_opened
UPDATE campaign_recipients SET opened_at = $3 WHERE campaign_id = $1 AND lead_id = $2 AND opened_at IS NULL;

-- name: recipients.mark_clicked
-- A click is an open too (the pixel may have been blocked).
UPDATE campaign_recipients SET clicked_at = COALESCE(clicked_at, $3), opened_at = COALESCE(opened_at, $3)
WHERE campaign_id = $1 AND lead_id = $2 AND (clicked_at IS NULL OR opened_at IS NULL);

-- name: recipients.mark_unsubscribed
UPDATE campaign_recipients SET unsubscribed_at = $3 WHERE campaign_id = $1 AND lead_id = $2 AND unsubscribed_at IS NULL;

-- name: recipients.exists
SELECT id FROM campaign_recipients WHERE campaign_id = $1 AND lead_id = $2;

-- ---- links and events -------------------------------------------------------

-- name: links.for_campaign
SELECT link, url FROM campaign_links WHERE campaign_id = $1 ORDER BY link;

-- name: links.insert
INSERT INTO campaign_links (campaign_id, link, url) VALUES ($1, $2, $3) ON CONFLICT (campaign_id, link) DO NOTHING;

-- name: links.has_personal
SELECT 1 FROM campaign_recipient_links WHERE campaign_id = $1 LIMIT 1;

-- name: links.for_recipient
SELECT url FROM campaign_recipient_links WHERE campaign_id = $1 AND lead_id = $2 AND link = $3;

-- name: links.insert_recipient
INSERT INTO campaign_recipient_links (campaign_id, lead_id, link, url) VALUES ($1, $2, $3, $4)
ON CONFLICT (campaign_id, lead_id, link) DO NOTHING;

-- name: events.insert
INSERT INTO campaign_events (campaign_id, lead_id, type, occurred_at, user_agent, ip, url)
VALUES ($1, $2, $3, $4, $5, $6, $7);

-- name: events.count
-- $1 campaign, $2 type.
SELECT count(*) FROM campaign_events WHERE campaign_id = $1 AND type = $2;

-- name: events.after
-- The event log in id order from a high-water mark (analytics roll-ups).
SELECT id, campaign_id, lead_id, type, occurred_at, user_agent, ip, url FROM campaign_events
WHERE id > $1 ORDER BY id LIMIT $2;

-- name: events.delete_before
-- Retention (analytics/retention.cpp): up to $3 events below id $1 that occurred
-- before $2 (epoch ms), oldest first by the occurred_at index.
DELETE FROM campaign_events WHERE id IN (
  SELECT id FROM campaign_events WHERE occurred_at < $2 AND id < $1 ORDER BY occurred_at LIMIT $3);

-- name: events.last_id
SELECT coalesce(max(id), 0) FROM campaign_events;

-- name: campaigns.active_count
-- Active campaigns: started and not finished, i.e. scheduled, sending or paused
-- (campaigns/interface.hpp; the admin system figure and the analytics overview).
SELECT count(*) FROM campaigns WHERE status IN ('scheduled', 'sending', 'paused');

-- name: campaigns.name
SELECT name FROM campaigns WHERE id = $1;

-- name: recipients.message_id_of
-- The Message-ID a recipient's message was sent with (inbound: map a reply or report back).
SELECT message_id FROM campaign_recipients WHERE campaign_id = $1 AND lead_id = $2;

-- name: recipients.mark_replied
-- The first reply only (campaign stats count replied_at).
UPDATE campaign_recipients SET replied_at = $3, updated_at = $3
WHERE campaign_id = $1 AND lead_id = $2 AND replied_at IS NULL;

-- name: recipients.mark_bounced_late
-- A hard bounce reported after the message was accepted: the first only.
UPDATE campaign_recipients SET bounced_at = $3, updated_at = $3
WHERE campaign_id = $1 AND lead_id = $2 AND bounced_at IS NULL;
