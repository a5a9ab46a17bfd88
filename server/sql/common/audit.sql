-- The hash-chained audit log.

-- name: audit.head
SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1;

-- name: audit.insert
INSERT INTO audit_log (id, created_at, user_id, actor, action, resource, ip, request_id, success, error, details,
                       prev_hash, hash)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13);

-- name: audit.walk
SELECT id, created_at, user_id, actor, action, resource, ip, request_id, success, error, details, prev_hash, hash
FROM audit_log ORDER BY id;

-- name: audit.list
-- Newest first, before cursor $1 (0 = from the newest); optional filters are NULL when unset.
SELECT id, created_at, user_id, actor, action, resource, ip, request_id, success, error, details
FROM audit_log
WHERE (CAST($1 AS BIGINT) = 0 OR id < CAST($1 AS BIGINT))
  AND (CAST($2 AS BIGINT) IS NULL OR user_id = CAST($2 AS BIGINT))
  AND (CAST($3 AS TEXT) IS NULL OR action = CAST($3 AS TEXT))
  AND (CAST($4 AS TEXT) IS NULL OR resource = CAST($4 AS TEXT) OR resource LIKE CAST($4 AS TEXT) || '/%')
  AND (CAST($5 AS TEXT) IS NULL OR created_at >= CAST($5 AS TEXT))
  AND (CAST($6 AS TEXT) IS NULL OR created_at < CAST($6 AS TEXT))
ORDER BY id DESC
LIMIT $7;
