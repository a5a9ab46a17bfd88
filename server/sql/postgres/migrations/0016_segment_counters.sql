-- A version of the saved segments, moved by every write to `segments`, so
-- that a process can tell whether its rendered segment list (names, filters
-- and member counts: leads/segments.hpp) is still current, across processes,
-- by reading it beside lead_counters.version in one statement.
--
-- Expand-only: a new one-row table and a statement trigger on `segments`.
-- The previous version never reads it; its segment writes fire the trigger
-- too, so processes of this version see them.
CREATE TABLE segment_counters (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  version BIGINT NOT NULL
);
INSERT INTO segment_counters (id, version) VALUES (1, 0);

CREATE FUNCTION segments_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE segment_counters SET version = version + 1 WHERE id = 1;
  RETURN NULL;
END
$$;
CREATE TRIGGER segments_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON segments
FOR EACH STATEMENT EXECUTE FUNCTION segments_bump_version();
