-- name: settings.get
SELECT value FROM app_settings WHERE key = $1;

-- name: settings.put
-- Insert or overwrite: runtime settings changed by an administrator.
INSERT INTO app_settings (key, value, updated_at) VALUES ($1, $2, $3)
ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at;

-- name: settings.put_if_absent
-- Keep the first value: two processes generating a secret at first start
-- both read back the one that won.
INSERT INTO app_settings (key, value, updated_at) VALUES ($1, $2, $3)
ON CONFLICT (key) DO NOTHING;
