// The FastCGI supervisor and the database connection under faults: a
// killed worker is replaced, SIGHUP replaces all workers without dropping
// requests, SIGTERM to a busy worker lets its requests finish, and a
// PostgreSQL restart is survived by the persistent connections.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, registerUser, uniqueEmail, sql, VAR } from './lib.mjs';

const supervisor = () => Number(readFileSync(`${VAR}/run/adept.pid`, 'utf8'));

function workers() {
	try {
		return execFileSync('pgrep', ['-P', String(supervisor())], { encoding: 'utf8' })
			.trim().split('\n').filter(Boolean).map(Number).sort();
	} catch {
		return [];
	}
}

async function until(cond, ms = 10000) {
	const end = Date.now() + ms;
	while (Date.now() < end) {
		if (await cond()) return true;
		await sleep(50);
	}
	return false;
}

test('a worker killed with SIGKILL is replaced and the site keeps answering', async () => {
	const before = workers();
	assert.ok(before.length >= 2, `workers: ${before}`);
	process.kill(before[0], 'SIGKILL');
	assert.ok(await until(() => { const w = workers(); return w.length === before.length && !w.includes(before[0]); }),
		'a new worker took the dead one\'s place');
	for (let i = 0; i < 10; i++)
		assert.equal((await new Client().get('/healthz')).status, 200);
});

test('SIGHUP replaces every worker while requests keep succeeding', async () => {
	const before = workers();
	let stop = false, failures = 0, done = 0;
	const load = (async () => {
		while (!stop) {
			const r = await new Client().get('/login');
			if (r.status !== 200) failures++;
			done++;
		}
	})();
	// Requests run before, during and after the reload; counted, not
	// timed, so a slow machine makes the test longer, not failing.
	try {
		assert.ok(await until(() => done >= 5), `requests before the reload: ${done}`);
		process.kill(supervisor(), 'SIGHUP');
		assert.ok(await until(() => { const w = workers(); return w.length === before.length && w.every((p) => !before.includes(p)); }),
			'all workers replaced');
		const replaced = done;
		assert.ok(await until(() => done >= replaced + 10), `requests after the reload: ${done - replaced}`);
	} finally {
		stop = true;
		await load;
	}
	assert.equal(failures, 0);
});

test('SIGTERM to busy workers: requests in flight finish, none fail', async () => {
	const c = new Client();
	const { email } = await registerUser(c);
	// Sign-in attempts cost an argon2id verify each (~0.1 s): slow enough
	// to be in flight when the signal lands.
	const attempts = Array.from({ length: 8 }, () =>
		new Client().submit('/login', { email: uniqueEmail('drain'), password: 'wrong password' }));
	await sleep(60);
	for (const w of workers()) process.kill(w, 'SIGTERM');
	const results = await Promise.all(attempts);
	assert.deepEqual(results.map((r) => r.status), Array(8).fill(401), 'each got its real answer');
	assert.ok(await until(() => workers().length >= 2), 'workers restarted after draining');
	assert.equal((await new Client().get('/healthz')).status, 200);
	void email;
});

test('the worker reconnects after PostgreSQL restarts', async () => {
	const pgbin = execFileSync('sh', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1'], { encoding: 'utf8' }).trim();
	const asPg = process.getuid() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
	const run = (args) => execFileSync(asPg[0] || args[0], asPg.length ? [...asPg.slice(1), ...args] : args.slice(1), { encoding: 'utf8' });
	// Warm every connection, then restart the server under them.
	for (let i = 0; i < 8; i++) await new Client().get('/healthz');
	run([`${pgbin}/pg_ctl`, '-D', `${VAR}/pgdata`, '-m', 'fast', '-w', 'restart',
		'-l', `${VAR}/log/postgres.log`, '-o', `-k ${VAR}/run -p ${process.env.ADEPT_PGPORT || 5499} -c listen_addresses=''`]);
	// A write that opens a transaction first: its BEGIN is resent on a
	// fresh connection (nothing was committed), so no request fails.  Six
	// sign-ups reach every connection of the 2 workers x 2 threads.
	for (let i = 0; i < 6; i++) {
		const { r } = await registerUser(new Client());
		assert.equal(r.status, 303, `sign-up ${i} after the restart`);
	}
	// Reads are retried at once on a fresh connection.
	for (let i = 0; i < 8; i++)
		assert.equal((await new Client().get('/healthz')).status, 200);
	assert.equal(sql('SELECT 1'), '1');
});

test('the supervisor refuses to start, saying why, when a statement cannot be prepared', () => {
	const port = process.env.ADEPT_PGPORT || '5499';
	sql('SELECT 1');	// the cluster is up
	execFileSync('psql', ['-h', `${VAR}/run`, '-p', port, '-U', 'postgres', '-d', 'postgres', '-qAt',
		'-c', 'DROP DATABASE IF EXISTS adept_empty', '-c', 'CREATE DATABASE adept_empty']);
	const r = spawnSync(`${process.env.ADEPT_ROOT || process.cwd()}/cgi-bin/adept.fcgi`, [], {
		encoding: 'utf8', timeout: 20000,
		env: { ...process.env, ADEPT_DB: `host=${VAR}/run port=${port} dbname=adept_empty user=adept`,
			ADEPT_SOCKET: `${VAR}/run/refuse.sock` },
	});
	assert.equal(r.status, 1);
	assert.match(r.stderr, /cannot prepare statement \w+: .*does not exist/);
	assert.match(r.stderr, /not starting/);
});
