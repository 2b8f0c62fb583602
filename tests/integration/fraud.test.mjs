// Fraud and anomaly flags (issue 9): a quiz taken through the real API by
// honest learners, a pair sharing rare wrong answers, a learner with
// implausibly fast correct answers on some items and a rapid guesser, all
// registered from one address within a minute; then `adept fraud scan`,
// the flags with their evidence on /api/v1/admin/fraud and /admin/fraud,
// confirm and clear (audited with before/after; a decided flag cannot be
// decided again), a second scan that adds nothing, thresholds from the
// environment, and non-admins refused.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Client, BIN, cli, sql, uniqueEmail } from './lib.mjs';

const PW = 'fraud password 1';
const NITEMS = 10;
let admin, teacher, quizId, items = [];
const honest = [], pair = [];
let fast, guesser;

const auth = (tok) => ({ authorization: `Bearer ${tok}` });
const api = (who, path, body) => body === undefined
	? new Client().get(path, { headers: auth(who.tok) })
	: new Client().postJSON(path, body, auth(who.tok));

async function staff(role) {
	const email = uniqueEmail(`fraud-${role}`);
	const out = cli(['user', 'add', '--email', email, '--password', PW, '--name', `Fraud ${role}`, '--role', role]);
	assert.equal(out.status, 0, out.stderr);
	const c = new Client();
	assert.equal((await c.submit('/login', { email, password: PW })).status, 303);
	const t = await new Client().postJSON('/api/v1/auth/login', { email, password: PW });
	assert.equal(t.status, 200, t.text);
	return { c, tok: t.json().access_token, id: Number(out.stdout.trim()) };
}

// A learner signs up through the API (so the sign-up address is recorded).
async function learner(name) {
	const email = uniqueEmail('fraud-l');
	const r = await new Client().postJSON('/api/v1/auth/register', { email, password: PW, full_name: name });
	assert.equal(r.status, 201, r.text);
	const t = await new Client().postJSON('/api/v1/auth/login', { email, password: PW });
	assert.equal(t.status, 200, t.text);
	return { id: r.json().id, tok: t.json().access_token, name };
}

// Item i: the key is position i % 4; the usual wrong answer the next one,
// a less usual one after it; the third wrong option is the rare one.
const KEY = (i) => i % 4;
const COMMON = (i) => (i + 1) % 4;
const OTHER = (i) => (i + 2) % 4;
const RARE = (i) => (i + 3) % 4;

// Takes the quiz: answer(i) is the position chosen on item i, ms(i) the
// response time to record.  The API times an answer from when the item was
// shown, which a test cannot fake, so the times are set with SQL after
// answering (responses.response_ms, what the scan reads).
async function take(who, answer, ms) {
	const r = await api(who, `/api/v1/assessments/${quizId}/attempts`, {});
	assert.equal(r.status, 201, r.text);
	const aid = r.json().id;
	for (let i = 0; i < NITEMS; i++) {
		const q = items[i];
		const a = await api(who, `/api/v1/attempts/${aid}/answers/${q.id}`, { option: q.options[answer(i)].id });
		assert.equal(a.status, 200, a.text);
	}
	const s = await api(who, `/api/v1/attempts/${aid}/submit`, {});
	assert.equal(s.status, 200, s.text);
	const rows = items.map((q, i) => `(${q.id}, ${Math.round(ms(i))})`).join(', ');
	sql(`UPDATE responses r SET response_ms = v.ms FROM (VALUES ${rows}) v(qid, ms), attempt_items ai
	     WHERE ai.attempt_id = ${aid} AND ai.question_id = v.qid AND r.attempt_id = ai.attempt_id AND r.seq = ai.seq`);
	return aid;
}

const base = (i) => 20000 + 3000 * i;
const noise = (h, i) => 1 + 0.15 * Math.sin(h * 13 + i * 7);

function scan(env = {}) {
	const out = spawnSync(BIN, ['fraud', 'scan'], { encoding: 'utf8', env: { ...process.env, ...env } });
	assert.equal(out.status, 0, out.stderr);
	return out.stdout;
}

