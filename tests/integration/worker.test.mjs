// The background worker (src/jobs/): a job runs when enqueued (woken by
// NOTIFY, not by polling); a failing job is retried with exponential
// backoff, then dead, listed on /admin/jobs and put back by its retry
// button; a worker killed with SIGKILL mid-job loses nothing (the lease runs
// out, another worker runs the job again, one effect); a schedule fires
// once per period with two workers racing; SIGTERM lets the job in hand
// finish; every worker keeps a heartbeat row.
//
// The stack's own worker is stopped for these tests (so each job runs on a
// worker the test controls) and started again at the end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, uniqueEmail, sql, cli, VAR, BIN } from './lib.mjs';

const PIDFILE = `${VAR}/run/worker.pid`;
const spawned = [];

function alive(pid) {
	try { process.kill(pid, 0); return true; } catch { return false; }
}

async function until(cond, ms = 15000) {
	const end = Date.now() + ms;
	while (Date.now() < end) {
		if (await cond()) return true;
		await sleep(100);
	}
	return false;
}

// A worker with a 3 s lease and a 60 s poll: anything it does within a
// second or two came through LISTEN/NOTIFY.
function startWorker(extra = {}) {
	const w = spawn(BIN, ['worker'], {
		env: { ...process.env, ADEPT_JOB_LEASE: '3', ADEPT_WORKER_POLL: '60', ...extra },
		stdio: ['ignore', 'ignore', 'pipe'],
	});
	w.log = '';
	w.stderr.on('data', (d) => { w.log += d; });
	w.exited = new Promise((res) => w.on('exit', (code, sig) => res({ code, sig })));
	spawned.push(w);
	return w;
}

async function started(w) {
	assert.ok(await until(() => /started/.test(w.log), 10000), `worker started: ${w.log}`);
}

function enqueue(payload, { maxAttempts = 5, kind = 'noop' } = {}) {
	const id = sql(`INSERT INTO jobs (kind, payload, max_attempts) VALUES ('${kind}', '${JSON.stringify(payload)}', ${maxAttempts}) RETURNING id; NOTIFY adept_jobs`);
	return Number(id.split('\n')[0]);
}

const job = (id) => {
	const [state, attempts, lockedBy] = sql(`SELECT state, attempts, coalesce(locked_by, '') FROM jobs WHERE id = ${id}`).split('|');
	return { state, attempts: Number(attempts), lockedBy };
};
const runs = (id) => Number(sql(`SELECT count(*) FROM job_noop_runs WHERE job_id = ${id}`));

before(async () => {
	// Stop the stack's worker gracefully, if there is one.
	if (existsSync(PIDFILE)) {
		const pid = Number(readFileSync(PIDFILE, 'utf8'));
		if (alive(pid)) {
			process.kill(pid, 'SIGTERM');
			assert.ok(await until(() => !alive(pid), 15000), 'stack worker stopped on SIGTERM');
		}
	}
});

after(async () => {
	for (const w of spawned)
		if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
	// Give the stack its worker back, as stack.sh starts it.
	const log = openSync(`${VAR}/log/worker.log`, 'a');
	const w = spawn(BIN, ['worker'], { env: process.env, stdio: ['ignore', log, log], detached: true });
	writeFileSync(PIDFILE, `${w.pid}\n`);
	w.unref();
});

test('a job runs at once when enqueued (NOTIFY), and the worker keeps a heartbeat', async () => {
	const w = startWorker();
	await started(w);
	await sleep(300);
	const t0 = Date.now();
	const id = enqueue({});
	assert.ok(await until(() => job(id).state === 'done', 5000), `job ${id} done: ${JSON.stringify(job(id))}`);
	assert.ok(Date.now() - t0 < 3000, 'woken by NOTIFY, not by the 60 s poll');
	assert.equal(runs(id), 1);
	assert.equal(job(id).attempts, 1);
	// Heartbeat: host, pid, recent last_seen.
	assert.ok(await until(() => sql(`SELECT count(*) FROM job_workers WHERE pid = ${w.pid} AND last_seen > now() - interval '10 seconds' AND stopped_at IS NULL`) === '1'));
	w.kill('SIGTERM');
	assert.deepEqual(await w.exited, { code: 0, sig: null });
	assert.equal(sql(`SELECT count(*) FROM job_workers WHERE pid = ${w.pid} AND stopped_at IS NOT NULL`), '1');
});

