// POST /api/v1/events (src/pages/events.c): batches of events from a signed
// in learner (Bearer token, or cookie + CSRF header), ours or xAPI,
// validated whole before anything is written (the first bad event's index
// named), idempotent by event id, 413 over 5,000 events, and no
// acknowledged event lost across a PostgreSQL restart in mid-ingestion.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, registerUser, uniqueEmail, sql, VAR } from './lib.mjs';

let token, userId;

async function apiUser() {
	const c = new Client();
	const email = uniqueEmail('ev');
	const password = 'events password 1';
	await registerUser(c, { email, password });
	const t = (await c.postJSON('/api/v1/auth/login', { email, password })).json();
	const id = Number(sql(`SELECT id FROM users WHERE email = '${email}'`));
	return { token: t.access_token, id, cookieClient: c };
}

function post(events, tok = token, headers = {}) {
	return new Client().req('POST', '/api/v1/events', {
		body: typeof events === 'string' ? events : JSON.stringify(events),
		type: 'application/json', headers: { authorization: `Bearer ${tok}`, ...headers },
	});
}

const iso = (msAgo = 0) => new Date(Date.now() - msAgo).toISOString();
const ev = (extra = {}) => ({ id: randomUUID(), verb: 'answered', object: '/courses/1/lessons/2', timestamp: iso(1000), ...extra });
const count = (uid = userId) => Number(sql(`SELECT count(*) FROM learner_events WHERE user_id = ${uid}`));

before(async () => {
	({ token, id: userId } = await apiUser());
});

test('a valid batch is stored, with the learner from the token', async () => {
	const batch = [ev({ result: { score: 0.8, success: true } }), ev({ verb: 'viewed', object: 'https://example.org/courses/7', context: { lesson_id: 9 } }), ev({ timestamp: '2026-11-01T10:00:00.5+02:00' })];
	batch[2].timestamp = iso(3600e3).replace('Z', '+00:00');
	const r = await post(batch);
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.json(), { received: 3, stored: 3, duplicates: 0 });
	assert.equal(count(), 3);
	const row = sql(`SELECT kind, object, course_id, lesson_id, payload->'result'->>'score' FROM learner_events WHERE event_id = '${batch[0].id}'`);
	assert.equal(row, 'answered|/courses/1/lessons/2|1|2|0.8');
	assert.equal(sql(`SELECT course_id || ',' || lesson_id FROM learner_events WHERE event_id = '${batch[1].id}'`), '7,9');
	// Another learner's token stores under that learner.
	const other = await apiUser();
	assert.equal((await post([ev()], other.token)).status, 200);
	assert.equal(count(other.id), 1);
});

test('xAPI statements are accepted, verb.id and object.id mapped', async () => {
	const id = randomUUID();
	const st = { id, actor: { objectType: 'Agent', mbox: 'mailto:someone@example.org' },
		verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } },
		object: { id: 'https://adept.example/courses/3/lessons/14', objectType: 'Activity' },
		result: { completion: true, score: { scaled: 0.9 } }, timestamp: iso(5000), version: '1.0.3' };
	const r = await post([st]);
	assert.equal(r.status, 200, r.text);
	assert.equal(sql(`SELECT user_id || '|' || kind || '|' || object || '|' || course_id || '|' || lesson_id FROM learner_events WHERE event_id = '${id}'`),
		`${userId}|http://adlnet.gov/expapi/verbs/completed|https://adept.example/courses/3/lessons/14|3|14`);
	// The actor in the body never chooses the learner.
	assert.equal(sql(`SELECT payload->'result'->'score'->>'scaled' FROM learner_events WHERE event_id = '${id}'`), '0.9');
});

test('duplicate event ids are accepted once', async () => {
	const batch = [ev(), ev(), ev()];
	const before = count();
	assert.deepEqual((await post(batch)).json(), { received: 3, stored: 3, duplicates: 0 });
	// The same batch again (a client retrying after a lost answer).
	const again = await post(batch);
	assert.equal(again.status, 200);
	assert.deepEqual(again.json(), { received: 3, stored: 0, duplicates: 3 });
	// The same id twice in one batch, and mixed old and new.
	const fresh = ev();
	assert.deepEqual((await post([fresh, { ...fresh }, batch[0], ev()])).json(), { received: 4, stored: 2, duplicates: 2 });
	// The id alone is the identity: the same id with another time or
	// content is acknowledged as a duplicate and the first event kept.
	const f = ev();
	assert.equal((await post([f])).json().stored, 1);
	assert.equal((await post([{ ...f, timestamp: f.timestamp.replace(/Z$/, '+00:00') }])).json().stored, 0, 'same instant, written another way');
	assert.deepEqual((await post([{ ...f, timestamp: iso(7000), verb: 'changed' }, ev()])).json(), { received: 2, stored: 1, duplicates: 1 });
	assert.equal(sql(`SELECT count(*) || '|' || min(kind) || '|' || (min(occurred_at) = '${f.timestamp}') FROM learner_events WHERE event_id = '${f.id}'`), '1|answered|true');
	assert.equal(count(), before + 7);
	assert.equal(sql(`SELECT count(*) - count(DISTINCT event_id) FROM learner_events WHERE user_id = ${userId}`), '0');
	assert.equal(sql(`SELECT count(*) FROM learner_events e LEFT JOIN learner_event_ids i USING (event_id) WHERE e.user_id = ${userId} AND i.occurred_at IS DISTINCT FROM e.occurred_at`), '0', 'every id recorded with its event');
});

