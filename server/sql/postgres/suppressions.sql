-- The suppression list: addresses and domains never to be mailed, matched by
-- the SHA-256 of the normalised value (GDPR erasures keep only the hash).

-- Queries whose SQL differs between SQLite and PostgreSQL; those that are
-- the same for both are in common/suppressions.sql.

-- name: suppressions.matching
-- Which of the hashes in $1 (a JSON array) are on the list: one statement for
-- a batch of recipients.
SELECT value_hash FROM suppressions WHERE value_hash IN (SELECT jsonb_array_elements_text($1::jsonb));
