-- Users, roles, sessions, refresh tokens and API keys.

-- name: auth.role_list
SELECT r.id, r.name, r.description, r.permissions, r.builtin, r.version, r.created_at, r.updated_at,
       (SELECT count(*) FROM users u WHERE u.role = r.name) AS users
FROM roles r ORDER BY r.id;

-- name: auth.role_by_id
SELECT r.id, r.name, r.description, r.permissions, r.builtin, r.version, r.created_at, r.updated_at,
       (SELECT count(*) FROM users u WHERE u.role = r.name) AS users
FROM roles r WHERE r.id = $1;

-- name: auth.role_permissions
SELECT permissions, version FROM roles WHERE name = $1;

-- name: auth.role_insert
INSERT INTO roles (name, description, permissions, builtin, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $5)
RETURNING id;

-- name: auth.role_update
UPDATE roles SET name = $2, description = $3, permissions = $4, version = version + 1, updated_at = $5
WHERE id = $1;

-- name: auth.role_delete
DELETE FROM roles WHERE id = $1;

-- name: auth.user_columns_by_email
SELECT id, email, name, role, password_hash, active, created_at, updated_at, last_login_at
FROM users WHERE email = $1;

-- name: auth.user_by_id
SELECT id, email, name, role, password_hash, active, created_at, updated_at, last_login_at
FROM users WHERE id = $1;

-- name: auth.user_list
-- $1: lower-case LIKE pattern ('%' for all), $2: limit, $3: offset.
SELECT id, email, name, role, password_hash, active, created_at, updated_at, last_login_at
FROM users
WHERE email LIKE $1 ESCAPE '\' OR lower(name) LIKE $1 ESCAPE '\'
ORDER BY id LIMIT $2 OFFSET $3;

-- name: auth.user_count
SELECT count(*) FROM users WHERE email LIKE $1 ESCAPE '\' OR lower(name) LIKE $1 ESCAPE '\';

-- name: auth.user_insert
INSERT INTO users (email, name, role, password_hash, active, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $6)
RETURNING id;

-- name: auth.user_update
UPDATE users SET name = $2, role = $3, active = $4, updated_at = $5 WHERE id = $1;

-- name: auth.user_set_password
UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1;

-- name: auth.user_delete
DELETE FROM users WHERE id = $1;

-- name: auth.user_touch_login
UPDATE users SET last_login_at = $2 WHERE id = $1;

-- name: auth.count_users
SELECT count(*) FROM users;

-- name: auth.count_active_admins
SELECT count(*) FROM users WHERE role = 'admin' AND active;

-- name: auth.principal
-- Everything a request needs to know about its caller, in one indexed lookup.
SELECT u.email, u.role, u.active, r.version, s.revoked_at, s.expires_at
FROM users u
JOIN roles r ON r.name = u.role
LEFT JOIN sessions s ON s.id = $2 AND s.user_id = u.id
WHERE u.id = $1;

-- name: auth.session_insert
INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4);

-- name: auth.session_revoke
UPDATE sessions SET revoked_at = $2, revoked_why = $3 WHERE id = $1 AND revoked_at IS NULL;

-- name: auth.sessions_revoke_user
UPDATE sessions SET revoked_at = $2, revoked_why = $3 WHERE user_id = $1 AND revoked_at IS NULL;

-- name: auth.sessions_revoke_user_except
UPDATE sessions SET revoked_at = $2, revoked_why = $3 WHERE user_id = $1 AND id <> $4 AND revoked_at IS NULL;

-- name: auth.refresh_insert
INSERT INTO refresh_tokens (token_hash, session_id, created_at) VALUES ($1, $2, $3);

-- name: auth.refresh_get
SELECT t.session_id, t.used_at, s.user_id, s.revoked_at, s.expires_at
FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
WHERE t.token_hash = $1;

-- name: auth.refresh_mark_used
-- Affects one row only for the first use: a second use is a replay.
UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL;

-- name: auth.api_key_insert
INSERT INTO api_keys (user_id, name, prefix, key_hash, permissions, created_at)
VALUES ($1, $2, $3, $4, $5, $6)
RETURNING id;

-- name: auth.api_key_list
SELECT id, name, prefix, permissions, created_at, last_used_at, revoked_at
FROM api_keys WHERE user_id = $1 ORDER BY id;

-- name: auth.api_key_principal
SELECT k.id, k.user_id, k.permissions, k.revoked_at, k.last_used_at, u.email, u.role, u.active, r.version
FROM api_keys k
JOIN users u ON u.id = k.user_id
JOIN roles r ON r.name = u.role
WHERE k.key_hash = $1;

-- name: auth.api_key_revoke
UPDATE api_keys SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL;

-- name: auth.api_keys_revoke_user
-- Every key of a user, when the account is deactivated.
UPDATE api_keys SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL;

-- name: auth.api_key_touch
UPDATE api_keys SET last_used_at = $2 WHERE id = $1;

-- name: auth.role_upsert_builtin
-- Built-in roles follow the binary: their permissions are rewritten at start.
INSERT INTO roles (name, description, permissions, builtin, created_at, updated_at)
VALUES ($1, $2, $3, TRUE, $4, $4)
ON CONFLICT (name) DO UPDATE SET permissions = excluded.permissions, description = excluded.description,
  builtin = TRUE, version = roles.version + 1, updated_at = excluded.updated_at
WHERE roles.permissions <> excluded.permissions OR NOT roles.builtin;

-- name: auth.user_exists
SELECT count(*) FROM users WHERE id = $1;

-- name: auth.user_ids
-- Every user's id and email (how a CSV import names a lead's owner).
SELECT id, email FROM users;
