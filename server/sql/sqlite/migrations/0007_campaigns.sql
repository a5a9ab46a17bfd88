-- Campaigns and everything their sending needs: one recipient row per
-- (campaign, lead) — the unit of exactly-once sending —, the links of their
-- messages (click redirects go only there), the tracking events, and the
-- send-rate buckets every worker process shares when there is no Redis.
CREATE TABLE campaigns (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  name                TEXT NOT NULL,
  template_id         INTEGER NOT NULL,            -- no foreign key: a used version outlives its template
  template_version    INTEGER,                     -- pinned when sending starts
  from_name           TEXT NOT NULL DEFAULT '',
  from_email          TEXT NOT NULL DEFAULT '',
  reply_to            TEXT NOT NULL DEFAULT '',
  audience            TEXT NOT NULL,               -- JSON: {all} | {segment_id} | {tags} | {lead_ids}
  schedule_mode       TEXT NOT NULL DEFAULT 'now', -- now, at, local_time
  scheduled_at        TEXT,                        -- RFC 3339: start (at), or not before (local_time)
  local_time          TEXT,                        -- HH:MM in each lead's time zone (local_time)
  timezone            TEXT NOT NULL DEFAULT 'UTC', -- for leads without one (local_time)
  throttle_per_minute INTEGER NOT NULL DEFAULT 0,  -- 0: only the global and per-domain limits
  track_opens         INTEGER NOT NULL DEFAULT 1,
  track_clicks        INTEGER NOT NULL DEFAULT 1,
  send_now            INTEGER NOT NULL DEFAULT 0,
  status              TEXT NOT NULL DEFAULT 'draft', -- draft, scheduled, sending, paused, completed, cancelled, failed
  error               TEXT,                        -- why it failed
  generation          INTEGER NOT NULL DEFAULT 0,  -- bumped by send and resume; part of the jobs' unique keys
  expand_after        INTEGER NOT NULL DEFAULT 0,  -- the audience expansion's keyset cursor (last lead id done)
  expanded            INTEGER NOT NULL DEFAULT 0,  -- every recipient row exists
  progress_at         INTEGER,                     -- epoch ms of the last work done on it (reconciler)
  created_by          INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL,
  started_at          TEXT,
  completed_at        TEXT
);
CREATE INDEX campaigns_status ON campaigns (status, id);

-- One row per (campaign, lead). Times are epoch milliseconds. A recipient is
-- queued or deferred until due_at, then claimed (sending, with a lease), then
-- sent, failed, skipped (not mailable any more when its turn came) or
-- cancelled. lead_id has no foreign key: the record outlives the lead.
CREATE TABLE campaign_recipients (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  campaign_id     INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  lead_id         INTEGER NOT NULL,
  email           TEXT NOT NULL,
  state           TEXT NOT NULL DEFAULT 'queued',
  attempts        INTEGER NOT NULL DEFAULT 0,
  due_at          INTEGER NOT NULL,
  lease_owner     TEXT,
  lease_until     INTEGER,
  reply_code      INTEGER,
  last_reply      TEXT,
  message_id      TEXT,
  sent_at         INTEGER,
  opened_at       INTEGER,
  clicked_at      INTEGER,
  unsubscribed_at INTEGER,
  bounced_at      INTEGER,
  replied_at      INTEGER,
  updated_at      INTEGER NOT NULL,
  UNIQUE (campaign_id, lead_id)
);
CREATE INDEX campaign_recipients_state ON campaign_recipients (campaign_id, state, id);
CREATE INDEX campaign_recipients_sent ON campaign_recipients (campaign_id, sent_at) WHERE sent_at IS NOT NULL;

-- The links of a campaign's messages, by the index a click token names.
-- Per campaign when every recipient gets the same links; a recipient whose
-- links differ (a link holding a variable) has its own rows.
CREATE TABLE campaign_links (
  campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  link        INTEGER NOT NULL,
  url         TEXT NOT NULL,
  PRIMARY KEY (campaign_id, link)
);
CREATE TABLE campaign_recipient_links (
  campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  lead_id     INTEGER NOT NULL,
  link        INTEGER NOT NULL,
  url         TEXT NOT NULL,
  PRIMARY KEY (campaign_id, lead_id, link)
);

-- What recipients did with their mail: open, click, unsubscribe, bounce,
-- reply. Append-only (roll-ups read it); occurred_at is epoch milliseconds.
CREATE TABLE campaign_events (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  campaign_id INTEGER NOT NULL,
  lead_id     INTEGER NOT NULL,
  type        TEXT NOT NULL,
  occurred_at INTEGER NOT NULL,
  user_agent  TEXT NOT NULL DEFAULT '',
  ip          TEXT NOT NULL DEFAULT '',
  url         TEXT
);
CREATE INDEX campaign_events_campaign ON campaign_events (campaign_id, occurred_at);
CREATE INDEX campaign_events_time ON campaign_events (occurred_at);
CREATE TRIGGER campaign_events_no_update BEFORE UPDATE ON campaign_events
BEGIN SELECT RAISE(ABORT, 'campaign_events is append-only'); END;
CREATE TRIGGER campaign_events_no_delete BEFORE DELETE ON campaign_events
BEGIN SELECT RAISE(ABORT, 'campaign_events is append-only'); END;

-- Token buckets of the send limits (global, per recipient domain, per
-- campaign) shared by every worker process when there is no Redis.
CREATE TABLE send_buckets (
  key        TEXT PRIMARY KEY,
  tokens     REAL NOT NULL,
  updated_at INTEGER NOT NULL
);