test('a failing job is retried with backoff, then dead; an admin sees it on /admin/jobs and retries it', async () => {
	const w = startWorker();
	await started(w);
	// noop's first backoff is 2 s: retries after 2 s, then 4 s; 3 attempts.
	const id = enqueue({ fail_until: 99 }, { maxAttempts: 3 });
	assert.ok(await until(() => job(id).attempts === 1 && job(id).state === 'queued', 5000));
	const wait1 = Number(sql(`SELECT extract(epoch FROM run_at - now()) FROM jobs WHERE id = ${id}`));
	assert.ok(wait1 > 1 && wait1 <= 2.1, `first retry about 2 s later (${wait1})`);
	assert.ok(await until(() => job(id).attempts === 2 && job(id).state === 'queued', 6000));
	const wait2 = Number(sql(`SELECT extract(epoch FROM run_at - now()) FROM jobs WHERE id = ${id}`));
	assert.ok(wait2 > 3 && wait2 <= 4.1, `second retry about 4 s later (${wait2})`);
	assert.ok(await until(() => job(id).state === 'dead', 10000), `dead: ${JSON.stringify(job(id))}`);
	assert.equal(job(id).attempts, 3);
	assert.equal(runs(id), 0);
	assert.match(sql(`SELECT last_error FROM jobs WHERE id = ${id}`), /asked to fail attempt 3/);

	// Learners may not look; an admin may.
	const email = uniqueEmail('jobadmin');
	assert.equal(cli(['user', 'add', '--email', email, '--password', 'admin password 1', '--name', 'Jobs Admin', '--role', 'admin']).status, 0);
	const admin = new Client();
	assert.equal((await admin.submit('/login', { email, password: 'admin password 1' })).status, 303);
	const page = await admin.get('/admin/jobs');
	assert.equal(page.status, 200);
	const row = page.text.match(new RegExp(`<tr id="job-${id}">.*?</tr>`, 's'));
	assert.ok(row, 'the dead job is listed');
	assert.match(row[0], /dead/);
	assert.match(row[0], /asked to fail attempt 3/);
	assert.match(row[0], new RegExp(`action="/admin/jobs/${id}/retry"`));
	const api = (await admin.get('/api/v1/admin/jobs')).json();
	assert.ok(api.counts.dead >= 1);
	assert.equal(api.jobs.find((j) => j.id === id).state, 'dead');
	assert.ok(api.workers.some((x) => x.pid === w.pid && x.alive));

	// The retry button is a CSRF-protected POST.
	const csrf = row[0].match(/name="csrf" value="([^"]+)"/)[1];
	assert.equal((await admin.post(`/admin/jobs/${id}/retry`, {})).status, 403, 'no CSRF token');
	assert.equal(job(id).state, 'dead');
	const learner = new Client();
	const le = uniqueEmail('jl');
	await learner.submit('/register', { name: 'L', email: le, password: 'learner pw 12', password_confirm: 'learner pw 12' });
	assert.equal((await learner.get('/admin/jobs')).status, 403);
	// The operator fixes the cause, then presses Retry.
	sql(`UPDATE jobs SET payload = '{}' WHERE id = ${id}`);
	const r = await admin.post(`/admin/jobs/${id}/retry`, { csrf });
	assert.equal(r.status, 303);
	assert.ok(await until(() => job(id).state === 'done', 5000), `done after retry: ${JSON.stringify(job(id))}`);
	assert.equal(runs(id), 1);
	// A done job cannot be "retried".
	assert.equal((await admin.post(`/admin/jobs/${id}/retry`, { csrf })).status, 404);
	w.kill('SIGTERM');
	await w.exited;
});

