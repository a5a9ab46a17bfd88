-- Leads and their tags.
--
-- Blocks named *_prefix end where leads/filter.cpp continues: it appends the
-- filter's conditions (" AND …", every value bound, placeholders numbered
-- after the prefix's own), then the store adds ORDER BY / LIMIT / RETURNING.

-- name: leads.version
SELECT version FROM lead_counters WHERE id = 1;

-- name: leads.bump_version
UPDATE lead_counters SET version = version + 1 WHERE id = 1;

-- name: leads.count_prefix
-- One statement is one snapshot: the count belongs to that version.
SELECT (SELECT version FROM lead_counters WHERE id = 1), count(*) FROM leads WHERE 1 = 1

-- name: leads.id_by_email
SELECT id FROM leads WHERE email = $1;

-- name: leads.delete
DELETE FROM leads WHERE id = $1;

-- name: leads.tags_clear
DELETE FROM lead_tags WHERE lead_id = $1;

-- name: leads.tag_link
INSERT INTO lead_tags (lead_id, tag) VALUES ($1, $2) ON CONFLICT DO NOTHING;

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
