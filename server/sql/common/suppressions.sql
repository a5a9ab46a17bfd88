-- The suppression list: addresses and domains never to be mailed, matched by
-- the SHA-256 of the normalised value (GDPR erasures keep only the hash).

-- name: suppressions.by_id
SELECT id, kind, value, value_hash, reason, note, created_by, created_at FROM suppressions WHERE id = $1;

-- name: suppressions.insert
INSERT INTO suppressions (kind, value, value_hash, reason, note, created_by, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
RETURNING id;

-- name: suppressions.update
UPDATE suppressions SET reason = $2, note = $3 WHERE id = $1;

-- name: suppressions.forget_value
-- A GDPR erasure keeps only the hash of an address already on the list.
UPDATE suppressions SET value = NULL WHERE value_hash = $1;

-- name: suppressions.id_by_hash
SELECT id FROM suppressions WHERE value_hash = $1;

-- name: suppressions.delete
DELETE FROM suppressions WHERE id = $1;

-- name: suppressions.matches
-- $1 the address's hash, $2 its domain's hash.
SELECT count(*) FROM suppressions WHERE value_hash IN ($1, $2);

-- name: suppressions.list
-- $1 kind or NULL, $2 reason or NULL, $3 LIKE pattern over the value or NULL.
SELECT id, kind, value, value_hash, reason, note, created_by, created_at
FROM suppressions
WHERE (CAST($1 AS TEXT) IS NULL OR kind = CAST($1 AS TEXT)) AND (CAST($2 AS TEXT) IS NULL OR reason = CAST($2 AS TEXT))
  AND (CAST($3 AS TEXT) IS NULL OR value LIKE CAST($3 AS TEXT) ESCAPE '\')
ORDER BY id DESC LIMIT $4 OFFSET $5;

-- name: suppressions.count
SELECT count(*) FROM suppressions
WHERE (CAST($1 AS TEXT) IS NULL OR kind = CAST($1 AS TEXT)) AND (CAST($2 AS TEXT) IS NULL OR reason = CAST($2 AS TEXT))
  AND (CAST($3 AS TEXT) IS NULL OR value LIKE CAST($3 AS TEXT) ESCAPE '\');
