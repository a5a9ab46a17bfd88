-- Lead reads that do not rescan: an index for `q`, exact counts kept in the
-- write transaction, and versions per kind of change (docs/architecture.md,
-- "List and count"). Triggers keep all three in step with leads and
-- lead_tags in the writing transaction, whoever writes — the API, imports,
-- bulk actions, erasure, a deleted owner's ON DELETE SET NULL.
--
-- New leads are the exception, for speed: a per-row trigger that adds a row
-- to an FTS5 table makes FTS5 write its index out at every statement, which
-- tripled an import's cost. So the code that inserts leads (a create, an
-- import batch) then moves lead_counters.added_to up to the highest id, in
-- the same transaction, and one trigger indexes and counts every lead up to
-- there, with its tags, in one go. Leads above added_to are not yet added:
-- the other triggers leave them and their tags alone, and they are added as
-- they are then.

-- What each kind of change last was: a cached count is valid while the
-- versions of what its filter reads are unchanged (`version` moves with any
-- change at all: rendered pages show every field).
ALTER TABLE lead_counters ADD COLUMN rows_version   INTEGER NOT NULL DEFAULT 0;  -- a lead added or deleted
ALTER TABLE lead_counters ADD COLUMN text_version   INTEGER NOT NULL DEFAULT 0;  -- email, names or company
ALTER TABLE lead_counters ADD COLUMN status_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE lead_counters ADD COLUMN owner_version  INTEGER NOT NULL DEFAULT 0;
ALTER TABLE lead_counters ADD COLUMN tags_version   INTEGER NOT NULL DEFAULT 0;  -- lead_tags
ALTER TABLE lead_counters ADD COLUMN other_version  INTEGER NOT NULL DEFAULT 0;  -- any other filtered field
ALTER TABLE lead_counters ADD COLUMN added_to       INTEGER NOT NULL DEFAULT 0;  -- leads up to this id are indexed and counted

