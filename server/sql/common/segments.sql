-- Saved segments: a name and a filter in the lead filter language.

-- name: segments.list
SELECT id, name, description, filter_json, created_by, created_at, updated_at FROM segments ORDER BY name LIMIT $1 OFFSET $2;

-- name: segments.stamp
-- What a rendered segment list depends on, in one snapshot: every change to a
-- lead or its tags moves lead_counters.version, every write to segments
-- segment_counters.version (0016_segment_counters.sql).
SELECT c.version, s.version FROM lead_counters AS c, segment_counters AS s WHERE c.id = 1 AND s.id = 1;

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
