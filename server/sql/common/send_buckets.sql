-- The send limits' token buckets shared by every worker without Redis
-- (campaigns/limits.cpp). Read and written in one write transaction.

-- name: campaigns.bucket_get
SELECT tokens, updated_at FROM send_buckets WHERE key = $1;

-- name: campaigns.bucket_put
INSERT INTO send_buckets (key, tokens, updated_at) VALUES ($1, $2, $3)
ON CONFLICT (key) DO UPDATE SET tokens = excluded.tokens, updated_at = excluded.updated_at;
