-- name: ai.usage_add
-- Adds one provider call's tokens to the user's day.
INSERT INTO ai_usage (user_id, day, prompt_tokens, completion_tokens, requests) VALUES ($1, $2, $3, $4, 1)
ON CONFLICT (user_id, day) DO UPDATE SET
  prompt_tokens = ai_usage.prompt_tokens + excluded.prompt_tokens,
  completion_tokens = ai_usage.completion_tokens + excluded.completion_tokens,
  requests = ai_usage.requests + 1;

-- name: ai.usage_day
-- The user's tokens (prompt + completion) and calls on one day.
SELECT prompt_tokens + completion_tokens, requests FROM ai_usage WHERE user_id = $1 AND day = $2;
