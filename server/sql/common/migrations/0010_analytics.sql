-- Analytics roll-ups (analytics/rollup.cpp): aggregates of campaigns' event
-- log (campaign_events, read through campaigns::Activity), kept up to date
-- incrementally from a high-water mark of event id.

-- The last event id folded into the roll-ups. Moved in the same transaction
-- as the aggregates it accounts for, and only from the value the roller read,
-- so a crashed or concurrent roll-up never counts an event twice or skips one.
CREATE TABLE analytics_watermarks (
  name          TEXT PRIMARY KEY,
  last_event_id BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL            -- epoch ms
);
INSERT INTO analytics_watermarks (name, last_event_id, updated_at) VALUES ('events', 0, 0);

-- Counts per campaign and UTC hour (hour = epoch ms / 3,600,000); campaign 0
-- holds the sums over every campaign (the overview and global time series).
-- sent = delivered + bounced + rejected; opened, human_opened, clicked,
-- unsubscribed and replied count each (campaign, lead) once, in the hour of
-- its first event; opens, human_opens and clicks count every event.
CREATE TABLE analytics_hourly (
  campaign_id  BIGINT NOT NULL,
  hour         BIGINT NOT NULL,
  sent         BIGINT NOT NULL DEFAULT 0,
  delivered    BIGINT NOT NULL DEFAULT 0,
  bounced      BIGINT NOT NULL DEFAULT 0,
  rejected     BIGINT NOT NULL DEFAULT 0,
  opens        BIGINT NOT NULL DEFAULT 0,
  human_opens  BIGINT NOT NULL DEFAULT 0,
  opened       BIGINT NOT NULL DEFAULT 0,
  human_opened BIGINT NOT NULL DEFAULT 0,
  clicks       BIGINT NOT NULL DEFAULT 0,
  clicked      BIGINT NOT NULL DEFAULT 0,
  unsubscribed BIGINT NOT NULL DEFAULT 0,
  replied      BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, hour)
);

-- The (campaign, lead, kind) pairs already counted once: kind is open,
-- human_open, click, unsubscribe, reply or link:<url>.
CREATE TABLE analytics_firsts (
  campaign_id BIGINT NOT NULL,
  lead_id     BIGINT NOT NULL,
  kind        TEXT NOT NULL,
  PRIMARY KEY (campaign_id, lead_id, kind)
);

-- Clicks per campaign and link: every click, and each lead once.
CREATE TABLE analytics_links (
  campaign_id   BIGINT NOT NULL,
  url           TEXT NOT NULL,
  clicks        BIGINT NOT NULL DEFAULT 0,
  unique_clicks BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, url)
);
