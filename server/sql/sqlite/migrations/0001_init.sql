-- Key/value store for generated secrets (JWT key, ...) and runtime settings.
-- Timestamps are RFC 3339 UTC text on both backends.
CREATE TABLE app_settings (
  key        TEXT NOT NULL PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
