-- The hash-chained audit log.

-- name: audit.lock
-- The writer's transaction is BEGIN IMMEDIATE: SQLite already serialises it.
SELECT 1;

-- name: audit.head
SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1;

-- name: audit.insert
INSERT INTO audit_log (id, created_at, user_id, actor, action, resource, ip, request_id, success, error, details,
                       prev_hash, hash)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13);

-- name: audit.list
-- Newest first, before cursor ?1 (0 = from the newest); optional filters are NULL when unset.
SELECT id, created_at, user_id, actor, action, resource, ip, request_id, success, error, details
FROM audit_log
WHERE (?1 = 0 OR id < ?1)
  AND (?2 IS NULL OR user_id = ?2)
  AND (?3 IS NULL OR action = ?3)
  AND (?4 IS NULL OR resource = ?4 OR resource LIKE ?4 || '/%')
  AND (?5 IS NULL OR created_at >= ?5)
  AND (?6 IS NULL OR created_at < ?6)
ORDER BY id DESC
LIMIT ?7;

-- name: audit.walk
SELECT id, created_at, user_id, actor, action, resource, ip, request_id, success, error, details, prev_hash, hash
FROM audit_log ORDER BY id;
