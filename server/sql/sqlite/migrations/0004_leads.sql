-- Leads, their tags, saved segments, the suppression list, and CSV imports
-- (the uploaded file in chunks, the import's checkpoint, its per-row report).
CREATE TABLE leads (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: audit entries name lead/<id>
  email             TEXT NOT NULL UNIQUE,               -- normalised to lower case
  first_name        TEXT NOT NULL DEFAULT '',
  last_name         TEXT NOT NULL DEFAULT '',
  company           TEXT NOT NULL DEFAULT '',
  title             TEXT NOT NULL DEFAULT '',
  phone             TEXT NOT NULL DEFAULT '',
  website           TEXT NOT NULL DEFAULT '',
  country           TEXT NOT NULL DEFAULT '',
  timezone          TEXT NOT NULL DEFAULT '',
  status            TEXT NOT NULL DEFAULT 'new',
  score             INTEGER NOT NULL DEFAULT 0,
  owner_id          INTEGER REFERENCES users (id) ON DELETE SET NULL,
  tags              TEXT NOT NULL DEFAULT '[]',         -- JSON array, kept in step with lead_tags
  custom_fields     TEXT NOT NULL DEFAULT '{}',         -- JSON object
  source            TEXT NOT NULL DEFAULT '',
  import_id         INTEGER,                            -- the import that created or last updated it
  import_line       INTEGER,                            -- and the line of its file
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  last_contacted_at TEXT,
  last_activity_at  TEXT
);
-- The list's filters, each with id as the tie-breaker of the default order.
CREATE INDEX leads_status ON leads (status, id);
CREATE INDEX leads_owner ON leads (owner_id, id);
CREATE INDEX leads_created ON leads (created_at, id);

-- One row per (lead, tag): what tag filters and bulk tagging use.
CREATE TABLE lead_tags (
  lead_id INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
  tag     TEXT NOT NULL,
  PRIMARY KEY (lead_id, tag)
) WITHOUT ROWID;
CREATE INDEX lead_tags_tag ON lead_tags (tag, lead_id);

-- Bumped in every transaction that changes leads: cached counts are valid
-- for one version (read in the same snapshot as the count).
CREATE TABLE lead_counters (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
INSERT INTO lead_counters (id, version) VALUES (1, 0);

CREATE TABLE segments (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  name        TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  filter_json TEXT NOT NULL,                    -- JSON object in the filter language
  created_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);

-- Addresses and domains never to be mailed. value is NULL when only the
-- hash may be kept (a GDPR erasure); value_hash is SHA-256 of the lower-case
-- address or domain, what senders check.
CREATE TABLE suppressions (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  kind       TEXT NOT NULL CHECK (kind IN ('email', 'domain')),
  value      TEXT,
  value_hash TEXT NOT NULL UNIQUE,
  reason     TEXT NOT NULL,                     -- manual, unsubscribe, bounce, complaint, gdpr
  note       TEXT NOT NULL DEFAULT '',
  created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE lead_imports (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  status        TEXT NOT NULL,                  -- uploading, queued, running, completed, failed
  options       TEXT NOT NULL,                  -- JSON: mode, tags, list, mapping, source
  filename      TEXT NOT NULL DEFAULT '',
  created_by    INTEGER REFERENCES users (id) ON DELETE SET NULL,
  chunk_size    INTEGER NOT NULL,
  chunks        INTEGER NOT NULL DEFAULT 0,
  total_bytes   INTEGER NOT NULL DEFAULT 0,
  delimiter     TEXT,                           -- set with header once the header row is read
  header        TEXT,                           -- JSON array of the header fields
  -- The checkpoint: where the next unapplied record starts, and the counts up to it.
  next_offset   INTEGER NOT NULL DEFAULT 0,
  next_line     INTEGER NOT NULL DEFAULT 1,
  rows_read     INTEGER NOT NULL DEFAULT 0,
  created       INTEGER NOT NULL DEFAULT 0,
  updated       INTEGER NOT NULL DEFAULT 0,
  skipped       INTEGER NOT NULL DEFAULT 0,
  failed        INTEGER NOT NULL DEFAULT 0,
  errors_stored INTEGER NOT NULL DEFAULT 0,
  error         TEXT,                           -- why the whole import failed
  worker        TEXT,                           -- who is applying it
  heartbeat_at  TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  started_at    TEXT,
  finished_at   TEXT
);
CREATE INDEX lead_imports_status ON lead_imports (status, id);

-- The uploaded file, so any worker can read it; removed when the import ends.
CREATE TABLE lead_import_chunks (
  import_id INTEGER NOT NULL REFERENCES lead_imports (id) ON DELETE CASCADE,
  seq       INTEGER NOT NULL,
  data      BLOB NOT NULL,
  PRIMARY KEY (import_id, seq)
);

-- Rows that were not applied, and why (no personal data: a line and a reason).
CREATE TABLE lead_import_errors (
  import_id INTEGER NOT NULL REFERENCES lead_imports (id) ON DELETE CASCADE,
  line      INTEGER NOT NULL,
  kind      TEXT NOT NULL,                      -- failed or skipped
  reason    TEXT NOT NULL,
  PRIMARY KEY (import_id, line)
) WITHOUT ROWID;
