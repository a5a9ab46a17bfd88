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
       leads.website, leads.country, leads.timezone, leads.status, leads.score, leads.owner_id, leads.tags,
       leads.custom_fields, leads.source, leads.created_at, leads.updated_at, leads.last_contacted_at,
       leads.last_activity_at, leads.score_reasons
FROM leads WHERE leads.id IN (SELECT leads.id FROM leads WHERE 1 = 1

-- name: leads.page_by_id_prefix
-- A page of every lead in id order from a cursor or from the top (no filter,
-- no offset): the rows themselves, read along the rowid from the cursor. The
-- store appends the keyset condition, ORDER BY and LIMIT.
SELECT leads.id, leads.email, leads.first_name, leads.last_name, leads.company, leads.title, leads.phone,
       leads.website, leads.country, leads.timezone, leads.status, leads.score, leads.owner_id, leads.tags,
       leads.custom_fields, leads.source, leads.created_at, leads.updated_at, leads.last_contacted_at,
       leads.last_activity_at, leads.score_reasons
FROM leads WHERE 1 = 1

-- name: leads.page_close
)

-- name: leads.search_page_prefix
-- A page of a search (leads/search.hpp): only the leads holding the chosen
-- trigrams of q ($1, an FTS5 match) are read, in the FTS5 table's rowid order
-- when the sort is by id, so the walk stops at the page. The store appends
-- the filter's conditions (q's exact one included) and closes like
-- leads.page_prefix, ordering by leads_search.rowid.
SELECT leads.id, leads.email, leads.first_name, leads.last_name, leads.company, leads.title, leads.phone,
       leads.website, leads.country, leads.timezone, leads.status, leads.score, leads.owner_id, leads.tags,
       leads.custom_fields, leads.source, leads.created_at, leads.updated_at, leads.last_contacted_at,
       leads.last_activity_at, leads.score_reasons
FROM leads WHERE leads.id IN (SELECT leads.id FROM leads_search CROSS JOIN leads ON leads.id = leads_search.rowid
                             WHERE leads_search MATCH ?1

-- name: leads.search_count_prefix
-- leads.count_prefix for a search: the leads holding q's trigrams ($1).
SELECT c.version, c.rows_version, c.text_version, c.status_version, c.owner_version, c.tags_version,
       c.other_version,
       (SELECT count(*) FROM (SELECT 1 FROM leads_search CROSS JOIN leads ON leads.id = leads_search.rowid
                              WHERE leads_search MATCH ?1

-- name: leads.by_id
SELECT leads.id, leads.email, leads.first_name, leads.last_name, leads.company, leads.title, leads.phone,
       leads.website, leads.country, leads.timezone, leads.status, leads.score, leads.owner_id, leads.tags,
       leads.custom_fields, leads.source, leads.created_at, leads.updated_at, leads.last_contacted_at,
       leads.last_activity_at, leads.score_reasons, leads.import_id, leads.import_line
FROM leads WHERE leads.id = ?1;

-- name: leads.insert
INSERT INTO leads (email, first_name, last_name, company, title, phone, website, country, timezone, status, score,
                   owner_id, tags, custom_fields, source, import_id, created_at, updated_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17)
RETURNING id;

-- name: leads.update
UPDATE leads SET email = ?2, first_name = ?3, last_name = ?4, company = ?5, title = ?6, phone = ?7, website = ?8,
                 country = ?9, timezone = ?10, status = ?11, score = ?12, owner_id = ?13, tags = ?14,
                 custom_fields = ?15, source = ?16, import_id = ?17,
                 import_line = ?19, updated_at = ?18
WHERE id = ?1;

-- name: leads.tag_links_for_ids
-- ?1: the tag, ?2: a JSON array of lead ids.
INSERT INTO lead_tags (lead_id, tag) SELECT value, ?1 FROM json_each(?2) WHERE 1 ON CONFLICT DO NOTHING;

-- name: leads.tag_unlinks_for_ids
DELETE FROM lead_tags WHERE tag = ?1 AND lead_id IN (SELECT value FROM json_each(?2));

-- name: leads.bulk_tag_prefix
-- ?1 tag, ?2 now. Leads that lack the tag and have room for it.
UPDATE leads SET tags = json_insert(tags, '$[#]', ?1), updated_at = ?2
WHERE json_array_length(tags) < 50
  AND NOT EXISTS (SELECT 1 FROM lead_tags t WHERE t.lead_id = leads.id AND t.tag = ?1)

-- name: leads.bulk_untag_prefix
UPDATE leads SET tags = (SELECT json_group_array(j.value) FROM json_each(leads.tags) j WHERE j.value <> ?1),
                 updated_at = ?2
WHERE EXISTS (SELECT 1 FROM lead_tags t WHERE t.lead_id = leads.id AND t.tag = ?1)
