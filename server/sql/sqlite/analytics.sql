-- Roll-up writes whose SQL differs between SQLite and PostgreSQL (the JSON
-- functions); the others are in common/analytics.sql. Each takes a whole
-- batch as one JSON array parameter, so a roll-up batch costs a constant
-- number of statements (analytics/rollup.cpp).

-- name: analytics.first_batch
-- ?1 a JSON array of {c: campaign, l: lead, k: kind}, each (campaign, lead, kind)
-- at most once. Returns the pairs inserted now: counted for the first time.
INSERT INTO analytics_firsts (campaign_id, lead_id, kind)
SELECT json_extract(value, '$.c'), json_extract(value, '$.l'), json_extract(value, '$.k') FROM json_each(?1) WHERE true
ON CONFLICT (campaign_id, lead_id, kind) DO NOTHING
RETURNING campaign_id, lead_id, kind;

-- name: analytics.add_hours
-- ?1 a JSON array of [campaign, hour, the 12 counters in Counts' order], each
-- (campaign, hour) at most once: added to what the rows hold; ?2 the batch's
-- new watermark, kept on every row it changes (stamp).
INSERT INTO analytics_hourly (campaign_id, hour, sent, delivered, bounced, rejected, opens, human_opens, opened,
                             human_opened, clicks, clicked, unsubscribed, replied, stamp)
SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]'), json_extract(value, '$[4]'),
       json_extract(value, '$[5]'), json_extract(value, '$[6]'), json_extract(value, '$[7]'), json_extract(value, '$[8]'), json_extract(value, '$[9]'),
       json_extract(value, '$[10]'), json_extract(value, '$[11]'), json_extract(value, '$[12]'), json_extract(value, '$[13]'),
       ?2
FROM json_each(?1) WHERE true
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
  replied = analytics_hourly.replied + excluded.replied,
  stamp = excluded.stamp;

-- name: analytics.add_days
-- ?1 a JSON array of [campaign, day, the 12 counters], each (campaign, day) at most once.
INSERT INTO analytics_daily (campaign_id, day, sent, delivered, bounced, rejected, opens, human_opens, opened,
                            human_opened, clicks, clicked, unsubscribed, replied)
SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]'), json_extract(value, '$[4]'),
       json_extract(value, '$[5]'), json_extract(value, '$[6]'), json_extract(value, '$[7]'), json_extract(value, '$[8]'), json_extract(value, '$[9]'),
       json_extract(value, '$[10]'), json_extract(value, '$[11]'), json_extract(value, '$[12]'), json_extract(value, '$[13]')
FROM json_each(?1) WHERE true
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

-- name: analytics.add_links
-- ?1 a JSON array of {c: campaign, u: url, n: clicks, q: unique clicks}, each (campaign, url) at most once.
INSERT INTO analytics_links (campaign_id, url, clicks, unique_clicks)
SELECT json_extract(value, '$.c'), json_extract(value, '$.u'), json_extract(value, '$.n'), json_extract(value, '$.q')
FROM json_each(?1) WHERE true
ON CONFLICT (campaign_id, url) DO UPDATE SET
  clicks = analytics_links.clicks + excluded.clicks,
  unique_clicks = analytics_links.unique_clicks + excluded.unique_clicks;