test('a worker killed with SIGKILL mid-job: the job runs again on another worker, one effect', async () => {
	const a = startWorker();
	await started(a);
	const id = enqueue({ sleep_ms: 5000 });
	assert.ok(await until(() => job(id).state === 'running' && job(id).lockedBy.includes(`:${a.pid}:`), 5000));
	await sleep(500);
	a.kill('SIGKILL');
	assert.deepEqual(await a.exited, { code: null, sig: 'SIGKILL' });
	assert.equal(runs(id), 0, 'the killed run had no effect');
	const b = startWorker();
	await started(b);
	// The lease (3 s) runs out; b takes the job again and finishes it.
	assert.ok(await until(() => job(id).state === 'done', 20000), `done: ${JSON.stringify(job(id))}`);
	assert.equal(job(id).attempts, 2);
	assert.equal(runs(id), 1, 'exactly one effect');
	assert.match(sql(`SELECT worker FROM job_noop_runs WHERE job_id = ${id}`), new RegExp(`:${b.pid}:`));
	b.kill('SIGTERM');
	await b.exited;
});

test('a long job keeps its lease while its worker is alive (no second run)', async () => {
	const a = startWorker();
	const b = startWorker();
	await started(a);
	await started(b);
	const id = enqueue({ sleep_ms: 7000 });	// longer than two leases
	assert.ok(await until(() => job(id).state === 'done', 15000));
	assert.equal(job(id).attempts, 1, 'not taken again while renewed');
	assert.equal(runs(id), 1);
	a.kill('SIGTERM');
	b.kill('SIGTERM');
	await Promise.all([a.exited, b.exited]);
});

test('schedules fire once per period with two workers racing', async () => {
	const tag = `t${process.pid}${Date.now()}`;
	// Five schedules due in a second, each every hour.
	for (let i = 0; i < 5; i++)
		sql(`INSERT INTO job_schedules (name, kind, payload, every, next_run_at) VALUES ('${tag}_${i}', 'noop', '{}', interval '1 hour', now() + interval '1 second')`);
	const ws = [startWorker({ ADEPT_WORKER_POLL: '1' }), startWorker({ ADEPT_WORKER_POLL: '1' })];
	await Promise.all(ws.map(started));
	assert.ok(await until(() => Number(sql(`SELECT count(*) FROM jobs WHERE dedupe_key LIKE '${tag}%' AND state = 'done'`)) === 5, 15000));
	await sleep(2500);	// both workers poll again several times
	assert.equal(sql(`SELECT count(*) FROM jobs WHERE dedupe_key LIKE '${tag}%'`), '5', 'one job per schedule and period');
	assert.equal(sql(`SELECT count(*) FROM job_noop_runs r JOIN jobs j ON j.id = r.job_id WHERE j.dedupe_key LIKE '${tag}%'`), '5');
	// Each moved to its next period, an hour on.
	assert.equal(sql(`SELECT count(*) FROM job_schedules WHERE name LIKE '${tag}%' AND next_run_at > now() + interval '55 minutes'`), '5');
	sql(`DELETE FROM job_schedules WHERE name LIKE '${tag}%'`);
	for (const w of ws) w.kill('SIGTERM');
	await Promise.all(ws.map((w) => w.exited));
});

test('SIGTERM lets the job in hand finish, then the worker exits 0', async () => {
	const w = startWorker();
	await started(w);
	const id = enqueue({ sleep_ms: 4000 });
	assert.ok(await until(() => job(id).state === 'running', 5000));
	const t0 = Date.now();
	w.kill('SIGTERM');
	const ex = await w.exited;
	assert.deepEqual(ex, { code: 0, sig: null });
	assert.ok(Date.now() - t0 > 1000, 'it waited for the job');
	assert.equal(job(id).state, 'done');
	assert.equal(job(id).attempts, 1);
	assert.equal(runs(id), 1);
	// A job enqueued after the stop waits for the next worker.
	const id2 = enqueue({});
	await sleep(500);
	assert.equal(job(id2).state, 'queued');
	const w2 = startWorker();
	assert.ok(await until(() => job(id2).state === 'done', 8000));
	w2.kill('SIGTERM');
	await w2.exited;
});

