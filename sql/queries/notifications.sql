-- In-app notifications (issue 7; src/pages/notifications.c).

-- name: notification_insert
INSERT INTO notifications (user_id, kind, body, url)
VALUES ($1, $2, $3, $4)
RETURNING id;

-- Columns: id, kind, body, url, created (UTC text), read.
-- name: notification_list
SELECT id, kind, body, url,
       to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC',
       read_at IS NOT NULL
FROM notifications WHERE user_id = $1
ORDER BY id DESC LIMIT $2;

-- name: notification_unread_count
SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL;

-- name: notification_read
UPDATE notifications SET read_at = now()
WHERE id = $1 AND user_id = $2 AND read_at IS NULL;

-- name: notification_exists
SELECT 1 FROM notifications WHERE id = $1 AND user_id = $2;

-- name: notification_read_all
UPDATE notifications SET read_at = now()
WHERE user_id = $1 AND read_at IS NULL;
