-- Users, roles, sessions (refresh-token families), API keys and the
-- hash-chained audit log.
CREATE TABLE roles (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  name        TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  permissions TEXT NOT NULL,              -- JSON array of "domain:action"
  builtin     INTEGER NOT NULL DEFAULT 0,
  version     INTEGER NOT NULL DEFAULT 1, -- bumped on every change (permission caches)
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);

CREATE TABLE users (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  email         TEXT NOT NULL UNIQUE,     -- normalised to lower case
  name          TEXT NOT NULL DEFAULT '',
  role          TEXT NOT NULL REFERENCES roles (name) ON UPDATE CASCADE,
  password_hash TEXT NOT NULL,
  active        INTEGER NOT NULL DEFAULT 1,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  last_login_at TEXT
);
CREATE INDEX users_role ON users (role);

CREATE TABLE sessions (
  id           TEXT PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at   TEXT NOT NULL,
  expires_at   TEXT NOT NULL,
  revoked_at   TEXT,
  revoked_why  TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE refresh_tokens (
  token_hash TEXT PRIMARY KEY,            -- SHA-256 of the token; the token itself is never stored
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  used_at    TEXT
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

CREATE TABLE api_keys (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  prefix       TEXT NOT NULL,             -- first characters, shown to identify the key
  key_hash     TEXT NOT NULL UNIQUE,
  permissions  TEXT NOT NULL,             -- JSON array, a subset of the creator's
  created_at   TEXT NOT NULL,
  last_used_at TEXT,
  revoked_at   TEXT
);
CREATE INDEX api_keys_user ON api_keys (user_id);

CREATE TABLE audit_log (
  id         INTEGER PRIMARY KEY,         -- assigned by the writer in chain order
  created_at TEXT NOT NULL,
  user_id    INTEGER,
  actor      TEXT NOT NULL DEFAULT '',
  action     TEXT NOT NULL,
  resource   TEXT NOT NULL DEFAULT '',
  ip         TEXT NOT NULL DEFAULT '',
  request_id TEXT NOT NULL DEFAULT '',
  success    INTEGER NOT NULL,
  error      TEXT NOT NULL DEFAULT '',
  details    TEXT NOT NULL DEFAULT '{}',
  prev_hash  TEXT NOT NULL,
  hash       TEXT NOT NULL
);
CREATE INDEX audit_log_user ON audit_log (user_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_created ON audit_log (created_at);

-- Append-only: the application never updates or deletes audit rows.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
