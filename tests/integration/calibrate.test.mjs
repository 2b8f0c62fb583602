// Item calibration and regrade (issue 5, calib).  Calibration: responses
// simulated from a known Rasch model are seeded by SQL, `adept calibrate`
// runs, and the fitted difficulties must land near the truth, with the
// metadata row recorded; items under the response threshold and items
// everybody got right stay uncalibrated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, sql } from './lib.mjs';

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

	assert.equal(cli(['calibrate', '--model', '3pl']).status, 2);
	assert.equal(cli(['calibrate', '--min-n', 'x']).status, 2);
});

test('the nightly calibrate schedule exists', () => {
	assert.equal(sql(`SELECT kind || ' ' || every FROM job_schedules WHERE name = 'calibrate_nightly'`), 'calibrate 1 day');
});
