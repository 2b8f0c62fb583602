// Item calibration and regrade (issue 5, calib).  Calibration: responses
// simulated from a known Rasch model are seeded by SQL, `adept calibrate`
// runs, and the fitted difficulties must land near the truth, with the
// metadata row recorded; items under the response threshold and items
// everybody got right stay uncalibrated.  Regrade: a question published
// with a wrong key is answered in a quiz, the key is fixed (a new version),
// POST .../regrade re-scores the old answers and the attempts' scores, and
// the learner sees the new score; nothing else changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, cli, sql, uniqueEmail } from './lib.mjs';

const TAG = `calib${process.pid}${Date.now()}`;
const TRUE_B = [-1.5, -0.5, 0, 0.8, 1.6];
const NP = 600;

// Deterministic PRNG (mulberry32) and Box-Muller normals.
function rng(seed) {
	return () => {
		seed |= 0; seed = (seed + 0x6D2B79F5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function question(owner, authoredB) {
	const q = sql(`INSERT INTO questions (owner_id, kind) VALUES (${owner}, 'truefalse') RETURNING id`).split('\n')[0];
	const v = sql(`INSERT INTO question_versions (question_id, version, stem, difficulty, irt_b)
		VALUES (${q}, 1, 'Calibration item ${TAG}', 5, ${authoredB}) RETURNING id`).split('\n')[0];
	return { q: Number(q), v: Number(v) };
}

// Seeds one submitted attempt per simulated learner over items; answers[p][i]
// is 1, 0 or null (not in that learner's attempt).
function seed(items, answers, tag) {
	const owner = sql(`SELECT id FROM users WHERE role = 'instructor' ORDER BY id LIMIT 1`);
	sql(`INSERT INTO users (email, full_name, password_hash)
		SELECT '${tag}-' || g || '@example.org', 'Calib', 'x' FROM generate_series(1, ${answers.length}) g`);
	const asmt = sql(`INSERT INTO assessments (owner_id, title) VALUES (${owner}, '${tag}') RETURNING id`).split('\n')[0];
	sql(`INSERT INTO attempts (assessment_id, user_id, status, submitted_at)
		SELECT ${asmt}, id, 'submitted', now() FROM users WHERE email LIKE '${tag}-%'`);
	const rows = [];
	answers.forEach((row, p) => row.forEach((x, i) => {
		if (x !== null) rows.push(`(${p + 1}, ${i + 1}, ${items[i].q}, ${items[i].v}, ${x ? 'true' : 'false'})`);
	}));
	const vals = `(VALUES ${rows.join(',')}) AS s(p, seq, q, v, ok)`;
	const att = `(SELECT a.id AS aid, split_part(split_part(u.email, '@', 1), '-', 2)::int AS p
		FROM attempts a JOIN users u ON u.id = a.user_id WHERE a.assessment_id = ${asmt}) t`;
	sql(`INSERT INTO attempt_items (attempt_id, seq, question_id, version_id)
		SELECT t.aid, s.seq, s.q, s.v FROM ${vals} JOIN ${att} ON t.p = s.p`);
	sql(`INSERT INTO responses (attempt_id, seq, version_id, answer, correct, response_ms)
		SELECT t.aid, s.seq, s.v, CASE WHEN s.ok THEN 'True' ELSE 'False' END, s.ok, 1000
		FROM ${vals} JOIN ${att} ON t.p = s.p`);
}

test('adept calibrate fits items near the simulated truth and records metadata', () => {
	const owner = sql(`SELECT id FROM users WHERE role = 'instructor' ORDER BY id LIMIT 1`);
	// Authored difficulties deliberately wrong (all 0): the fit must move them.
	const items = TRUE_B.map(() => question(owner, 0));
	const sparse = question(owner, 0);	// answered by 10 only
	const easy = question(owner, 0);	// everybody right
	const all = [...items, sparse, easy];
	const r = rng(12345);
	const answers = [];
	for (let p = 0; p < NP; p++) {
		const theta = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
		const row = TRUE_B.map((b) => (r() < 1 / (1 + Math.exp(b - theta)) ? 1 : 0));
		row.push(p < 10 ? (r() < 0.5 ? 1 : 0) : null);
		row.push(1);
		answers.push(row);
	}
	seed(all, answers, `${TAG}a`);

	const out = cli(['calibrate', '--min-n', '30']);
	assert.equal(out.status, 0, out.stderr);
	assert.match(out.stdout, /calibrated \d+ items/);

	items.forEach((it, i) => {
		const [cal, b, a, c, n] = sql(`SELECT irt_calibrated, irt_b, irt_a, irt_c, irt_n
			FROM question_versions WHERE id = ${it.v}`).split('|');
		assert.equal(cal, 't');
		assert.equal(Number(n), NP);
		assert.equal(Number(a), 1);
		assert.equal(Number(c), 0);
		assert.ok(Math.abs(Number(b) - TRUE_B[i]) < 0.3,
			`item ${i}: fitted b ${b}, true ${TRUE_B[i]}`);
		const meta = JSON.parse(sql(`SELECT json_build_object('kind', model_kind, 'params', params,
			'metrics', metrics, 'window', data_from <= data_to)
			FROM model_metadata WHERE target_kind = 'item_version' AND target_id = ${it.v}`));
		assert.equal(meta.kind, 'irt_rasch');
		assert.equal(meta.params.b, Number(b));
		assert.equal(meta.metrics.n_item_responses, NP);
		assert.ok(meta.metrics.n_persons >= NP);
		assert.equal(meta.metrics.converged, true);
		assert.ok(meta.metrics.loglik < 0 && meta.metrics.iterations > 0);
		assert.equal(meta.window, true);
	});
	// The sparse and the all-correct items stay as authored.
	for (const it of [sparse, easy]) {
		assert.equal(sql(`SELECT irt_calibrated::text || irt_b FROM question_versions WHERE id = ${it.v}`), 'false0');
		assert.equal(sql(`SELECT count(*) FROM model_metadata WHERE target_kind = 'item_version' AND target_id = ${it.v}`), '0');
	}

	// 2PL refit: a second metadata row per item, a positive, b still near.
	const out2 = cli(['calibrate', '--min-n', '30', '--model', '2pl']);
	assert.equal(out2.status, 0, out2.stderr);
	items.forEach((it, i) => {
		const [b, a] = sql(`SELECT irt_b, irt_a FROM question_versions WHERE id = ${it.v}`).split('|').map(Number);
		assert.ok(a > 0.6 && a < 1.6, `item ${i}: a ${a}`);
		assert.ok(Math.abs(b - TRUE_B[i]) < 0.4, `item ${i}: 2PL b ${b}, true ${TRUE_B[i]}`);
		assert.equal(sql(`SELECT count(*) FROM model_metadata WHERE target_id = ${it.v} AND model_kind = 'irt_2pl'`), '1');
	});

	// The job kind does the same through the worker.
	const job = sql(`INSERT INTO jobs (kind, payload) VALUES ('calibrate', '{"min_n": 30}') RETURNING id`).split('\n')[0];
	const w = cli(['worker', '--once']);
	assert.equal(w.status, 0, w.stderr);
	assert.equal(sql(`SELECT state FROM jobs WHERE id = ${job}`), 'done');
	for (const it of items)
		assert.equal(sql(`SELECT count(*) FROM model_metadata WHERE target_id = ${it.v} AND target_kind = 'item_version'`), '3');

	assert.equal(cli(['calibrate', '--model', '3pl']).status, 2);
	assert.equal(cli(['calibrate', '--min-n', 'x']).status, 2);
});

test('the nightly calibrate schedule exists', () => {
	assert.equal(sql(`SELECT kind || ' ' || every FROM job_schedules WHERE name = 'calibrate_nightly'`), 'calibrate 1 day');
});

const PW = 'calib password 1';
async function account(role) {
	const email = uniqueEmail(`calib-${role}`);
	const out = cli(['user', 'add', '--email', email, '--password', PW, '--name', `Calib ${role}`, '--role', role]);
	assert.equal(out.status, 0, out.stderr);
	const t = await new Client().postJSON('/api/v1/auth/login', { email, password: PW });
	assert.equal(t.status, 200, t.text);
	return { tok: t.json().access_token, id: Number(out.stdout.trim()) };
}
const api = (who, path, body) => body === undefined
	? new Client().get(path, { headers: { authorization: `Bearer ${who.tok}` } })
	: new Client().postJSON(path, body, { authorization: `Bearer ${who.tok}` });

test('regrade: a fixed key re-scores past answers and attempts, nothing else', async () => {
	const T = await account('instructor');
	const other = await account('instructor');
	const L1 = await account('learner');
	const L2 = await account('learner');
	const skill = Number(sql(`INSERT INTO skills (name) VALUES ('Regrade ${TAG}') RETURNING id`).split('\n')[0]);
	const mk = async (body) => {
		const r = await api(T, '/api/v1/bank/questions', { difficulty: 5, skills: String(skill), ...body });
		assert.equal(r.status, 201, r.text);
		return r.json();
	};
	// Published with the wrong key: "3" marked right.
	const bad = await mk({ kind: 'single', stem: '1 + 2 = ?', option_1: '3', option_2: '4', correct: 2 });
	const good = await mk({ kind: 'single', stem: '2 + 2 = ?', option_1: '3', option_2: '4', correct: 2 });
	const short = await mk({ kind: 'short', stem: 'Capital of Spain?', option_1: 'Madrid' });
	let r = await api(T, '/api/v1/assessments', { title: `Regrade ${TAG}`, pass_mark: 50 });
	assert.equal(r.status, 201, r.text);
	const quiz = r.json().id;
	for (const q of [bad, good]) {
		r = await api(T, `/api/v1/assessments/${quiz}/questions`, { question_id: q.id });
		assert.equal(r.status, 200, r.text);
	}
	const take = async (L, badChoice) => {
		const a = (await api(L, `/api/v1/assessments/${quiz}/attempts`, {})).json();
		r = await api(L, `/api/v1/attempts/${a.id}/answers/${bad.id}`, { option: bad.options[badChoice].id });
		assert.equal(r.status, 200, r.text);
		r = await api(L, `/api/v1/attempts/${a.id}/answers/${good.id}`, { option: good.options[1].id });
		assert.equal(r.status, 200, r.text);
		assert.equal((await api(L, `/api/v1/attempts/${a.id}/submit`, {})).status, 200);
		return a.id;
	};
	const a1 = await take(L1, 0);	// chose "3": right, marked wrong
	const a2 = await take(L2, 1);	// chose "4": wrong, marked right
	assert.equal((await api(L1, `/api/v1/attempts/${a1}`)).json().score, 50);
	assert.equal((await api(L2, `/api/v1/attempts/${a2}`)).json().score, 100);
	const v1 = bad.version_id;
	assert.equal(sql(`SELECT attempts || '/' || correct FROM item_stats WHERE version_id = ${v1}`), '2/1');
	const model = (u) => sql(`SELECT p_known || '|' || theta || '|' || n || '|' || level FROM learner_skill_state
		WHERE user_id = ${u} AND skill_id = ${skill}`).split('|').map(Number);
	const ability = (u) => sql(`SELECT theta || '|' || n FROM learner_ability WHERE user_id = ${u}`).split('|').map(Number);
	const m1 = model(L1.id), m2 = model(L2.id), ab1 = ability(L1.id), ab2 = ability(L2.id);
	const snapshot = () => sql(`SELECT string_agg(attempt_id || ':' || seq || ':' || correct, ',' ORDER BY attempt_id, seq) FROM responses
		WHERE version_id <> ${v1} AND attempt_id IN (${a1}, ${a2})`)
		+ sql(`SELECT string_agg(id || ':' || score, ',' ORDER BY id) FROM attempts WHERE assessment_id <> ${quiz} AND user_id IN (${L1.id}, ${L2.id})`);
	const before = snapshot();

	// Another instructor cannot regrade it; a learner is refused by role.
	assert.equal((await api(other, `/api/v1/bank/questions/${bad.id}/regrade`, {})).status, 404);
	assert.equal((await api(L1, `/api/v1/bank/questions/${bad.id}/regrade`, {})).status, 403);
	// A question with one version has nothing to regrade (typed
	// questions: tests/integration/regrade.test.mjs).
	r = await api(T, `/api/v1/bank/questions/${short.id}/regrade`, {});
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json().responses_changed, 0);

	// Fix the key: the answered version is locked, so this is version 2.
	r = await api(T, `/api/v1/bank/questions/${bad.id}`, {
		stem: '1 + 2 = ?', difficulty: 5, skills: String(skill),
		option_1: '3', optid_1: bad.options[0].id, option_2: '4', optid_2: bad.options[1].id, correct: 1,
	});
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json().version, 2);
	r = await api(T, `/api/v1/bank/questions/${bad.id}/regrade`, {});
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json().responses_changed, 2);
	assert.equal(r.json().attempts_rescored, 2);
	assert.equal(r.json().learners_replayed, 2);
	assert.equal(r.json().learners_too_long, 0);

	const s1 = (await api(L1, `/api/v1/attempts/${a1}`)).json();
	const s2 = (await api(L2, `/api/v1/attempts/${a2}`)).json();
	assert.equal(s1.score, 100);
	assert.equal(s1.passed, true);
	assert.equal(s2.score, 50);
	assert.equal(s2.passed, true);
	assert.equal(sql(`SELECT string_agg(correct::text, ',' ORDER BY attempt_id) FROM responses WHERE version_id = ${v1}`), 'true,false');
	assert.equal(sql(`SELECT attempts || '/' || correct FROM item_stats WHERE version_id = ${v1}`), '2/1');
	assert.equal(snapshot(), before, 'other answers and attempts untouched');
	// The learner model is replayed: L1 now has two right answers, L2 one.
	const n1 = model(L1.id), n2 = model(L2.id);
	assert.equal(n1[2], 2);
	assert.equal(n2[2], 2);
	assert.ok(n1[0] > m1[0] && n1[1] > m1[1], `L1 mastery/theta rose: ${m1} -> ${n1}`);
	assert.ok(n2[0] < m2[0] && n2[1] < m2[1], `L2 mastery/theta fell: ${m2} -> ${n2}`);
	// The replay applies answers as answering does: L1 now answered
	// (right, right) as L2 had before, and L2 (wrong, right) as L1 had.
	n1.forEach((x, i) => assert.ok(Math.abs(x - m2[i]) < 1e-9, `L1 ${n1} vs L2 before ${m2}`));
	n2.forEach((x, i) => assert.ok(Math.abs(x - m1[i]) < 1e-9, `L2 ${n2} vs L1 before ${m1}`));
	assert.ok(Math.abs(ability(L1.id)[0] - ab2[0]) < 1e-9 && Math.abs(ability(L2.id)[0] - ab1[0]) < 1e-9);
	assert.ok(ability(L1.id)[0] > ab1[0] && ability(L2.id)[0] < ab2[0]);
	assert.equal(ability(L1.id)[1], 2);
	assert.equal(sql(`SELECT responses_changed || '/' || attempts_changed || '/' || by_user FROM regrades WHERE question_id = ${bad.id}`), `2/2/${T.id}`);

	// A second regrade finds nothing to change.
	const after = [model(L1.id), model(L2.id)];
	r = await api(T, `/api/v1/bank/questions/${bad.id}/regrade`, {});
	assert.equal(r.json().responses_changed, 0);
	assert.deepEqual([model(L1.id), model(L2.id)], after);
	assert.equal((await api(L1, `/api/v1/attempts/${a1}`)).json().score, 100);
});
