-- Analytics roll-ups and reports (analytics/store.cpp). Hours are epoch
-- hours (epoch ms / 3,600,000, UTC), days epoch days (hour / 24, UTC);
-- campaign 0 is every campaign.

-- name: analytics.watermark
SELECT last_event_id FROM analytics_watermarks WHERE name = 'events';

-- name: analytics.advance
-- Only from the value the roller read ($1): a second roller's batch fails here.
UPDATE analytics_watermarks SET last_event_id = $2, updated_at = $3 WHERE name = 'events' AND last_event_id = $1;

-- name: analytics.first
-- One row affected: this (campaign, lead, kind) is counted now, for the first time.
INSERT INTO analytics_firsts (campaign_id, lead_id, kind) VALUES ($1, $2, $3)
ON CONFLICT (campaign_id, lead_id, kind) DO NOTHING;

-- name: analytics.add_hour
INSERT INTO analytics_hourly (campaign_id, hour, sent, delivered, bounced, rejected, opens, human_opens, opened,
                              human_opened, clicks, clicked, unsubscribed, replied)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
ON CONFLICT (campaign_id, hour) DO UPDATE SET
  sent = analytics_hourly.sent + excluded.sent,
  delivered = analytics_hourly.delivered + excluded.delivered,
  bounced = analytics_hourly.bounced + excluded.bounced,
  rejected = analytics_hourly.rejected + excluded.rejected,
  opens = analytics_hourly.opens + excluded.opens,
  human_opens = analytics_hourly.human_opens + excluded.human_opens,
  opened = analytics_hourly.opened + excluded.opened,
  human_opened = analytics_hourly.human_opened + excluded.human_opened,
  clicks = analytics_hourly.clicks + excluded.clicks,
  clicked = analytics_hourly.clicked + excluded.clicked,
  unsubscribed = analytics_hourly.unsubscribed + excluded.unsubscribed,
  replied = analytics_hourly.replied + excluded.replied;

-- name: analytics.add_day
INSERT INTO analytics_daily (campaign_id, day, sent, delivered, bounced, rejected, opens, human_opens, opened,
                             human_opened, clicks, clicked, unsubscribed, replied)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
ON CONFLICT (campaign_id, day) DO UPDATE SET
  sent = analytics_daily.sent + excluded.sent,
  delivered = analytics_daily.delivered + excluded.delivered,
  bounced = analytics_daily.bounced + excluded.bounced,
  rejected = analytics_daily.rejected + excluded.rejected,
  opens = analytics_daily.opens + excluded.opens,
  human_opens = analytics_daily.human_opens + excluded.human_opens,
  opened = analytics_daily.opened + excluded.opened,
  human_opened = analytics_daily.human_opened + excluded.human_opened,
  clicks = analytics_daily.clicks + excluded.clicks,
  clicked = analytics_daily.clicked + excluded.clicked,
  unsubscribed = analytics_daily.unsubscribed + excluded.unsubscribed,
  replied = analytics_daily.replied + excluded.replied;

-- name: analytics.add_link
INSERT INTO analytics_links (campaign_id, url, clicks, unique_clicks) VALUES ($1, $2, $3, $4)
ON CONFLICT (campaign_id, url) DO UPDATE SET
  clicks = analytics_links.clicks + excluded.clicks,
  unique_clicks = analytics_links.unique_clicks + excluded.unique_clicks;

-- name: analytics.days
-- $1 campaign (0: all), days (epoch hour / 24) in [$2, $3), in order.
SELECT day, sent, delivered, bounced, rejected, opens, human_opens, opened, human_opened, clicks, clicked, unsubscribed, replied
FROM analytics_daily WHERE campaign_id = $1 AND day >= $2 AND day < $3 ORDER BY day;

-- name: analytics.hours
-- $1 campaign (0: all), hours in [$2, $3), in order.
SELECT hour, sent, delivered, bounced, rejected, opens, human_opens, opened, human_opened, clicks, clicked, unsubscribed, replied
FROM analytics_hourly WHERE campaign_id = $1 AND hour >= $2 AND hour < $3 ORDER BY hour;

-- name: analytics.edge_hours
-- $1 campaign (0: all), hours in [$2, $3) whose hour of day is < $4 or ≥ $5 (the
-- partial days at the edges of runs of days, analytics/series.hpp), in order.
SELECT hour, sent, delivered, bounced, rejected, opens, human_opens, opened, human_opened, clicks, clicked, unsubscribed, replied
FROM analytics_hourly WHERE campaign_id = $1 AND hour >= $2 AND hour < $3 AND (hour % 24 < $4 OR hour % 24 >= $5)
ORDER BY hour;

-- name: analytics.span
-- A campaign's first and last hour with anything in it.
SELECT min(hour), max(hour) FROM analytics_hourly WHERE campaign_id = $1;

-- name: analytics.top_links
SELECT url, clicks, unique_clicks FROM analytics_links WHERE campaign_id = $1
ORDER BY clicks DESC, url LIMIT $2;
