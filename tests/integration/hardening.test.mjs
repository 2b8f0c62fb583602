// Hardening (issue 9): the FastCGI workers run without root and under the
// seccomp allow-list; /metrics speaks the Prometheus text format on its own
// loopback address and is not reachable through the public port; a worker
// killed by SIGSYS is restarted and counted; with PostgreSQL down, pages and
// the API fail fast with a clear 503 and recover when it is back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, VAR } from './lib.mjs';

const supervisor = () => Number(readFileSync(`${VAR}/run/adept.pid`, 'utf8'));
const metricsAddr = () => readFileSync(`${VAR}/run/metrics_addr`, 'utf8').trim();

function children() {
	try {
		return execFileSync('pgrep', ['-P', String(supervisor())], { encoding: 'utf8' })
			.trim().split('\n').filter(Boolean).map(Number);
	} catch {
		return [];
	}
}

function status(pid) {
	const s = readFileSync(`/proc/${pid}/status`, 'utf8');
	const field = (k) => s.match(new RegExp(`^${k}:\\s*(.*)$`, 'm'))?.[1];
	return { uid: field('Uid').split(/\s+/).map(Number), gid: field('Gid').split(/\s+/).map(Number),
		groups: field('Groups').trim(), seccomp: Number(field('Seccomp')),
		nnp: Number(field('NoNewPrivs')) };
}

async function until(cond, ms = 10000) {
	const end = Date.now() + ms;
	while (Date.now() < end) {
		if (await cond()) return true;
		await sleep(50);
	}
	return false;
}

