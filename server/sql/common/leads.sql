-- Leads and their tags.
--
-- Blocks named *_prefix end where leads/filter.cpp continues: it appends the
-- filter's conditions (" AND …", every value bound, placeholders numbered
-- after the prefix's own), then the store adds ORDER BY / LIMIT / RETURNING.

-- name: leads.versions
-- Read first by every list request: `version` moves with any change to a
-- lead or its tags, the others with one kind of change each (what a cached
-- count depends on). Triggers move them (0008_lead_search.sql).
SELECT version, rows_version, text_version, status_version, owner_version, tags_version, other_version
FROM lead_counters WHERE id = 1;

-- name: leads.added
-- Run after inserting leads, in the same transaction: on SQLite a trigger
-- then indexes and counts every lead up to the highest id in one go
-- (0008_lead_search.sql says why); PostgreSQL counted them as they came.
UPDATE lead_counters SET added_to = (SELECT coalesce(max(id), 0) FROM leads) WHERE id = 1;

-- name: leads.changes_since
-- The changes after a version, oldest first (leads/change_feed.hpp).
SELECT version, lead_id, aspects FROM lead_changes WHERE version > $1 ORDER BY version LIMIT $2;

-- name: leads.counted
-- An exact total kept by the triggers: 'all', 'status:<s>', 'owner:<id>' or
-- 'owner:' (none), 'tag:<t>'; a key with no row counts 0.
SELECT n FROM lead_counts WHERE key = $1;

-- name: leads.count_prefix
-- The versions and the count in one statement, so one snapshot: the count
-- belongs to those versions. The store appends the filter's conditions,
-- " LIMIT n" for a count that stops at a cap, then leads.count_close.
SELECT c.version, c.rows_version, c.text_version, c.status_version, c.owner_version, c.tags_version,
       c.other_version, (SELECT count(*) FROM (SELECT 1 FROM leads WHERE 1 = 1

-- name: leads.count_close
) AS matching) FROM lead_counters AS c WHERE c.id = 1

-- name: leads.block_count_prefix
-- An exact count by blocks of 4,096 ids (leads::kCountBlock), with the
-- versions and the highest lead id of the same snapshot, one row per block
-- that has matches (and one with a NULL block when none has):
-- leads/block_counts.hpp keeps the blocks and counts again only those whose
-- leads changed. The store appends the id range ("AND leads.id >= … AND
-- leads.id < …") when it counts some blocks only, the filter's conditions,
-- then leads.block_count_close.
SELECT c.version, c.rows_version, c.text_version, c.status_version, c.owner_version, c.tags_version,
       c.other_version, (SELECT coalesce(max(l.id), 0) FROM leads AS l) AS top, b.block, b.n
FROM lead_counters AS c LEFT JOIN (SELECT leads.id / 4096 AS block, count(*) AS n FROM leads WHERE 1 = 1

-- name: leads.block_count_close
 GROUP BY leads.id / 4096) AS b ON 1 = 1 WHERE c.id = 1

-- name: leads.id_by_email
SELECT id FROM leads WHERE email = $1;

-- name: leads.delete
DELETE FROM leads WHERE id = $1;

-- name: leads.tags_clear
DELETE FROM lead_tags WHERE lead_id = $1;

-- name: leads.tag_link
INSERT INTO lead_tags (lead_id, tag) VALUES ($1, $2) ON CONFLICT DO NOTHING;

-- name: leads.set_score
-- The lead scorer's result (advisor's score-leads job, through leads::Leads::set_scores):
-- a computed value, so updated_at stays the last edit's.
UPDATE leads SET score = $2, score_reasons = $3 WHERE id = $1;

-- name: leads.set_status
-- An unsubscribe, a bounce or a reply: the status, and the lead's last activity.
UPDATE leads SET status = $2, updated_at = $3, last_activity_at = $3 WHERE id = $1;

-- name: leads.bulk_delete_prefix
DELETE FROM leads WHERE 1 = 1

-- name: leads.bulk_status_prefix
-- $1 status, $2 now.
UPDATE leads SET status = CAST($1 AS TEXT), updated_at = CAST($2 AS TEXT) WHERE status <> CAST($1 AS TEXT)

-- name: leads.bulk_owner_prefix
-- $1 owner id or NULL, $2 now.
UPDATE leads SET owner_id = CAST($1 AS BIGINT), updated_at = CAST($2 AS TEXT)
WHERE owner_id IS DISTINCT FROM CAST($1 AS BIGINT)

-- name: leads.totals
-- The kept total of every lead, the leads created in [$1, $2) and those
-- created in [$3, $1) (RFC 3339 text: lexicographic = chronological): the
-- analytics overview's period and the one before, in one statement.
SELECT COALESCE((SELECT n FROM lead_counts WHERE key = 'all'), 0),
       (SELECT count(*) FROM leads WHERE created_at >= $1 AND created_at < $2),
       (SELECT count(*) FROM leads WHERE created_at >= $3 AND created_at < $1);
