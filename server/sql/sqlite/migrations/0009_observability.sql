-- The admin dashboard's traffic figures, kept so that every API process adds
-- up. Each process writes its own row per minute (minute = Unix time / 60)
-- with absolute counts, so a write repeated after a failure never counts
-- twice; the figures are sums over processes and minutes.
CREATE TABLE system_minutes (
  minute     INTEGER NOT NULL,
  process    TEXT NOT NULL,     -- host/pid/start of the API process that counted
  calls      INTEGER NOT NULL,  -- API calls answered
  errors     INTEGER NOT NULL,  -- of those, answered 5xx
  latency_us INTEGER NOT NULL,  -- their response times added up, in microseconds
  PRIMARY KEY (minute, process)
) WITHOUT ROWID;

-- The response-time histogram of the same calls: le_us is the bucket's upper
-- bound in microseconds (9223372036854775807 for the open-ended last one).
CREATE TABLE system_minute_latency (
  minute  INTEGER NOT NULL,
  process TEXT NOT NULL,
  le_us   INTEGER NOT NULL,
  calls   INTEGER NOT NULL,  -- calls that took at most le_us (and more than the bound below)
  PRIMARY KEY (minute, process, le_us)
) WITHOUT ROWID;

-- When each user last made an API call: active users are counted from here,
-- so a user served by several processes counts once.
CREATE TABLE system_active_users (
  user_id          INTEGER PRIMARY KEY,
  last_seen_minute INTEGER NOT NULL
);
CREATE INDEX system_active_users_last_seen ON system_active_users (last_seen_minute);
