-- Old finished jobs are forgotten nightly (issue 7, worker; kind
-- jobs_prune, src/jobs/builtin.c).
INSERT INTO job_schedules (name, kind, every, next_run_at) VALUES
	('jobs_prune_nightly', 'jobs_prune', interval '1 day',
	    date_trunc('day', now()) + interval '1 day 2 hours');