async function flags(query = '') {
	const r = await api(admin, `/api/v1/admin/fraud${query}`);
	assert.equal(r.status, 200, r.text);
	return r.json();
}

const mine = (list) => list.filter((f) => f.assessment && f.assessment.id === quizId);

before(async () => {
	admin = await staff('admin');
	teacher = await staff('instructor');
	const tag = `${process.pid}-${Date.now()}`;
	const skill = Number(sql(`INSERT INTO skills (name) VALUES ('Fraud skill ${tag}') RETURNING id`).split('\n')[0]);
	for (let i = 0; i < NITEMS; i++) {
		const r = await api(teacher, '/api/v1/bank/questions', {
			kind: 'single', difficulty: 5, skills: String(skill), stem: `Fraud item ${i}?`,
			title: `Item ${i}`, option_1: 'w', option_2: 'x', option_3: 'y', option_4: 'z', correct: KEY(i) + 1,
		});
		assert.equal(r.status, 201, r.text);
		items.push(r.json());
	}
	const qz = await api(teacher, '/api/v1/assessments', { title: `Fraud quiz ${tag}`, pass_mark: 50 });
	assert.equal(qz.status, 201, qz.text);
	quizId = qz.json().id;
	for (const q of items)
		assert.equal((await api(teacher, `/api/v1/assessments/${quizId}/questions`, { question_id: q.id })).status, 200);
	for (let h = 0; h < 12; h++) honest.push(await learner(`Honest ${h}`));
	pair.push(await learner('Copier <One>'), await learner('Copier Two'));
	fast = await learner('Speedy Gonzales');
	guesser = await learner('Random Guesser');

	for (let h = 0; h < honest.length; h++) {
		const speed = 0.8 + 0.04 * h;
		await take(honest[h], (i) => ((h + i) % 3 !== 0 ? KEY(i) : (h * 7 + i) % 5 === 0 ? OTHER(i) : COMMON(i)),
			(i) => base(i) * speed * noise(h, i));
	}
	// The pair: the same rare wrong answer on items 0..5, right after.
	for (const [k, p] of pair.entries())
		await take(p, (i) => (i < 6 ? RARE(i) : KEY(i)), (i) => base(i) * (0.95 + 0.1 * k) * noise(20 + k, i));
	// Pre-knowledge: right everywhere, at a normal pace on items 0..5 and
	// in about 1.5 s on items 6..9.
	await take(fast, KEY, (i) => (i < 6 ? base(i) * noise(30, i) : 1400 + 50 * i));
	// Rapid guessing: always the first option, in about 2 s.
	await take(guesser, () => 0, (i) => 1800 + 40 * i);
});

test('sign-ups and attempt starts record the client address', () => {
	assert.equal(sql(`SELECT signup_ip FROM users WHERE id = ${fast.id}`), '127.0.0.1');
	assert.equal(sql(`SELECT start_ip FROM attempts WHERE user_id = ${fast.id} AND assessment_id = ${quizId}`), '127.0.0.1');
	// Accounts made by `adept user` have none.
	assert.equal(sql(`SELECT signup_ip IS NULL FROM users WHERE id = ${teacher.id}`), 't');
});

test('thresholds come from the environment', async () => {
	const out = scan({ ADEPT_FRAUD_SIMILARITY_Z: '50', ADEPT_FRAUD_FAST_MIN: '1000', ADEPT_FRAUD_BURST_SIGNUPS: '1000000' });
	assert.match(out, /scanned \d+ quizzes/);
	const got = mine((await flags()).flags);
	assert.equal(got.filter((f) => f.kind === 'similarity' || f.kind === 'fast_correct').length, 0, JSON.stringify(got));
	assert.equal(Number(sql(`SELECT count(*) FROM fraud_flags WHERE kind = 'burst' AND address = '127.0.0.1'`)), 0);
	// A bad value is ignored (the default applies), not fatal.
	scan({ ADEPT_FRAUD_GUESS_MIN_N: 'lots' });
});

