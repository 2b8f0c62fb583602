-- name: health_ping
SELECT 1;