test('two concurrent batches sharing ids store each id once and all their other events', async () => {
	for (let round = 0; round < 5; round++) {
		const shared = Array.from({ length: 200 }, () => ev());
		// Some shared ids already stored, so both batches may take the staging path.
		if (round % 2) assert.equal((await post(shared.slice(0, 20))).status, 200);
		const mine = Array.from({ length: 300 }, () => ev());
		const theirs = Array.from({ length: 300 }, () => ev());
		// Shared ids in opposite orders and with other timestamps in the second.
		const a = [...shared, ...mine];
		const b = [...theirs, ...shared.map((e) => ({ ...e, timestamp: iso(9000) })).reverse()];
		const [ra, rb] = await Promise.all([post(a), post(b)]);
		assert.equal(ra.status, 200, ra.text);
		assert.equal(rb.status, 200, rb.text);
		const ids = [...shared, ...mine, ...theirs].map((e) => `'${e.id}'`).join(',');
		assert.equal(sql(`SELECT count(*) || '|' || count(DISTINCT event_id) FROM learner_events WHERE event_id IN (${ids})`), '800|800');
		assert.equal(ra.json().stored + rb.json().stored + (round % 2 ? 20 : 0), 800, `${ra.text} ${rb.text}`);
	}
});

test('partition upkeep forgets the ids of the events it drops, and only those', async () => {
	const old = randomUUID(), kept = ev();
	assert.equal((await post([kept])).status, 200);
	sql(`CREATE TABLE IF NOT EXISTS learner_events_200203 PARTITION OF learner_events FOR VALUES FROM ('2002-03-01') TO ('2002-04-01')`);
	sql(`WITH e AS (INSERT INTO learner_events (user_id, kind, event_id, occurred_at) VALUES (${userId}, 'ancient', '${old}', '2002-03-10') RETURNING event_id, occurred_at) INSERT INTO learner_event_ids SELECT * FROM e`);
	const job = Number(sql(`INSERT INTO jobs (kind, payload) VALUES ('event_partitions', '{}') RETURNING id; NOTIFY adept_jobs`).split('\n')[0]);
	let state = '';
	for (let i = 0; i < 100 && state !== 'done'; i++) {
		await sleep(100);
		state = sql(`SELECT state FROM jobs WHERE id = ${job}`);
	}
	assert.equal(state, 'done');
	assert.equal(sql(`SELECT to_regclass('learner_events_200203') IS NULL`), 't', 'the 2002 partition was dropped');
	assert.equal(sql(`SELECT count(*) FROM learner_event_ids WHERE event_id = '${old}'`), '0', 'its id went with it');
	assert.equal(sql(`SELECT count(*) FROM learner_event_ids WHERE event_id = '${kept.id}'`), '1', 'a recent id stays');
	// The id may be used again once its event is gone.
	assert.equal((await post([ev({ id: old })])).json().stored, 1);
});

test('a malformed batch is refused whole, naming the first bad event, and nothing is written', async () => {
	const bad = [
		[{ id: 'not-a-uuid' }, /"id" must be a UUID/],
		[{ verb: undefined }, /"verb" is required/],
		[{ verb: 42 }, /"verb" must be a string/],
		[{ object: '' }, /"object" must be 1 to/],
		[{ timestamp: '2026-02-30T10:00:00Z' }, /RFC 3339/],
		[{ timestamp: '2026-11-25 10:00:00' }, /RFC 3339/],
		[{ timestamp: '2026-11-25T24:00:00Z' }, /RFC 3339/],
		[{ timestamp: new Date(Date.now() + 3 * 86400e3).toISOString() }, /future/],
		[{ timestamp: '1999-01-01T00:00:00Z' }, /older than/],
		[{ timestamp: undefined }, /"timestamp" is required/],
		[{ verb: { id: 'http://adlnet.gov/expapi/verbs/attempted' }, object: { id: 'https://x/courses/1' }, timestamp: undefined }, /"timestamp" is required/],
		[{ result: [1, 2] }, /"result" must be an object/],
		[{ context: 'x' }, /"context" must be an object/],
		[{ colour: 'red' }, /unknown property "colour"/],
		[{ result: { blob: 'x'.repeat(20000) } }, /exceed 16 KiB/],
	];
	const before = count();
	for (const [patch, why] of bad) {
		const good1 = ev(), good2 = ev();
		const broken = { ...ev(), ...patch };
		for (const k of Object.keys(broken)) if (broken[k] === undefined) delete broken[k];
		const r = await post([good1, good2, broken, ev({ id: 'also bad' })]);
		assert.equal(r.status, 400, `${JSON.stringify(patch).slice(0, 60)}: ${r.text}`);
		const e = r.json().error;
		assert.equal(e.index, 2, JSON.stringify(e));
		assert.match(e.message, why);
		assert.equal(sql(`SELECT count(*) FROM learner_events WHERE event_id IN ('${good1.id}', '${good2.id}')`), '0');
	}
	// Not an array, not JSON, an array of non-objects.
	for (const body of ['{"id": 1}', '[{"id": ', '[1, 2]', '']) {
		const r = await post(body);
		assert.equal(r.status, 400, `${body}: ${r.text}`);
	}
	assert.equal(count(), before, 'nothing was written');
});

