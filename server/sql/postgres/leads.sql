-- Leads and their tags.
--
-- Blocks named *_prefix end where leads/filter.cpp continues: it appends the
-- filter's conditions (" AND …", every value bound, placeholders numbered
-- after the prefix's own), then the store adds ORDER BY / LIMIT / RETURNING.

-- Queries whose SQL differs between SQLite and PostgreSQL; those that are
-- the same for both are in common/leads.sql.

-- name: leads.page_prefix
-- A page: the filter and the offset walk the index only (ids), and only the
-- page's own rows are read from the table. The store closes the subquery
-- with ORDER BY … LIMIT … OFFSET …, leads.page_close, and orders the outer
-- query the same way.
SELECT leads.id, leads.email, leads.first_name, leads.last_name, leads.company, leads.title, leads.phone,
       leads.website, leads.country, leads.timezone, leads.status, leads.score, leads.owner_id, leads.tags::text,
       leads.custom_fields::text, leads.source, leads.created_at, leads.updated_at, leads.last_contacted_at,
       leads.last_activity_at, leads.score_reasons
FROM leads WHERE leads.id = ANY (ARRAY (SELECT leads.id FROM leads WHERE 1 = 1

-- name: leads.page_close
-- ANY (ARRAY (…)) rather than IN (…): a prepared statement's generic plan,
-- which cannot see LIMIT, would otherwise hash-join against the whole table.
))

-- name: leads.page_by_id_prefix
-- A page of every lead in id order from a cursor or from the top (no filter,
-- no offset): the rows themselves, read along leads_pkey from the cursor.
-- Through leads.page_prefix each of the page's ids was looked up again, one
-- index descent per row: 208 buffers for 50 rows at ten million leads
-- against about 10 here. The store appends the keyset condition, ORDER BY
-- and LIMIT.
SELECT leads.id, leads.email, leads.first_name, leads.last_name, leads.company, leads.title, leads.phone,
       leads.website, leads.country, leads.timezone, leads.status, leads.score, leads.owner_id, leads.tags::text,
       leads.custom_fields::text, leads.source, leads.created_at, leads.updated_at, leads.last_contacted_at,
       leads.last_activity_at, leads.score_reasons
FROM leads WHERE 1 = 1

-- name: leads.search_page_prefix
-- A page of a search (leads/search.hpp): $1 is q's LIKE pattern on the four
-- fields joined, the expression the trigram index leads_search is built on
-- (0008_lead_search.sql), so the planner can narrow by that index. The store
-- appends the filter's conditions (q's exact one included) and closes like
-- leads.page_prefix.
SELECT leads.id, leads.email, leads.first_name, leads.last_name, leads.company, leads.title, leads.phone,
       leads.website, leads.country, leads.timezone, leads.status, leads.score, leads.owner_id, leads.tags::text,
       leads.custom_fields::text, leads.source, leads.created_at, leads.updated_at, leads.last_contacted_at,
       leads.last_activity_at, leads.score_reasons
FROM leads WHERE leads.id = ANY (ARRAY (SELECT leads.id FROM leads
  WHERE (leads.email || ' ' || leads.first_name || ' ' || leads.last_name || ' ' || leads.company) ILIKE $1::text

-- name: leads.search_count_prefix
-- leads.count_prefix for a search, narrowed like leads.search_page_prefix.
SELECT c.version, c.rows_version, c.text_version, c.status_version, c.owner_version, c.tags_version,
       c.other_version,
       (SELECT count(*) FROM (SELECT 1 FROM leads
          WHERE (leads.email || ' ' || leads.first_name || ' ' || leads.last_name || ' ' || leads.company) ILIKE $1::text

-- name: leads.by_id
SELECT leads.id, leads.email, leads.first_name, leads.last_name, leads.company, leads.title, leads.phone,
       leads.website, leads.country, leads.timezone, leads.status, leads.score, leads.owner_id, leads.tags::text,
       leads.custom_fields::text, leads.source, leads.created_at, leads.updated_at, leads.last_contacted_at,
       leads.last_activity_at, leads.score_reasons, leads.import_id, leads.import_line
FROM leads WHERE leads.id = $1;

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

-- name: leads.tag_links_for_ids
-- $1: the tag, $2: a JSON array of lead ids.
INSERT INTO lead_tags (lead_id, tag)
SELECT id::bigint, $1::text FROM jsonb_array_elements_text($2::jsonb) AS ids (id)
ON CONFLICT DO NOTHING;

-- name: leads.tag_unlinks_for_ids
DELETE FROM lead_tags
WHERE tag = $1::text AND lead_id IN (SELECT id::bigint FROM jsonb_array_elements_text($2::jsonb) AS ids (id));

-- name: leads.bulk_tag_prefix
UPDATE leads SET tags = tags || jsonb_build_array($1::text), updated_at = $2::text
WHERE jsonb_array_length(tags) < 50
  AND NOT EXISTS (SELECT 1 FROM lead_tags t WHERE t.lead_id = leads.id AND t.tag = $1::text)

-- name: leads.bulk_untag_prefix
UPDATE leads SET tags = tags - $1::text, updated_at = $2::text
WHERE EXISTS (SELECT 1 FROM lead_tags t WHERE t.lead_id = leads.id AND t.tag = $1::text)
