-- A version of the saved segments, moved by every write to `segments`, so
-- that a process can tell whether its rendered segment list (names, filters
-- and member counts: leads/segments.hpp) is still current, across processes,
-- by reading it beside lead_counters.version in one statement.
--
-- Expand-only: a new one-row table and triggers on `segments`. The previous
-- version never reads it; its segment writes fire the triggers too.
CREATE TABLE segment_counters (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
INSERT INTO segment_counters (id, version) VALUES (1, 0);

CREATE TRIGGER segments_inserted AFTER INSERT ON segments
BEGIN
  UPDATE segment_counters SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER segments_updated AFTER UPDATE ON segments
BEGIN
  UPDATE segment_counters SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER segments_deleted AFTER DELETE ON segments
BEGIN
  UPDATE segment_counters SET version = version + 1 WHERE id = 1;
END;
