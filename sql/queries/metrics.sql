-- The scrape of /metrics (src/http/metrics.h, src/http/fcgi_main.c).

-- name: metrics_jobs_by_state
-- Job queue depth: every state the jobs table allows, 0 when it has none.
SELECT s.state, count(j.id)
FROM (VALUES ('queued'), ('running'), ('done'), ('dead')) AS s(state)
LEFT JOIN jobs j ON j.state = s.state
GROUP BY s.state
ORDER BY s.state;
