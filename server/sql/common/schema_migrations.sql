-- Bookkeeping for storage::migrate(); one row per applied migration.

-- name: schema_migrations.create
CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at TEXT NOT NULL
);

-- name: schema_migrations.applied
SELECT version FROM schema_migrations ORDER BY version;

-- name: schema_migrations.is_applied
SELECT 1 FROM schema_migrations WHERE version = $1;

-- name: schema_migrations.record
INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3);

-- name: schema_migrations.current
SELECT COALESCE(MAX(version), 0) FROM schema_migrations;
