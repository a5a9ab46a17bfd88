-- The AI assistant's token usage (ai/store.cpp): what each user's provider
-- calls cost per UTC day, against the daily token budget (Settings → AI).
CREATE TABLE ai_usage (
  user_id           BIGINT NOT NULL,
  day               TEXT   NOT NULL,           -- YYYY-MM-DD, UTC
  prompt_tokens     BIGINT NOT NULL DEFAULT 0,
  completion_tokens BIGINT NOT NULL DEFAULT 0,
  requests          BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, day)
);