test('partition upkeep keeps monthly partitions ahead and the default partition empty', async () => {
	const w = startWorker();
	await started(w);
	const id = enqueue({}, { kind: 'event_partitions' });
	assert.ok(await until(() => job(id).state === 'done', 8000), JSON.stringify(job(id)));
	const names = sql(`SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'learner_events'::regclass`);
	const month = (d) => `learner_events_${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
	const now = new Date();
	for (let k = 0; k <= 2; k++)
		assert.ok(names.includes(month(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + k, 1)))), `${k} months ahead: ${names}`);
	assert.equal(sql('SELECT count(*) FROM learner_events_default'), '0');
	w.kill('SIGTERM');
	await w.exited;
});

test('partition upkeep moves default-partition rows into their month and drops months past the retention', async () => {
	const w = startWorker({ ADEPT_EVENT_RETENTION_MONTHS: '24' });
	await started(w);
	// A month with no partition yet (five months back): the row lands in
	// the default partition until the job runs.
	const d = new Date();
	const back = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 5, 15));
	const part = `learner_events_${back.getUTCFullYear()}${String(back.getUTCMonth() + 1).padStart(2, '0')}`;
	sql(`INSERT INTO learner_events (user_id, kind, occurred_at) VALUES (1, 'test_old', '${back.toISOString()}')`);
	// A partition from long ago, past any retention, with a row in it.
	sql(`CREATE TABLE IF NOT EXISTS learner_events_200101 PARTITION OF learner_events FOR VALUES FROM ('2001-01-01') TO ('2001-02-01')`);
	sql(`INSERT INTO learner_events (user_id, kind, occurred_at) VALUES (1, 'ancient', '2001-01-10')`);
	const id = enqueue({}, { kind: 'event_partitions' });
	assert.ok(await until(() => job(id).state === 'done', 8000), JSON.stringify(job(id)));
	assert.equal(sql('SELECT count(*) FROM learner_events_default'), '0', 'the default partition is empty');
	assert.ok(Number(sql(`SELECT count(*) FROM ${part} WHERE kind = 'test_old'`)) >= 1, `the row moved to ${part}`);
	assert.equal(sql(`SELECT to_regclass('learner_events_200101') IS NULL`), 't', 'the 2001 partition was dropped');
	assert.equal(sql(`SELECT count(*) FROM learner_events WHERE kind = 'ancient'`), '0');
	w.kill('SIGTERM');
	await w.exited;
});

test('daily rollups per learner and per course are recomputed, not added to', async () => {
	const w = startWorker();
	await started(w);
	const uid = 900000000 + (process.pid % 1000000), cid = 800000000 + (process.pid % 1000000);
	const day = new Date(Date.now() - 86400e3).toISOString().slice(0, 10);
	sql(`DELETE FROM learner_events WHERE user_id IN (${uid}, ${uid + 1})`);
	sql(`INSERT INTO learner_events (user_id, kind, course_id, occurred_at) VALUES
		(${uid}, 'viewed', ${cid}, '${day}T08:00:00Z'), (${uid}, 'completed', ${cid}, '${day}T09:00:00Z'),
		(${uid}, 'viewed', NULL, '${day}T23:59:59Z'), (${uid + 1}, 'viewed', ${cid}, '${day}T12:00:00Z'),
		(${uid}, 'viewed', ${cid}, '${day}T00:00:00Z'::timestamptz + interval '1 day')`);
	for (let round = 0; round < 2; round++) {
		const id = enqueue({ day }, { kind: 'event_rollup' });
		assert.ok(await until(() => job(id).state === 'done', 8000), JSON.stringify(job(id)));
		assert.equal(sql(`SELECT events || ',' || courses FROM event_rollup_learner_daily WHERE user_id = ${uid} AND day = '${day}'`), '3,1');
		assert.equal(sql(`SELECT events FROM event_rollup_learner_daily WHERE user_id = ${uid + 1} AND day = '${day}'`), '1');
		assert.equal(sql(`SELECT events || ',' || learners || ',' || completions FROM event_rollup_course_daily WHERE course_id = ${cid} AND day = '${day}'`), '3,2,1');
	}
	// A learner whose events went away disappears from that day's rollup.
	sql(`DELETE FROM learner_events WHERE user_id = ${uid + 1}`);
	const id = enqueue({ day }, { kind: 'event_rollup' });
	assert.ok(await until(() => job(id).state === 'done', 8000));
	assert.equal(sql(`SELECT count(*) FROM event_rollup_learner_daily WHERE user_id = ${uid + 1}`), '0');
	assert.equal(sql(`SELECT learners FROM event_rollup_course_daily WHERE course_id = ${cid} AND day = '${day}'`), '1');
	// A bad payload is dead at once, not retried.
	const bad = enqueue({ day: 'yesterday' }, { kind: 'event_rollup' });
	assert.ok(await until(() => job(bad).state === 'dead', 8000));
	assert.equal(job(bad).attempts, 1);
	sql(`DELETE FROM learner_events WHERE user_id = ${uid}`);
	w.kill('SIGTERM');
	await w.exited;
});

test('after a PostgreSQL restart the worker reconnects and listens again', async () => {
	const w = startWorker();
	await started(w);
	const pgbin = execFileSync('sh', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1'], { encoding: 'utf8' }).trim();
	const asPg = process.getuid() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
	const args = [`${pgbin}/pg_ctl`, '-D', `${VAR}/pgdata`, '-m', 'fast', '-w', 'restart',
		'-l', `${VAR}/log/postgres.log`, '-o', `-k ${VAR}/run -p ${process.env.ADEPT_PGPORT || 5499} -c listen_addresses=''`];
	execFileSync(asPg[0] || args[0], asPg.length ? [...asPg.slice(1), ...args] : args.slice(1));
	await sleep(3000);	// it notices, reconnects, LISTENs again
	const t0 = Date.now();
	const id = enqueue({});
	assert.ok(await until(() => job(id).state === 'done', 8000), JSON.stringify(job(id)));
	assert.ok(Date.now() - t0 < 4000, 'woken by NOTIFY on the new connection (poll is 60 s)');
	w.kill('SIGTERM');
	assert.deepEqual(await w.exited, { code: 0, sig: null });
});

test('old finished jobs are pruned; recent ones and waiting ones stay', async () => {
	const w = startWorker();
	await started(w);
	const ids = sql(`INSERT INTO jobs (kind, state, finished_at, created_at) VALUES
		('noop', 'done', now() - interval '40 days', now() - interval '40 days'),
		('noop', 'done', now() - interval '2 days', now() - interval '2 days'),
		('noop', 'dead', now() - interval '100 days', now() - interval '100 days'),
		('noop', 'dead', now() - interval '40 days', now() - interval '40 days')
		RETURNING id`).split('\n').map(Number);
	const id = enqueue({}, { kind: 'jobs_prune' });
	assert.ok(await until(() => job(id).state === 'done', 8000), JSON.stringify(job(id)));
	assert.equal(sql(`SELECT string_agg(id::text, ',' ORDER BY id) FROM jobs WHERE id IN (${ids.join(',')})`), `${ids[1]},${ids[3]}`);
	assert.equal(sql(`SELECT count(*) FROM job_schedules WHERE kind = 'jobs_prune' AND enabled`), '1', 'scheduled nightly');
	w.kill('SIGTERM');
	await w.exited;
});