-- Exact totals: 'all', 'status:<status>', 'owner:<user id>' ('owner:' for
-- none) and 'tag:<tag>'.
CREATE TABLE lead_counts (
  key TEXT PRIMARY KEY,
  n   INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO lead_counts (key, n) SELECT 'all', count(*) FROM leads;
INSERT INTO lead_counts (key, n) SELECT 'status:' || status, count(*) FROM leads GROUP BY status;
INSERT INTO lead_counts (key, n) SELECT 'owner:' || coalesce(owner_id, ''), count(*) FROM leads GROUP BY owner_id;
INSERT INTO lead_counts (key, n) SELECT 'tag:' || tag, count(*) FROM lead_tags GROUP BY tag;

-- Which leads hold which trigrams of their email, names and company (case
-- folded). detail=none keeps no positions: the index narrows, and the LIKE
-- condition decides (leads/search.hpp). External content: the text stays in
-- leads only.
CREATE VIRTUAL TABLE leads_search USING fts5 (
  email, first_name, last_name, company,
  content = 'leads', content_rowid = 'id', tokenize = 'trigram', detail = 'none', columnsize = 0
);
INSERT INTO leads_search (leads_search) VALUES ('rebuild');
UPDATE lead_counters SET added_to = coalesce((SELECT max(id) FROM leads), 0) WHERE id = 1;

-- Which lead changed at each version, and how (aspects: 1 added or deleted,
-- 2 text, 4 status, 8 owner, 16 tags, 32 other filtered fields, 0 only
-- fields no filter reads), so that a rendered page stays valid across
-- changes that cannot touch it (leads/change_feed.hpp). Here every changed
-- row moves the version by one; the last 100,000 versions are kept.
CREATE TABLE lead_changes (
  version INTEGER PRIMARY KEY,
  lead_id INTEGER,  -- for new leads, the highest new id
  aspects INTEGER NOT NULL
);

CREATE TRIGGER lead_changes_pruned AFTER INSERT ON lead_changes WHEN new.version % 1024 = 0 BEGIN
  DELETE FROM lead_changes WHERE version <= new.version - 100000;
END;

CREATE TRIGGER leads_added AFTER UPDATE OF added_to ON lead_counters WHEN new.added_to > old.added_to BEGIN
  INSERT INTO leads_search (rowid, email, first_name, last_name, company)
  SELECT id, email, first_name, last_name, company FROM leads WHERE id > old.added_to AND id <= new.added_to;
  INSERT INTO lead_counts (key, n)
  SELECT key, count(*) FROM (
    SELECT 'all' AS key FROM leads WHERE id > old.added_to AND id <= new.added_to
    UNION ALL SELECT 'status:' || status FROM leads WHERE id > old.added_to AND id <= new.added_to
    UNION ALL SELECT 'owner:' || coalesce(owner_id, '') FROM leads WHERE id > old.added_to AND id <= new.added_to
    UNION ALL SELECT 'tag:' || tag FROM lead_tags WHERE lead_id > old.added_to AND lead_id <= new.added_to)
  WHERE true GROUP BY key
  ON CONFLICT (key) DO UPDATE SET n = n + excluded.n;
  UPDATE lead_counters
  SET version = version + 1,
      rows_version = rows_version + (SELECT count(*) FROM leads WHERE id > old.added_to AND id <= new.added_to)
  WHERE id = 1;
  INSERT INTO lead_changes (version, lead_id, aspects) SELECT version, new.added_to, 1 FROM lead_counters WHERE id = 1;
END;

CREATE TRIGGER leads_deleted AFTER DELETE ON leads
WHEN old.id <= (SELECT added_to FROM lead_counters WHERE id = 1)
BEGIN
  INSERT INTO leads_search (leads_search, rowid, email, first_name, last_name, company)
  VALUES ('delete', old.id, old.email, old.first_name, old.last_name, old.company);
  UPDATE lead_counters SET version = version + 1, rows_version = rows_version + 1 WHERE id = 1;
  INSERT INTO lead_changes (version, lead_id, aspects) SELECT version, old.id, 1 FROM lead_counters WHERE id = 1;
  INSERT INTO lead_counts (key, n)
  VALUES ('all', -1), ('status:' || old.status, -1), ('owner:' || coalesce(old.owner_id, ''), -1)
  ON CONFLICT (key) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER leads_changed AFTER UPDATE ON leads BEGIN
  UPDATE lead_counters
  SET version = version + 1,
      text_version = text_version + (old.email IS NOT new.email OR old.first_name IS NOT new.first_name
                                     OR old.last_name IS NOT new.last_name OR old.company IS NOT new.company),
      status_version = status_version + (old.status IS NOT new.status),
      owner_version = owner_version + (old.owner_id IS NOT new.owner_id),
      other_version = other_version + (old.country IS NOT new.country OR old.source IS NOT new.source
                                       OR old.score IS NOT new.score OR old.custom_fields IS NOT new.custom_fields
                                       OR old.created_at IS NOT new.created_at)
  WHERE id = 1;
  INSERT INTO lead_changes (version, lead_id, aspects)
  SELECT version, new.id,
         2 * (old.email IS NOT new.email OR old.first_name IS NOT new.first_name OR old.last_name IS NOT new.last_name
              OR old.company IS NOT new.company)
         + 4 * (old.status IS NOT new.status) + 8 * (old.owner_id IS NOT new.owner_id)
         + 32 * (old.country IS NOT new.country OR old.source IS NOT new.source OR old.score IS NOT new.score
                 OR old.custom_fields IS NOT new.custom_fields OR old.created_at IS NOT new.created_at)
  FROM lead_counters WHERE id = 1;
END;

CREATE TRIGGER leads_text_changed AFTER UPDATE OF email, first_name, last_name, company ON leads
WHEN (old.email IS NOT new.email OR old.first_name IS NOT new.first_name OR old.last_name IS NOT new.last_name
      OR old.company IS NOT new.company)
  AND old.id <= (SELECT added_to FROM lead_counters WHERE id = 1)
BEGIN
  INSERT INTO leads_search (leads_search, rowid, email, first_name, last_name, company)
  VALUES ('delete', old.id, old.email, old.first_name, old.last_name, old.company);
  INSERT INTO leads_search (rowid, email, first_name, last_name, company)
  VALUES (new.id, new.email, new.first_name, new.last_name, new.company);
END;

CREATE TRIGGER leads_status_changed AFTER UPDATE OF status ON leads
WHEN old.status IS NOT new.status AND old.id <= (SELECT added_to FROM lead_counters WHERE id = 1)
BEGIN
  INSERT INTO lead_counts (key, n) VALUES ('status:' || old.status, -1), ('status:' || new.status, 1)
  ON CONFLICT (key) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER leads_owner_changed AFTER UPDATE OF owner_id ON leads
WHEN old.owner_id IS NOT new.owner_id AND old.id <= (SELECT added_to FROM lead_counters WHERE id = 1)
BEGIN
  INSERT INTO lead_counts (key, n)
  VALUES ('owner:' || coalesce(old.owner_id, ''), -1), ('owner:' || coalesce(new.owner_id, ''), 1)
  ON CONFLICT (key) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER lead_tags_added AFTER INSERT ON lead_tags
WHEN new.lead_id <= (SELECT added_to FROM lead_counters WHERE id = 1)
BEGIN
  UPDATE lead_counters SET version = version + 1, tags_version = tags_version + 1 WHERE id = 1;
  INSERT INTO lead_changes (version, lead_id, aspects) SELECT version, new.lead_id, 16 FROM lead_counters WHERE id = 1;
  INSERT INTO lead_counts (key, n) VALUES ('tag:' || new.tag, 1) ON CONFLICT (key) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER lead_tags_deleted AFTER DELETE ON lead_tags
WHEN old.lead_id <= (SELECT added_to FROM lead_counters WHERE id = 1)
BEGIN
  UPDATE lead_counters SET version = version + 1, tags_version = tags_version + 1 WHERE id = 1;
  INSERT INTO lead_changes (version, lead_id, aspects) SELECT version, old.lead_id, 16 FROM lead_counters WHERE id = 1;
  INSERT INTO lead_counts (key, n) VALUES ('tag:' || old.tag, -1) ON CONFLICT (key) DO UPDATE SET n = n + excluded.n;
END;
