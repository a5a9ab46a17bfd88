-- The hash-chained audit log.

-- name: audit.lock
-- Serialises chain writers across every API process until the transaction ends.
SELECT pg_advisory_xact_lock(726173);

-- name: audit.head
SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1;

-- name: audit.insert
INSERT INTO audit_log (id, created_at, user_id, actor, action, resource, ip, request_id, success, error, details,
                       prev_hash, hash)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13);

-- name: audit.list
SELECT id, created_at, user_id, actor, action, resource, ip, request_id, success, error, details
FROM audit_log
WHERE ($1::bigint = 0 OR id < $1::bigint)
  AND ($2::bigint IS NULL OR user_id = $2::bigint)
  AND ($3::text IS NULL OR action = $3::text)
  AND ($4::text IS NULL OR resource = $4::text OR resource LIKE $4::text || '/%')
  AND ($5::text IS NULL OR created_at >= $5::text)
  AND ($6::text IS NULL OR created_at < $6::text)
ORDER BY id DESC
LIMIT $7;

-- name: audit.walk
SELECT id, created_at, user_id, actor, action, resource, ip, request_id, success, error, details, prev_hash, hash
FROM audit_log ORDER BY id;