test('the scan raises each kind with its evidence, shown to admins', async () => {
	const out = scan();
	assert.match(out, /similarity \((new|refreshed)\): Copier <One>/);
	const list = (await flags()).flags;
	const got = mine(list);
	const sim = got.find((f) => f.kind === 'similarity');
	assert.ok(sim, `a similarity flag: ${out}`);
	assert.deepEqual(sim.subjects.map((s) => s.id), [pair[0].id, pair[1].id].sort((a, b) => a - b));
	assert.equal(sim.status, 'open');
	assert.match(sim.evidence, /6 identical wrong answers/);
	assert.match(sim.evidence, /question #\d+ "Item 0": option D/);
	assert.equal(sim.evidence_detail.shared_wrong, 6);
	assert.ok(sim.score >= 4, `z ${sim.score}`);
	const fc = got.find((f) => f.kind === 'fast_correct');
	assert.ok(fc, `a fast-correct flag: ${out}`);
	assert.deepEqual(fc.subjects, [{ id: fast.id, name: 'Speedy Gonzales' }]);
	assert.match(fc.evidence, /4 of 10 timed correct answers were implausibly fast/);
	assert.equal(fc.evidence_detail.answers.length, 4);
	const gs = got.find((f) => f.kind === 'guessing');
	assert.ok(gs, `a guessing flag: ${out}`);
	assert.deepEqual(gs.subjects.map((s) => s.id), [guesser.id]);
	assert.match(gs.evidence, /position A chosen 10 times/);
	// No honest learner is flagged.
	const flagged = new Set(got.flatMap((f) => f.subjects.map((s) => s.id)));
	for (const h of honest) assert.ok(!flagged.has(h.id), `honest ${h.name} flagged`);
	// 16 sign-ups from one address within minutes: a burst, naming them.
	const burst = list.find((f) => f.kind === 'burst' && f.event === 'signup' && f.address === '127.0.0.1');
	assert.ok(burst, 'a sign-up burst');
	assert.equal(burst.assessment, null);
	assert.ok(burst.related.some((s) => s.id === fast.id));
	assert.match(burst.evidence, /sign-ups from 127\.0\.0\.1 within 3600 s/);

	// The page: open first, evidence escaped, accounts linked.
	const page = await admin.c.get('/admin/fraud');
	assert.equal(page.status, 200);
	assert.ok(page.text.includes('Copier &lt;One&gt;'), 'names escaped');
	assert.ok(!page.text.includes('Copier <One>'));
	assert.ok(page.text.includes(`<a href="/admin/users/${fast.id}">Speedy Gonzales</a>`));
	assert.ok(page.text.includes(`id="flag-${sim.id}"`));
	assert.match(page.text, /implausibly fast for the item and for this learner/);
	const home = await admin.c.get('/admin');
	assert.match(home.text, /href="\/admin\/fraud"/);
});

test('admins confirm or clear once, audited; a re-scan adds nothing', async () => {
	const got = mine((await flags()).flags);
	const sim = got.find((f) => f.kind === 'similarity');
	const fc = got.find((f) => f.kind === 'fast_correct');
	// Confirm through the page (CSRF form), with a note.
	let r = await admin.c.submit('/admin/fraud', { action: 'confirm', note: 'Same <rare> answers & seats' }, `/admin/fraud/${sim.id}`);
	assert.equal(r.status, 303, r.text);
	assert.equal(sql(`SELECT status || ' ' || decided_by FROM fraud_flags WHERE id = ${sim.id}`), `confirmed ${admin.id}`);
	assert.equal(sql(`SELECT detail::text FROM audit_log WHERE action = 'fraud.confirm' AND object = 'fraud_flag:${sim.id}' AND actor_id = ${admin.id}`),
		'{"after": {"note": "Same <rare> answers & seats", "status": "confirmed"}, "before": {"note": "", "status": "open"}}');
	const page = await admin.c.get('/admin/fraud?status=confirmed');
	assert.ok(page.text.includes('Same &lt;rare&gt; answers &amp; seats'));
	assert.ok(page.text.includes(`id="flag-${sim.id}"`));
	assert.ok(!page.text.includes(`id="flag-${fc.id}"`), 'filtered by status');
	// A second decision is refused, on the page and in the API.
	const csrf = await admin.c.csrf('/admin/fraud?status=open');
	r = await admin.c.post(`/admin/fraud/${sim.id}`, { csrf, action: 'clear' });
	assert.equal(r.status, 409);
	assert.match(r.text, /already confirmed/);
	r = await api(admin, `/api/v1/admin/fraud/${sim.id}`, { action: 'clear' });
	assert.equal(r.status, 409, r.text);
	assert.equal(sql(`SELECT status FROM fraud_flags WHERE id = ${sim.id}`), 'confirmed');
	// Clear through the API.
	r = await api(admin, `/api/v1/admin/fraud/${fc.id}`, { action: 'clear', note: 'Knew the material.' });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json().flag.status, 'cleared');
	assert.equal(r.json().flag.note, 'Knew the material.');
	assert.equal(Number(sql(`SELECT count(*) FROM audit_log WHERE action = 'fraud.clear' AND object = 'fraud_flag:${fc.id}'`)), 1);
	// Bad input and unknown flags.
	assert.equal((await api(admin, `/api/v1/admin/fraud/${fc.id}`, { action: 'delete' })).status, 400);
	assert.equal((await api(admin, '/api/v1/admin/fraud/999999999', { action: 'clear' })).status, 404);
	assert.equal((await api(admin, '/api/v1/admin/fraud?status=maybe')).status, 400);
	const conf = await flags('?status=confirmed');
	assert.ok(conf.flags.every((f) => f.status === 'confirmed'));
	assert.ok(conf.counts.confirmed >= 1 && conf.counts.cleared >= 1);

	// Scanning again finds the same flags and writes no new one; the
	// decided ones stay decided.
	const before = sql('SELECT count(*) FROM fraud_flags');
	const out = scan();
	assert.match(out, / 0 new, /);
	assert.equal(sql('SELECT count(*) FROM fraud_flags'), before);
	assert.equal(Number(sql(`SELECT count(*) FROM fraud_flags WHERE assessment_id = ${quizId} AND kind = 'similarity'`)), 1);
	assert.equal(sql(`SELECT status FROM fraud_flags WHERE id = ${sim.id}`), 'confirmed');
	assert.equal(sql(`SELECT status || ' ' || note FROM fraud_flags WHERE id = ${fc.id}`), 'cleared Knew the material.');
});

