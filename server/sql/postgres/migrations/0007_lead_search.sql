-- Lead reads that do not rescan: an index for `q`, exact counts kept in the
-- write transaction, and versions per kind of change (docs/architecture.md,
-- "List and count"). Triggers keep all three in step with leads and
-- lead_tags, so every write — the API, imports, bulk actions, erasure, a
-- deleted owner's ON DELETE SET NULL — keeps them exact in its own transaction.

-- pg_trgm is a trusted extension: the database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The four searched fields joined by spaces, trigram-indexed: ILIKE on this
-- expression narrows `q` to a superset of its matches, which the per-field
-- condition then decides (leads/search.hpp writes the same expression).
CREATE INDEX leads_search ON leads
USING gin ((email || ' ' || first_name || ' ' || last_name || ' ' || company) gin_trgm_ops);

-- What each kind of change last was: a cached count is valid while the
-- versions of what its filter reads are unchanged (`version` moves with any
-- change at all: rendered pages show every field).
ALTER TABLE lead_counters
  ADD COLUMN rows_version   BIGINT NOT NULL DEFAULT 0,  -- a lead added or deleted
  ADD COLUMN text_version   BIGINT NOT NULL DEFAULT 0,  -- email, names or company
  ADD COLUMN status_version BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN owner_version  BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN tags_version   BIGINT NOT NULL DEFAULT 0,  -- lead_tags
  ADD COLUMN other_version  BIGINT NOT NULL DEFAULT 0,  -- any other filtered field
  -- Where SQLite's one-go indexing of new leads has got to (its 0007); here
  -- the statement triggers below count new leads as they come, and this only follows.
  ADD COLUMN added_to       BIGINT NOT NULL DEFAULT 0;

-- Exact totals: 'all', 'status:<status>', 'owner:<user id>' ('owner:' for
-- none) and 'tag:<tag>'.
CREATE TABLE lead_counts (
  key TEXT PRIMARY KEY,
  n   BIGINT NOT NULL
);
INSERT INTO lead_counts (key, n) SELECT 'all', count(*) FROM leads;
INSERT INTO lead_counts (key, n) SELECT 'status:' || status, count(*) FROM leads GROUP BY status;
INSERT INTO lead_counts (key, n) SELECT 'owner:' || coalesce(owner_id::text, ''), count(*) FROM leads GROUP BY owner_id;
INSERT INTO lead_counts (key, n) SELECT 'tag:' || tag, count(*) FROM lead_tags GROUP BY tag;

-- Every statement that writes leads or lead_tags first takes the counters
-- row and moves the version. Transactions that change leads therefore queue
-- on that one row before touching any lead or count, so the counts they add
-- up below never wait for one another in two orders (no deadlock), and
-- writes the leads domain does not make (a deleted owner) move it too.
CREATE FUNCTION leads_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE lead_counters SET version = version + 1 WHERE id = 1;
  RETURN NULL;
END
$$;
CREATE TRIGGER leads_bump BEFORE INSERT OR UPDATE OR DELETE ON leads
FOR EACH STATEMENT EXECUTE FUNCTION leads_bump_version();
CREATE TRIGGER lead_tags_bump BEFORE INSERT OR UPDATE OR DELETE ON lead_tags
FOR EACH STATEMENT EXECUTE FUNCTION leads_bump_version();

-- Adds the changes of one statement to the counts, one row per key.
CREATE FUNCTION leads_counted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  direction BIGINT := CASE WHEN TG_OP = 'INSERT' THEN 1 ELSE -1 END;
BEGIN
  INSERT INTO lead_counts AS c (key, n)
  SELECT key, direction * sum(d) FROM (
    SELECT 'all' AS key, 1 AS d FROM changed_rows
    UNION ALL SELECT 'status:' || status, 1 FROM changed_rows
    UNION ALL SELECT 'owner:' || coalesce(owner_id::text, ''), 1 FROM changed_rows) AS deltas
  GROUP BY key ORDER BY key
  ON CONFLICT (key) DO UPDATE SET n = c.n + excluded.n;
  IF FOUND THEN
    UPDATE lead_counters SET rows_version = rows_version + 1 WHERE id = 1;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER leads_added AFTER INSERT ON leads
REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION leads_counted();
CREATE TRIGGER leads_deleted AFTER DELETE ON leads
REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION leads_counted();

CREATE FUNCTION leads_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  text_changed BOOLEAN;
  status_changed BOOLEAN;
  owner_changed BOOLEAN;
  other_changed BOOLEAN;
BEGIN
  SELECT coalesce(bool_or((o.email, o.first_name, o.last_name, o.company)
                          IS DISTINCT FROM (n.email, n.first_name, n.last_name, n.company)), false),
         coalesce(bool_or(o.status IS DISTINCT FROM n.status), false),
         coalesce(bool_or(o.owner_id IS DISTINCT FROM n.owner_id), false),
         coalesce(bool_or((o.country, o.source, o.score, o.custom_fields, o.created_at)
                          IS DISTINCT FROM (n.country, n.source, n.score, n.custom_fields, n.created_at)), false)
  INTO text_changed, status_changed, owner_changed, other_changed
  FROM old_rows o JOIN new_rows n USING (id);
  IF status_changed OR owner_changed THEN
    INSERT INTO lead_counts AS c (key, n)
    SELECT key, sum(d) FROM (
      SELECT 'status:' || o.status AS key, -1 AS d FROM old_rows o JOIN new_rows n USING (id) WHERE o.status <> n.status
      UNION ALL
      SELECT 'status:' || n.status, 1 FROM old_rows o JOIN new_rows n USING (id) WHERE o.status <> n.status
      UNION ALL
      SELECT 'owner:' || coalesce(o.owner_id::text, ''), -1
      FROM old_rows o JOIN new_rows n USING (id) WHERE o.owner_id IS DISTINCT FROM n.owner_id
      UNION ALL
      SELECT 'owner:' || coalesce(n.owner_id::text, ''), 1
      FROM old_rows o JOIN new_rows n USING (id) WHERE o.owner_id IS DISTINCT FROM n.owner_id) AS deltas
    GROUP BY key HAVING sum(d) <> 0 ORDER BY key
    ON CONFLICT (key) DO UPDATE SET n = c.n + excluded.n;
  END IF;
  IF text_changed OR status_changed OR owner_changed OR other_changed THEN
    UPDATE lead_counters
    SET text_version = text_version + text_changed::int, status_version = status_version + status_changed::int,
        owner_version = owner_version + owner_changed::int, other_version = other_version + other_changed::int
    WHERE id = 1;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER leads_changed AFTER UPDATE ON leads
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION leads_changed();

CREATE FUNCTION lead_tags_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO lead_counts AS c (key, n)
  SELECT 'tag:' || tag, CASE WHEN TG_OP = 'INSERT' THEN count(*) ELSE -count(*) END
  FROM changed_rows GROUP BY tag ORDER BY 1
  ON CONFLICT (key) DO UPDATE SET n = c.n + excluded.n;
  IF FOUND THEN
    UPDATE lead_counters SET tags_version = tags_version + 1 WHERE id = 1;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER lead_tags_added AFTER INSERT ON lead_tags
REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION lead_tags_counted();
CREATE TRIGGER lead_tags_deleted AFTER DELETE ON lead_tags
REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION lead_tags_counted();
