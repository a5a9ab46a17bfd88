-- The built-in outbox: messages captured while no SMTP server is set.

-- name: outbox.insert
INSERT INTO outbox_messages (mail_from, rcpt_to, subject, campaign_id, message_id, size, raw, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8);

-- name: outbox.list
-- Newest first.
SELECT id, mail_from, rcpt_to, subject, campaign_id, message_id, size, created_at
FROM outbox_messages ORDER BY id DESC LIMIT $1 OFFSET $2;

-- name: outbox.count
SELECT count(*) FROM outbox_messages;

-- name: outbox.list_campaign
SELECT id, mail_from, rcpt_to, subject, campaign_id, message_id, size, created_at
FROM outbox_messages WHERE campaign_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3;

-- name: outbox.count_campaign
SELECT count(*) FROM outbox_messages WHERE campaign_id = $1;

-- name: outbox.get
SELECT id, mail_from, rcpt_to, subject, campaign_id, message_id, size, created_at, raw
FROM outbox_messages WHERE id = $1;
