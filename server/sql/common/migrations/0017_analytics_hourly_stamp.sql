-- Each hourly roll-up row carries the watermark of the roll-up batch that
-- last changed it (analytics.add_hours sets it in the batch's transaction),
-- so a process that keeps a campaign's hours in memory (analytics/hours.hpp)
-- reads only the rows changed since the watermark it kept them at. Rows
-- from before this migration have 0: older than any batch to come.
ALTER TABLE analytics_hourly ADD COLUMN stamp BIGINT NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS analytics_hourly_changed ON analytics_hourly (campaign_id, stamp);