test('the fraud_scan job does the same through the worker, nightly', async () => {
	const before = sql('SELECT count(*) FROM fraud_flags');
	const job = sql(`INSERT INTO jobs (kind, payload) VALUES ('fraud_scan', '{"hours": 2}') RETURNING id`).split('\n')[0];
	const w = cli(['worker', '--once']);
	assert.equal(w.status, 0, w.stderr);
	// The stack's own worker may have taken it first: wait for it.
	for (let i = 0; i < 50 && sql(`SELECT state FROM jobs WHERE id = ${job}`) !== 'done'; i++)
		await new Promise((ok) => setTimeout(ok, 200));
	assert.equal(sql(`SELECT state FROM jobs WHERE id = ${job}`), 'done');
	assert.equal(sql('SELECT count(*) FROM fraud_flags'), before);
	assert.equal(sql(`SELECT kind || ' ' || every FROM job_schedules WHERE name = 'fraud_scan_nightly'`), 'fraud_scan 1 day');
	assert.equal(cli(['fraud']).status, 2);
	assert.equal(cli(['fraud', 'scan', '--hours', 'x']).status, 2);
});

test('non-admins are refused', async () => {
	const l = honest[0];
	assert.equal((await api(l, '/api/v1/admin/fraud')).status, 403);
	assert.equal((await api(teacher, '/api/v1/admin/fraud')).status, 403);
	assert.equal((await api(teacher, '/api/v1/admin/fraud/1', { action: 'clear' })).status, 403);
	assert.equal((await teacher.c.get('/admin/fraud')).status, 403);
	assert.equal((await new Client().get('/api/v1/admin/fraud')).status, 401);
});
