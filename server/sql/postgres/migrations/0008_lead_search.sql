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
  -- Where SQLite's one-go indexing of new leads has got to (its 0008); here
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

-- Which leads changed at each version, and how (aspects: 1 added or deleted,
-- 2 text, 4 status, 8 owner, 16 tags, 32 other filtered fields, 0 only
-- fields no filter reads), so that a rendered page stays valid across
-- changes that cannot touch it (leads/change_feed.hpp). Here a version is a
-- statement: it lists the leads it changed, or, past 1,000 of them, one row
-- without a lead (any page may have changed). The last 100,000 versions are kept.
CREATE TABLE lead_changes (
  version BIGINT NOT NULL,
  lead_id BIGINT,  -- for new leads, the highest new id
  aspects INTEGER NOT NULL
);
CREATE INDEX lead_changes_version ON lead_changes (version);

-- Every statement that writes leads or lead_tags first takes the counters
-- row and moves the version. Transactions that change leads therefore queue
-- on that one row before touching any lead or count, so the counts they add
-- up below never wait for one another in two orders (no deadlock), and
-- writes the leads domain does not make (a deleted owner) move it too.
CREATE FUNCTION leads_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v BIGINT;
BEGIN
  UPDATE lead_counters SET version = version + 1 WHERE id = 1 RETURNING version INTO v;
  IF v % 1024 = 0 THEN
    DELETE FROM lead_changes WHERE version <= v - 100000;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER leads_bump BEFORE INSERT OR UPDATE OR DELETE ON leads
FOR EACH STATEMENT EXECUTE FUNCTION leads_bump_version();
CREATE TRIGGER lead_tags_bump BEFORE INSERT OR UPDATE OR DELETE ON lead_tags
FOR EACH STATEMENT EXECUTE FUNCTION leads_bump_version();

-- Logs the leads a statement changed (or that it changed too many to list).
CREATE FUNCTION lead_changes_logged(ids BIGINT[], masks INTEGER[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v BIGINT := (SELECT version FROM lead_counters WHERE id = 1);
BEGIN
  IF cardinality(ids) > 1000 THEN
    INSERT INTO lead_changes (version, lead_id, aspects)
    SELECT v, NULL, coalesce(bit_or(m), 0) FROM unnest(masks) AS m;
  ELSIF cardinality(ids) > 0 THEN
    INSERT INTO lead_changes (version, lead_id, aspects) SELECT v, i, m FROM unnest(ids, masks) AS c (i, m);
  END IF;
END
$$;

-- Adds the changes of one statement to the counts, one row per key.
CREATE FUNCTION leads_counted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  direction BIGINT := CASE WHEN TG_OP = 'INSERT' THEN 1 ELSE -1 END;
  changed BIGINT;
BEGIN
  INSERT INTO lead_counts AS c (key, n)
  SELECT key, direction * sum(d) FROM (
    SELECT 'all' AS key, 1 AS d FROM changed_rows
    UNION ALL SELECT 'status:' || status, 1 FROM changed_rows
    UNION ALL SELECT 'owner:' || coalesce(owner_id::text, ''), 1 FROM changed_rows) AS deltas
  GROUP BY key ORDER BY key
  ON CONFLICT (key) DO UPDATE SET n = c.n + excluded.n;
  SELECT count(*) INTO changed FROM changed_rows;
  IF changed > 0 THEN
    UPDATE lead_counters SET rows_version = rows_version + changed WHERE id = 1;
    IF TG_OP = 'INSERT' THEN
      PERFORM lead_changes_logged(ARRAY[(SELECT max(id) FROM changed_rows)], ARRAY[1]);
    ELSE
      PERFORM lead_changes_logged(array_agg(id), array_agg(1)) FROM changed_rows;
    END IF;
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
  text_changed BIGINT;
  status_changed BIGINT;
  owner_changed BIGINT;
  other_changed BIGINT;
  ids BIGINT[];
  masks INTEGER[];
BEGIN
  WITH changes AS (
    SELECT id,
           2 * ((o.email, o.first_name, o.last_name, o.company)
                IS DISTINCT FROM (n.email, n.first_name, n.last_name, n.company))::int
           + 4 * (o.status IS DISTINCT FROM n.status)::int + 8 * (o.owner_id IS DISTINCT FROM n.owner_id)::int
           + 32 * ((o.country, o.source, o.score, o.custom_fields, o.created_at)
                   IS DISTINCT FROM (n.country, n.source, n.score, n.custom_fields, n.created_at))::int AS mask
    FROM old_rows o JOIN new_rows n USING (id))
  SELECT count(*) FILTER (WHERE mask & 2 <> 0), count(*) FILTER (WHERE mask & 4 <> 0),
         count(*) FILTER (WHERE mask & 8 <> 0), count(*) FILTER (WHERE mask & 32 <> 0),
         array_agg(id), array_agg(mask)
  INTO text_changed, status_changed, owner_changed, other_changed, ids, masks
  FROM changes;
  IF status_changed > 0 OR owner_changed > 0 THEN
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
  IF text_changed + status_changed + owner_changed + other_changed > 0 THEN
    UPDATE lead_counters
    SET text_version = text_version + text_changed, status_version = status_version + status_changed,
        owner_version = owner_version + owner_changed, other_version = other_version + other_changed
    WHERE id = 1;
  END IF;
  PERFORM lead_changes_logged(coalesce(ids, '{}'), coalesce(masks, '{}'));
  RETURN NULL;
END
$$;
CREATE TRIGGER leads_changed AFTER UPDATE ON leads
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION leads_changed();

CREATE FUNCTION lead_tags_counted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed BIGINT;
BEGIN
  INSERT INTO lead_counts AS c (key, n)
  SELECT 'tag:' || tag, CASE WHEN TG_OP = 'INSERT' THEN count(*) ELSE -count(*) END
  FROM changed_rows GROUP BY tag ORDER BY 1
  ON CONFLICT (key) DO UPDATE SET n = c.n + excluded.n;
  SELECT count(*) INTO changed FROM changed_rows;
  IF changed > 0 THEN
    UPDATE lead_counters SET tags_version = tags_version + changed WHERE id = 1;
    PERFORM lead_changes_logged(array_agg(lead_id), array_agg(16)) FROM (SELECT DISTINCT lead_id FROM changed_rows) AS l;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER lead_tags_added AFTER INSERT ON lead_tags
REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION lead_tags_counted();
CREATE TRIGGER lead_tags_deleted AFTER DELETE ON lead_tags
REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION lead_tags_counted();