test('more than 5,000 events is 413; exactly 5,000 is accepted', async () => {
	const big = Array.from({ length: 5001 }, () => ev());
	const r = await post(big);
	assert.equal(r.status, 413, r.text.slice(0, 200));
	assert.equal(sql(`SELECT count(*) FROM learner_events WHERE event_id = '${big[0].id}'`), '0');
	const ok = await post(big.slice(0, 5000));
	assert.equal(ok.status, 200, ok.text.slice(0, 200));
	assert.equal(ok.json().stored, 5000);
	// A body over the route's 16 MiB limit is refused before it is read.
	const huge = JSON.stringify([ev({ result: { pad: 'y'.repeat(17 * 1024 * 1024) } })]);
	assert.equal((await post(huge)).status, 413);
});

test('cookie sessions need the CSRF header; anonymous callers are refused', async () => {
	const { cookieClient: c, id } = await apiUser();
	let r = await c.postJSON('/api/v1/events', [ev()]);
	assert.equal(r.status, 403);
	const d = await c.get('/dashboard');
	const csrf = d.text.match(/name="csrf" value="([^"]+)"/)[1];
	r = await c.postJSON('/api/v1/events', [ev(), ev()], { 'x-csrf-token': csrf });
	assert.equal(r.status, 200, r.text);
	assert.equal(count(id), 2);
	r = await new Client().postJSON('/api/v1/events', [ev()]);
	assert.equal(r.status, 401);
});

test('PostgreSQL restarts during ingestion: clients retry, no acknowledged event is lost or stored twice', async () => {
	const { token: tok, id } = await apiUser();
	const acked = new Set();
	let stop = false, retries = 0;
	async function client() {
		while (!stop) {
			const batch = Array.from({ length: 200 }, () => ev());
			for (let tries = 0; ; tries++) {
				let r;
				try { r = await post(batch, tok); } catch { r = { status: 0 }; }
				if (r.status === 200) {
					for (const e of batch) acked.add(e.id);
					break;
				}
				assert.ok([0, 502, 503, 504].includes(r.status), `unexpected ${r.status}: ${r.text}`);
				retries++;
				if (tries > 200) throw new Error('gave up retrying');
				await sleep(100);
			}
		}
	}
	const clients = Array.from({ length: 4 }, client);
	await sleep(1500);
	const pgbin = execFileSync('sh', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1'], { encoding: 'utf8' }).trim();
	const asPg = process.getuid() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
	const args = [`${pgbin}/pg_ctl`, '-D', `${VAR}/pgdata`, '-m', 'fast', '-w', 'restart',
		'-l', `${VAR}/log/postgres.log`, '-o', `-k ${VAR}/run -p ${process.env.ADEPT_PGPORT || 5499} -c listen_addresses=''`];
	const before = acked.size;
	// Asynchronously, so the clients keep sending while it restarts.
	await promisify(execFile)(asPg[0] || args[0], asPg.length ? [...asPg.slice(1), ...args] : args.slice(1));
	await sleep(2000);
	stop = true;
	await Promise.all(clients);
	assert.ok(before > 0 && acked.size > before, `ingestion went on after the restart (${before} -> ${acked.size})`);
	// Every acknowledged event is there, once.
	assert.equal(Number(sql(`SELECT count(*) FROM learner_events WHERE user_id = ${id}`)), acked.size);
	assert.equal(Number(sql(`SELECT count(DISTINCT event_id) FROM learner_events WHERE user_id = ${id}`)), acked.size);
	const sample = [...acked].filter((_, i) => i % 97 === 0);
	assert.equal(Number(sql(`SELECT count(*) FROM learner_events WHERE event_id IN (${sample.map((s) => `'${s}'`).join(',')})`)), sample.length);
	console.log(`# restart: ${acked.size} events acknowledged, ${retries} retried requests`);
});
