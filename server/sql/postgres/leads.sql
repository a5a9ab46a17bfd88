-- Leads, tags, segments and suppressions.
--
-- Blocks named *_prefix end where leads/filter.cpp continues: it appends the
-- filter's conditions (" AND …", every value bound, placeholders numbered
-- after the prefix's own), then the store adds ORDER BY / LIMIT / RETURNING.

-- name: leads.version
SELECT version FROM lead_counters WHERE id = 1;

-- name: leads.bump_version
UPDATE lead_counters SET version = version + 1 WHERE id = 1;

-- name: leads.page_prefix
-- A page: the filter and the offset walk the index only (ids), and only the
-- page's own rows are read from the table. The store closes the subquery
-- with ORDER BY … LIMIT … OFFSET …, leads.page_close, and orders the outer
-- query the same way.
SELECT leads.id, leads.email, leads.first_name, leads.last_name, leads.company, leads.title, leads.phone,
       leads.website, leads.country, leads.timezone, leads.status, leads.score, leads.owner_id, leads.tags::text,
       leads.custom_fields::text, leads.source, leads.created_at, leads.updated_at, leads.last_contacted_at,
       leads.last_activity_at
FROM leads WHERE leads.id = ANY (ARRAY (SELECT leads.id FROM leads WHERE 1 = 1

-- name: leads.page_close
-- ANY (ARRAY (…)) rather than IN (…): a prepared statement's generic plan,
-- which cannot see LIMIT, would otherwise hash-join against the whole table.
))

-- name: leads.count_prefix
-- One statement is one snapshot: the count belongs to that version.
SELECT (SELECT version FROM lead_counters WHERE id = 1), count(*) FROM leads WHERE 1 = 1

-- name: leads.by_id
SELECT leads.id, leads.email, leads.first_name, leads.last_name, leads.company, leads.title, leads.phone,
       leads.website, leads.country, leads.timezone, leads.status, leads.score, leads.owner_id, leads.tags::text,
       leads.custom_fields::text, leads.source, leads.created_at, leads.updated_at, leads.last_contacted_at,
       leads.last_activity_at, leads.import_id, leads.import_line
FROM leads WHERE leads.id = $1;

-- name: leads.id_by_email
SELECT id FROM leads WHERE email = $1;

-- name: leads.insert
INSERT INTO leads (email, first_name, last_name, company, title, phone, website, country, timezone, status, score,
                   owner_id, tags, custom_fields, source, import_id, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $14::jsonb, $15, $16, $17, $17)
RETURNING id;

-- name: leads.update
UPDATE leads SET email = $2, first_name = $3, last_name = $4, company = $5, title = $6, phone = $7, website = $8,
                 country = $9, timezone = $10, status = $11, score = $12, owner_id = $13, tags = $14::jsonb,
                 custom_fields = $15::jsonb, source = $16, import_id = $17,
                 import_line = $19, updated_at = $18
WHERE id = $1;

-- name: leads.delete
DELETE FROM leads WHERE id = $1;

-- name: leads.tags_clear
DELETE FROM lead_tags WHERE lead_id = $1;

-- name: leads.tag_link
INSERT INTO lead_tags (lead_id, tag) VALUES ($1, $2) ON CONFLICT DO NOTHING;

-- name: leads.tag_links_for_ids
-- $1: the tag, $2: a JSON array of lead ids.
INSERT INTO lead_tags (lead_id, tag)
SELECT id::bigint, $1::text FROM jsonb_array_elements_text($2::jsonb) AS ids (id)
ON CONFLICT DO NOTHING;

-- name: leads.tag_unlinks_for_ids
DELETE FROM lead_tags
WHERE tag = $1::text AND lead_id IN (SELECT id::bigint FROM jsonb_array_elements_text($2::jsonb) AS ids (id));

-- name: leads.user_exists
SELECT count(*) FROM users WHERE id = $1;

-- name: leads.users
SELECT id, email FROM users;

-- name: leads.bulk_status_prefix
UPDATE leads SET status = $1::text, updated_at = $2::text WHERE status <> $1::text

-- name: leads.bulk_owner_prefix
UPDATE leads SET owner_id = $1::bigint, updated_at = $2::text WHERE owner_id IS DISTINCT FROM $1::bigint

-- name: leads.bulk_delete_prefix
DELETE FROM leads WHERE 1 = 1

-- name: leads.bulk_tag_prefix
UPDATE leads SET tags = tags || jsonb_build_array($1::text), updated_at = $2::text
WHERE jsonb_array_length(tags) < 50
  AND NOT EXISTS (SELECT 1 FROM lead_tags t WHERE t.lead_id = leads.id AND t.tag = $1::text)

-- name: leads.bulk_untag_prefix
UPDATE leads SET tags = tags - $1::text, updated_at = $2::text
WHERE EXISTS (SELECT 1 FROM lead_tags t WHERE t.lead_id = leads.id AND t.tag = $1::text)

-- name: segments.list
SELECT id, name, description, filter_json, created_by, created_at, updated_at FROM segments ORDER BY name LIMIT $1 OFFSET $2;

-- name: segments.count
SELECT count(*) FROM segments;

-- name: segments.by_id
SELECT id, name, description, filter_json, created_by, created_at, updated_at FROM segments WHERE id = $1;

-- name: segments.by_name
SELECT id FROM segments WHERE name = $1;

-- name: segments.insert
INSERT INTO segments (name, description, filter_json, created_by, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $5)
RETURNING id;

-- name: segments.update
UPDATE segments SET name = $2, description = $3, filter_json = $4, updated_at = $5 WHERE id = $1;

-- name: segments.delete
DELETE FROM segments WHERE id = $1;

-- name: suppressions.list
SELECT id, kind, value, value_hash, reason, note, created_by, created_at
FROM suppressions
WHERE ($1::text IS NULL OR kind = $1::text) AND ($2::text IS NULL OR reason = $2::text)
  AND ($3::text IS NULL OR value LIKE $3::text ESCAPE '\')
ORDER BY id DESC LIMIT $4 OFFSET $5;

-- name: suppressions.count
SELECT count(*) FROM suppressions
WHERE ($1::text IS NULL OR kind = $1::text) AND ($2::text IS NULL OR reason = $2::text)
  AND ($3::text IS NULL OR value LIKE $3::text ESCAPE '\');

-- name: suppressions.by_id
SELECT id, kind, value, value_hash, reason, note, created_by, created_at FROM suppressions WHERE id = $1;

-- name: suppressions.insert
INSERT INTO suppressions (kind, value, value_hash, reason, note, created_by, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
RETURNING id;

-- name: suppressions.update
UPDATE suppressions SET reason = $2, note = $3 WHERE id = $1;

-- name: suppressions.forget_value
UPDATE suppressions SET value = NULL WHERE value_hash = $1;

-- name: suppressions.id_by_hash
SELECT id FROM suppressions WHERE value_hash = $1;

-- name: suppressions.delete
DELETE FROM suppressions WHERE id = $1;

-- name: suppressions.matches
SELECT count(*) FROM suppressions WHERE value_hash IN ($1, $2);
