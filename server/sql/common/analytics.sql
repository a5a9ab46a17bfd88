-- Analytics roll-ups and reports (analytics/store.cpp). Hours are epoch
-- hours (epoch ms / 3,600,000, UTC), days epoch days (hour / 24, UTC);
-- campaign 0 is every campaign.

-- name: analytics.watermark
SELECT last_event_id FROM analytics_watermarks WHERE name = 'events';

-- name: analytics.advance
-- Only from the value the roller read ($1): a second roller's batch fails here.
UPDATE analytics_watermarks SET last_event_id = $2, updated_at = $3 WHERE name = 'events' AND last_event_id = $1;

-- The roll-up's writes (analytics.first_batch, add_hours, add_days, add_links)
-- are in <backend>/analytics.sql: they read a JSON array parameter.

-- name: analytics.days
-- $1 campaign (0: all), days (epoch hour / 24) in [$2, $3), in order.
SELECT day, sent, delivered, bounced, rejected, opens, human_opens, opened, human_opened, clicks, clicked, unsubscribed, replied
FROM analytics_daily WHERE campaign_id = $1 AND day >= $2 AND day < $3 ORDER BY day;

-- name: analytics.hours
-- $1 campaign (0: all), hours in [$2, $3), in order.
SELECT hour, sent, delivered, bounced, rejected, opens, human_opens, opened, human_opened, clicks, clicked, unsubscribed, replied
FROM analytics_hourly WHERE campaign_id = $1 AND hour >= $2 AND hour < $3 ORDER BY hour;

-- name: analytics.hours_changed
-- $1 campaign (0: all), $2 a watermark: the campaign's hourly rows that roll-up
-- batches past it changed (their stamp; every row for -1), in no order. What
-- a process's copy of the campaign's hours (analytics/hours.hpp) reads.
SELECT hour, sent, delivered, bounced, rejected, opens, human_opens, opened, human_opened, clicks, clicked, unsubscribed, replied
FROM analytics_hourly WHERE campaign_id = $1 AND stamp > $2;

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