async function scrape(path = '/metrics') {
	const res = await fetch(`http://${metricsAddr()}${path}`);
	return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

// The value of one sample line, or undefined.
function sample(text, line) {
	for (const l of text.split('\n'))
		if (l.startsWith(line + ' ')) return Number(l.slice(line.length + 1));
	return undefined;
}

// stack.sh keeps root workers only for a checkout the worker user cannot
// enter (under /root), and says so; that set-up cannot test the drop.
const keptRoot = () => /ADEPT_USER=root: workers keep root/.test(readFileSync(`${VAR}/log/adept.log`, 'utf8'));

test('as root, every worker runs as the unprivileged user, with seccomp filtering and no_new_privs', {
	skip: process.getuid() !== 0 ? 'the stack was not started as root'
		: keptRoot() ? 'SKIPPED: the checkout is out of the worker user\'s reach, so stack.sh kept root workers (development set-up)' : false,
}, () => {
	const log = readFileSync(`${VAR}/log/adept.log`, 'utf8');
	const started = [...log.matchAll(/supervisor: .* workers run as (\S+), seccomp (\w+)/g)].pop();
	assert.ok(started, 'the supervisor says how its workers run');
	assert.notEqual(started[1], 'root', 'workers do not keep root');
	assert.equal(started[2], 'on');
	const pids = children();
	assert.ok(pids.length >= 2, `workers: ${pids}`);
	const uid = Number(execFileSync('id', ['-u', started[1]], { encoding: 'utf8' }));
	for (const pid of pids) {
		const s = status(pid);
		assert.deepEqual(s.uid, [uid, uid, uid, uid], `worker ${pid}: real, effective, saved and fs uid`);
		assert.ok(s.gid.every((g) => g !== 0), `worker ${pid} gid ${s.gid}`);
		assert.ok(!s.groups.split(/\s+/).includes('0'), `worker ${pid} groups ${s.groups}`);
		assert.equal(s.seccomp, 2, `worker ${pid} is in seccomp filter mode`);
		assert.equal(s.nnp, 1, `worker ${pid} has no_new_privs`);
	}
	// The supervisor itself keeps root: it must restart workers and
	// answer scrapes with fresh children.
	assert.equal(status(supervisor()).uid[1], 0);
});

test('/metrics: Prometheus text format, counts that go up, on loopback only', async () => {
	assert.match(metricsAddr(), /^(127\.0\.0\.1|\[::1\]|localhost):\d+$/);
	const before = await scrape();
	assert.equal(before.status, 200);
	assert.match(before.type, /^text\/plain; version=0\.0\.4/);
	const lines = before.text.trimEnd().split('\n');
	const families = new Map();
	for (const l of lines) {
		let m;
		if ((m = l.match(/^# HELP (\w+) \S.*$/))) { families.set(m[1], families.get(m[1]) || {}); families.get(m[1]).help = true; continue; }
		if ((m = l.match(/^# TYPE (\w+) (counter|gauge|histogram)$/))) { families.get(m[1]).type = m[2]; continue; }
		assert.match(l, /^[a-z_]+(\{[a-z_]+="(?:[^"\\]|\\.)*"(,[a-z_]+="(?:[^"\\]|\\.)*")*\})? -?[0-9.e+]+$/, `sample line: ${l}`);
		const name = l.match(/^[a-z_]+/)[0];
		const base = name.replace(/_(bucket|sum|count)$/, '');
		const fam = families.get(name)?.type ? families.get(name) : families.get(base);
		assert.ok(fam?.help && fam?.type, `sample ${l} follows its HELP and TYPE`);
	}
	for (const [name, type] of [['adept_http_requests_total', 'counter'], ['adept_http_server_errors_total', 'counter'],
		['adept_http_request_duration_seconds', 'histogram'], ['adept_worker_restarts_total', 'counter'],
		['adept_jobs', 'gauge'], ['adept_workers_alive', 'gauge']]) {
		assert.equal(families.get(name)?.type, type, `${name} is a ${type} with HELP`);
		assert.ok(families.get(name).help);
	}
	for (const state of ['queued', 'running', 'done', 'dead'])
		assert.ok(sample(before.text, `adept_jobs{state="${state}"}`) >= 0, `queue depth for ${state}`);
	assert.equal(sample(before.text, 'adept_database_up'), 1);

	const key = 'adept_http_requests_total{route="/catalog",method="GET",code="2xx"}';
	const hist = 'adept_http_request_duration_seconds_count{route="/catalog"}';
	const inf = 'adept_http_request_duration_seconds_bucket{route="/catalog",le="+Inf"}';
	for (let i = 0; i < 3; i++)
		assert.equal((await new Client().get('/catalog')).status, 200);
	await new Client().get('/no/such/page');
	const after = await scrape();
	assert.equal(sample(after.text, key), (sample(before.text, key) || 0) + 3);
	assert.equal(sample(after.text, hist), (sample(before.text, hist) || 0) + 3);
	assert.equal(sample(after.text, inf), sample(after.text, hist), '+Inf bucket = count');
	assert.ok(sample(after.text, 'adept_http_requests_total{route="unmatched",method="GET",code="4xx"}') >= 1);

	// Other paths on the metrics port: 404; other methods: 405.
	assert.equal((await scrape('/')).status, 404);
	assert.equal((await fetch(`http://${metricsAddr()}/metrics`, { method: 'POST', body: 'x' })).status, 405);
	// Not through nginx: the public port has no /metrics.
	const pub = await new Client().get('/metrics');
	assert.equal(pub.status, 404);
	assert.doesNotMatch(pub.text, /adept_http_requests_total/);
});

test('a worker killed by SIGSYS (a seccomp violation) is replaced, logged and counted', async () => {
	const before = await scrape();
	const k0 = sample(before.text, 'adept_worker_seccomp_kills_total');
	const r0 = sample(before.text, 'adept_worker_restarts_total');
	const pids = children();
	const victim = pids[0];
	process.kill(victim, 'SIGSYS');
	assert.ok(await until(() => { const w = children(); return w.length >= pids.length && !w.includes(victim); }),
		'a new worker took its place');
	const log = readFileSync(`${VAR}/log/adept.log`, 'utf8');
	assert.match(log, new RegExp(`worker ${victim} made a system call outside the seccomp allow-list`));
	const after = await scrape();
	assert.equal(sample(after.text, 'adept_worker_seccomp_kills_total'), k0 + 1);
	assert.equal(sample(after.text, 'adept_worker_restarts_total'), r0 + 1);
	for (let i = 0; i < 6; i++)
		assert.equal((await new Client().get('/healthz')).status, 200);
});

test('with PostgreSQL down, pages and the API answer a clear 503 at once, and recover', async () => {
	const pgbin = execFileSync('sh', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1'], { encoding: 'utf8' }).trim();
	const asPg = process.getuid() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
	const pg = (...args) => execFileSync(asPg[0] || `${pgbin}/pg_ctl`,
		asPg.length ? [...asPg.slice(1), `${pgbin}/pg_ctl`, ...args] : args, { encoding: 'utf8' });
	const pgdata = execFileSync('readlink', ['-f', `${VAR}/pgdata`], { encoding: 'utf8' }).trim();
	const run = execFileSync('readlink', ['-f', `${VAR}/run`], { encoding: 'utf8' }).trim();
	const pglog = execFileSync('readlink', ['-f', `${VAR}/log/postgres.log`], { encoding: 'utf8' }).trim();
	for (let i = 0; i < 8; i++) await new Client().get('/healthz');	// warm connections
	pg('-D', pgdata, '-m', 'fast', '-w', 'stop');
	try {
		for (const [path, api] of [['/catalog', false], ['/api/v1/courses', true], ['/healthz', true]]) {
			const t0 = Date.now();
			const r = await new Client().get(path);
			const ms = Date.now() - t0;
			assert.equal(r.status, 503, `${path}: ${r.status} ${r.text.slice(0, 200)}`);
			assert.ok(ms < 2000, `${path} answered in ${ms} ms`);
			if (path !== '/healthz')
				assert.equal(r.headers.get('retry-after'), '5');
			if (api)
				assert.match(r.text, path === '/healthz' ? /"database":"unavailable"/ : /database is not answering/);
			else
				assert.match(r.text, /database is not answering right now/);
		}
		// The metrics still answer, saying the database is down.
		const m = await scrape();
		assert.equal(m.status, 200);
		assert.equal(sample(m.text, 'adept_database_up'), 0);
	} finally {
		pg('-D', pgdata, '-w', '-t', '60', '-l', pglog, '-o',
			`-k ${run} -p ${process.env.ADEPT_PGPORT || 5499} -c listen_addresses=''`, 'start');
	}
	assert.ok(await until(async () => (await new Client().get('/catalog')).status === 200),
		'pages work again once PostgreSQL is back');
	for (let i = 0; i < 8; i++)
		assert.equal((await new Client().get('/healthz')).status, 200);
});
