-- Daily roll-up beside the hourly one (analytics/rollup.cpp): the same
-- counters per campaign and UTC day (day = hour / 24). Each row is the sum of
-- its day's hourly rows — the roll-up adds to both in one transaction — so a
-- period reads whole days here and only its partial edge days' hours
-- (analytics/series.hpp, range_sums).
CREATE TABLE analytics_daily (
  campaign_id  BIGINT NOT NULL,
  day          BIGINT NOT NULL,
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
  PRIMARY KEY (campaign_id, day)
);

-- What the hourly roll-up already holds (hours are never negative: events
-- are stamped after 1970).
INSERT INTO analytics_daily (campaign_id, day, sent, delivered, bounced, rejected, opens, human_opens, opened,
                             human_opened, clicks, clicked, unsubscribed, replied)
SELECT campaign_id, hour / 24, sum(sent), sum(delivered), sum(bounced), sum(rejected), sum(opens), sum(human_opens),
       sum(opened), sum(human_opened), sum(clicks), sum(clicked), sum(unsubscribed), sum(replied)
FROM analytics_hourly GROUP BY campaign_id, hour / 24;

-- Retention (analytics/retention.cpp, HERALD_ANALYTICS_RETENTION_DAYS) deletes
-- raw events the roll-ups hold; the log stays append-only otherwise: never updated.
DROP TRIGGER campaign_events_no_change ON campaign_events;
CREATE TRIGGER campaign_events_no_update BEFORE UPDATE ON campaign_events
FOR EACH ROW EXECUTE FUNCTION campaign_events_append_only();
