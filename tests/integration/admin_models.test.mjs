// Admin panel, the pages issue 9 still missed (adminx): model metadata
// (fits per target with their metrics, a target's history, rollback to an
// earlier fit with a history row and an audit row), the certificates list
// (search, revoke from the list), and the content review queue (pending
// generated items of every course).  Admin only: everyone else is refused.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { Client, registerUser, uniqueEmail, sql, cli } from './lib.mjs';

const TAG = `adminx${process.pid}${Date.now()}`;
const PW = 'adminx password 1';
const q = (s) => `'${String(s).replace(/'/g, "''")}'`;
const one = (s) => sql(s).split('\n')[0];
let admin, instructor, learner;

// An account of this role, signed in with a cookie (c) and a bearer token.
async function account(role) {
	const email = uniqueEmail(`adminx-${role}`);
	const out = cli(['user', 'add', '--email', email, '--password', PW, '--name', `Adminx ${role}`, '--role', role]);
	assert.equal(out.status, 0, out.stderr);
	const c = new Client();
	assert.equal((await c.submit('/login', { email, password: PW })).status, 303);
	const t = await new Client().postJSON('/api/v1/auth/login', { email, password: PW });
	assert.equal(t.status, 200, t.text);
	return { c, email, id: Number(out.stdout.trim()), auth: { authorization: `Bearer ${t.json().access_token}` } };
}
const apiGet = (who, path) => new Client().get(path, { headers: who.auth });
const apiPost = (who, path, body = {}) => new Client().postJSON(path, body, who.auth);

before(async () => {
	admin = await account('admin');
	instructor = await account('instructor');
	learner = await account('learner');
});

// ---- model metadata -------------------------------------------------------

// Deterministic PRNG (mulberry32) and Box-Muller normals, as calibrate.test.
function rng(seed) {
	return () => {
		seed |= 0; seed = (seed + 0x6D2B79F5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

// Items and simulated learners' answers seeded by SQL (as calibrate.test):
// one submitted attempt per learner answering every item.
function seedItems(trueB, np) {
	const owner = instructor.id;
	const items = trueB.map((_, i) => {
		const qid = one(`INSERT INTO questions (owner_id, kind) VALUES (${owner}, 'truefalse') RETURNING id`);
		const v = one(`INSERT INTO question_versions (question_id, version, title, stem, difficulty, irt_b)
			VALUES (${qid}, 1, 'Model item ${i} ${TAG}', 'Model item ${i}', 5, 0) RETURNING id`);
		return { q: Number(qid), v: Number(v) };
	});
	sql(`INSERT INTO users (email, full_name, password_hash)
		SELECT '${TAG}-' || g || '@example.org', 'Sim', 'x' FROM generate_series(1, ${np}) g`);
	const asmt = one(`INSERT INTO assessments (owner_id, title) VALUES (${owner}, '${TAG}') RETURNING id`);
	sql(`INSERT INTO attempts (assessment_id, user_id, status, submitted_at)
		SELECT ${asmt}, id, 'submitted', now() FROM users WHERE email LIKE '${TAG}-%'`);
	const r = rng(4242), rows = [];
	for (let p = 0; p < np; p++) {
		const theta = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
		trueB.forEach((b, i) => rows.push(`(${p + 1}, ${i + 1}, ${items[i].q}, ${items[i].v}, ${r() < 1 / (1 + Math.exp(b - theta))})`));
	}
	const vals = `(VALUES ${rows.join(',')}) AS s(p, seq, q, v, ok)`;
	const att = `(SELECT a.id AS aid, split_part(split_part(u.email, '@', 1), '-', 2)::int AS p
		FROM attempts a JOIN users u ON u.id = a.user_id WHERE a.assessment_id = ${asmt}) t`;
	sql(`INSERT INTO attempt_items (attempt_id, seq, question_id, version_id)
		SELECT t.aid, s.seq, s.q, s.v FROM ${vals} JOIN ${att} ON t.p = s.p`);
	sql(`INSERT INTO responses (attempt_id, seq, version_id, answer, correct, response_ms)
		SELECT t.aid, s.seq, s.v, CASE WHEN s.ok THEN 'True' ELSE 'False' END, s.ok, 1000
		FROM ${vals} JOIN ${att} ON t.p = s.p`);
	return items;
}

const fitsOf = (kind, id) => JSON.parse(one(`SELECT COALESCE(json_agg(json_build_object('id', id,
	'params', params, 'rollback_of', rollback_of, 'created_by', created_by) ORDER BY id), '[]')
	FROM model_metadata WHERE target_kind = '${kind}' AND target_id = ${id}`));
const irt = (v) => JSON.parse(one(`SELECT json_build_object('a', irt_a, 'b', irt_b, 'c', irt_c,
	'calibrated', irt_calibrated) FROM question_versions WHERE id = ${v}`));

test('models: two calibrations of an item listed with their metrics (HTML and JSON); roll back to the first', async () => {
	const items = seedItems([-1, 0, 1.2], 300);
	let out = cli(['calibrate', '--min-n', '30']);
	assert.equal(out.status, 0, out.stderr);
	out = cli(['calibrate', '--min-n', '30', '--model', '2pl']);
	assert.equal(out.status, 0, out.stderr);
	const v = items[0].v;
	const [f1, f2] = fitsOf('item_version', v);
	assert.ok(f1 && f2, 'two fits');
	assert.notEqual(f1.params.a, f2.params.a, 'Rasch and 2PL differ');
	assert.deepEqual(irt(v), { ...f2.params, calibrated: true }, 'the newest fit is in use');

	// The list: one row per target with the fit in use and its metrics.
	let r = await admin.c.get(`/admin/models?kind=item&q=${encodeURIComponent(`Model item 0 ${TAG}`)}`);
	assert.equal(r.status, 200);
	assert.ok(r.text.includes(`href="/admin/models/item/${v}"`), r.text);
	assert.match(r.text, /irt_2pl/);
	assert.match(r.text, /log-likelihood -\d+\.\d{3}; converged: yes; \d+ iterations; 300 responses to this item/);
	assert.match(r.text, /Data window \(UTC\)/);
	assert.match(r.text, new RegExp(`<td>\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d to \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d</td><td>2</td></tr>`));
	assert.equal((r.text.match(/<tr id="target-/g) || []).length, 1, 'the search finds one target');
	if (one(`SELECT count(*) FROM model_metadata WHERE target_kind = 'skill'`) === '0')
		assert.match(r.text, /No skill \(BKT\) fits are recorded/);
	r = await apiGet(admin, `/api/v1/admin/models?q=${encodeURIComponent(TAG)}`);
	assert.equal(r.status, 200, r.text);
	const rows = r.json().targets;
	assert.equal(rows.length, 3);
	const row = rows.find((x) => x.target_id === v);
	assert.equal(row.id, f2.id);
	assert.equal(row.model_kind, 'irt_2pl');
	assert.equal(row.fits, 2);
	assert.equal(row.question_id, items[0].q);
	assert.deepEqual(row.params, f2.params);
	assert.equal(row.metrics.converged, true);
	assert.equal(row.metrics.n_item_responses, 300);
	assert.ok(row.metrics.loglik < 0);
	assert.match(row.data_from, /^\d{4}-/);
	assert.equal(row.rollback_of, null);
	r = await apiGet(admin, `/api/v1/admin/models?q=${v}&kind=item`);
	assert.ok(r.json().targets.some((x) => x.target_id === v), 'search by version id');

	// The target's page: its history, the fit in use, a rollback form for
	// the earlier one.
	r = await admin.c.get(`/admin/models/item/${v}`);
	assert.equal(r.status, 200);
	assert.ok(r.text.includes(`<tr id="fit-${f2.id}">`) && r.text.includes(`<tr id="fit-${f1.id}">`));
	assert.match(r.text, /<strong>In use<\/strong>/);
	assert.ok(r.text.includes(`action="/admin/models/${f1.id}/rollback"`));
	assert.ok(!r.text.includes(`action="/admin/models/${f2.id}/rollback"`));
	r = await apiGet(admin, `/api/v1/admin/models/item/${v}`);
	assert.equal(r.status, 200);
	assert.equal(r.json().current_fit, f2.id);
	assert.deepEqual(r.json().fits.map((x) => x.id), [f2.id, f1.id]);

	// Roll back to the first fit from the page.
	r = await admin.c.submit(`/admin/models/item/${v}`, {}, `/admin/models/${f1.id}/rollback`);
	assert.equal(r.status, 303, r.text);
	assert.match(r.headers.get('location'), new RegExp(`^/admin/models/item/${v}\\?rolled=\\d+$`));
	assert.deepEqual(irt(v), { ...f1.params, calibrated: true }, 'the first fit is in use again, exactly');
	assert.equal(one(`SELECT irt_a = (m.params->>'a')::float8 AND irt_b = (m.params->>'b')::float8
		AND irt_c = (m.params->>'c')::float8 FROM question_versions q, model_metadata m
		WHERE q.id = ${v} AND m.id = ${f1.id}`), 't');
	const fits = fitsOf('item_version', v);
	assert.equal(fits.length, 3);
	const f3 = fits[2];
	assert.deepEqual([f3.rollback_of, f3.created_by, f3.params], [f1.id, admin.id, f1.params], 'a history row marks the rollback');
	const audit = JSON.parse(one(`SELECT json_build_object('actor', actor_id, 'detail', detail) FROM audit_log
		WHERE action = 'model.rollback' AND object = 'item_version:${v}' ORDER BY id DESC LIMIT 1`));
	assert.equal(audit.actor, admin.id);
	assert.equal(audit.detail.fit, f1.id);
	assert.equal(audit.detail.history_row, f3.id);
	assert.deepEqual(audit.detail.before, { ...f2.params, calibrated: true });
	assert.deepEqual(audit.detail.after, { ...f1.params, calibrated: true });
	r = await admin.c.get(`/admin/models/item/${v}?rolled=${f3.id}`);
	assert.match(r.text, /The earlier fit is in use again/);
	assert.ok(r.text.includes(`Rollback to fit ${f1.id} by ${admin.email}`));
	assert.ok(!r.text.includes(`action="/admin/models/${f1.id}/rollback"`), 'no rollback to the fit in use');
	assert.ok(r.text.includes(`action="/admin/models/${f2.id}/rollback"`));

	// The fit in use (or the one it restores) is refused; the other one
	// can come back through the API.
	for (const id of [f1.id, f3.id]) {
		r = await apiPost(admin, `/api/v1/admin/models/${id}/rollback`);
		assert.equal(r.status, 409, r.text);
		assert.match(r.json().error.message, /already the one in use/);
	}
	r = await admin.c.submit(`/admin/models/item/${v}`, {}, `/admin/models/${f3.id}/rollback`);
	assert.equal(r.status, 409);
	assert.match(r.text, /already the one in use/);
	r = await apiPost(admin, `/api/v1/admin/models/${f2.id}/rollback`);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json().restored, f2.id);
	assert.equal(r.json().target.current_fit, r.json().id);
	assert.deepEqual(r.json().target.current_params, { ...f2.params, calibrated: true });
	assert.deepEqual(irt(v), { ...f2.params, calibrated: true });
	assert.equal(fitsOf('item_version', v).length, 4);
	// The other items were left alone.
	assert.equal(fitsOf('item_version', items[1].v).length, 2);
});

test('models: a skill fit rolls back into skill_bkt_params', async () => {
	// Nothing writes skill fits yet (the calibrate job fits items only),
	// so two are inserted here directly.
	const skill = Number(one(`INSERT INTO skills (name) VALUES ('Model skill ${TAG}') RETURNING id`));
	const fit = (p) => Number(one(`INSERT INTO model_metadata (model_kind, target_kind, target_id, params, metrics)
		VALUES ('bkt_em', 'skill', ${skill}, '${JSON.stringify(p)}', '{"loglik": -12.5, "n_responses": 40}') RETURNING id`));
	const p1 = { prior: 0.2, learn: 0.1, guess: 0.25, slip: 0.1 };
	const s1 = fit(p1);
	fit({ prior: 0.4, learn: 0.3, guess: 0.2, slip: 0.05 });
	let r = await admin.c.get(`/admin/models?kind=skill&q=${encodeURIComponent(TAG)}`);
	assert.equal(r.status, 200);
	assert.ok(r.text.includes(`href="/admin/models/skill/${skill}"`));
	assert.doesNotMatch(r.text, /No skill \(BKT\) fits are recorded/);
	r = await admin.c.get(`/admin/models/skill/${skill}`);
	assert.equal(r.status, 200);
	assert.match(r.text, /none stored: the defaults/);
	r = await admin.c.submit(`/admin/models/skill/${skill}`, {}, `/admin/models/${s1}/rollback`);
	assert.equal(r.status, 303, r.text);
	assert.deepEqual(JSON.parse(one(`SELECT json_build_object('prior', prior, 'learn', learn, 'guess', guess, 'slip', slip)
		FROM skill_bkt_params WHERE skill_id = ${skill}`)), p1);
	const audit = JSON.parse(one(`SELECT detail FROM audit_log WHERE action = 'model.rollback' AND object = 'skill:${skill}'`));
	assert.deepEqual([audit.fit, audit.before, audit.after], [s1, null, p1]);
	r = await apiGet(admin, `/api/v1/admin/models/skill/${skill}`);
	assert.equal(r.json().fits[0].rollback_of, s1);
	assert.deepEqual(r.json().current_params, p1);
});

test('models: admin only; unknown ids and bad filters refused', async () => {
	for (const who of [learner, instructor]) {
		assert.equal((await who.c.get('/admin/models')).status, 403);
		assert.equal((await who.c.get('/admin/models/item/1')).status, 403);
		const csrf = await who.c.csrf('/account');
		assert.equal((await who.c.post('/admin/models/1/rollback', { csrf })).status, 403);
		assert.equal((await apiGet(who, '/api/v1/admin/models')).status, 403);
		assert.equal((await apiPost(who, '/api/v1/admin/models/1/rollback')).status, 403);
	}
	const before = one('SELECT count(*) FROM model_metadata');
	const none = '999999999999';
	assert.equal((await admin.c.get(`/admin/models/item/${none}`)).status, 404);
	assert.equal((await admin.c.get(`/admin/models/skill/${none}`)).status, 404);
	assert.equal((await admin.c.get('/admin/models/item/x')).status, 404);
	assert.equal((await apiGet(admin, `/api/v1/admin/models/item/${none}`)).status, 404);
	const csrf = await admin.c.csrf('/admin/users');
	assert.equal((await admin.c.post(`/admin/models/${none}/rollback`, { csrf })).status, 404);
	assert.equal((await apiPost(admin, `/api/v1/admin/models/${none}/rollback`)).status, 404);
	assert.equal(one('SELECT count(*) FROM model_metadata'), before, 'nothing written');
	assert.equal((await admin.c.get('/admin/models?kind=bogus')).status, 400);
	assert.equal((await apiGet(admin, '/api/v1/admin/models?page=0')).status, 400);
});

// ---- certificates -----------------------------------------------------------

test('certificates: the list shows an issued certificate, searchable; revoking from it shows on the verify page', async () => {
	const title = `Certified course ${TAG}`;
	const course = Number(one(`INSERT INTO courses (author_id, title, status) VALUES (${instructor.id}, ${q(title)}, 'published') RETURNING id`));
	const mod = one(`INSERT INTO modules (course_id, position, title) VALUES (${course}, 1, 'M1') RETURNING id`);
	const lesson = one(`INSERT INTO lessons (module_id, position, title, estimated_minutes) VALUES (${mod}, 1, 'L1', 30) RETURNING id`);
	// A learner completes the course; the worker issues the certificate.
	const name = `Cert Holder ${TAG}`;
	const c = new Client();
	const { email } = await registerUser(c, { name });
	const csrf = await c.csrf('/account');
	assert.equal((await c.post(`/courses/${course}/enroll`, { csrf })).status, 303);
	assert.equal((await c.post(`/courses/${course}/lessons/${lesson}/complete`, { csrf })).status, 303);
	const end = Date.now() + 15000;
	let id = '';
	while (!(id = one(`SELECT id FROM certificates WHERE course_id = ${course}`)) && Date.now() < end)
		await new Promise((x) => setTimeout(x, 200));
	assert.match(id, /^\d{15}$/, 'issued');

	for (const s of [name.toUpperCase(), email, title, id]) {
		const r = await admin.c.get(`/admin/certificates?q=${encodeURIComponent(s)}`);
		assert.equal(r.status, 200);
		assert.ok(r.text.includes(`<tr id="cert-${id}">`), `found by ${s}`);
	}
	let r = await admin.c.get(`/admin/certificates?q=${encodeURIComponent(title)}`);
	assert.ok(r.text.includes(name) && r.text.includes(title));
	assert.ok(r.text.includes(`href="/certificates/verify/${id}"`));
	assert.ok(r.text.includes(`action="/certificates/${id}/revoke"`));
	assert.match(r.text, /<td>\d{4}-\d\d-\d\d<\/td><td>Valid<\/td>/);
	r = await admin.c.get(`/admin/certificates?q=nobody-${TAG}`);
	assert.match(r.text, /No certificates match/);
	r = await apiGet(admin, `/api/v1/admin/certificates?q=${encodeURIComponent(title)}`);
	assert.equal(r.status, 200);
	assert.deepEqual(r.json().certificates.map((x) => [x.id, x.learner, x.course, x.status, x.verify_url]),
		[[Number(id), name, title, 'valid', `/certificates/verify/${id}`]]);

	// Revoke from the list: back to the list, which says so; the public
	// page too; one audit row.
	r = await admin.c.submit(`/admin/certificates?q=${encodeURIComponent(title)}`, { back: 'admin', reason: 'Copied work' }, `/certificates/${id}/revoke`);
	assert.equal(r.status, 303, r.text);
	assert.equal(r.headers.get('location'), `/admin/certificates?revoked=${id}#cert-${id}`);
	r = await admin.c.get(`/admin/certificates?q=${encodeURIComponent(title)}&revoked=${id}`);
	assert.match(r.text, /The certificate has been revoked/);
	assert.match(r.text, /<strong>Revoked<\/strong> on \d{4}-\d\d-\d\d: Copied work/);
	assert.ok(!r.text.includes(`action="/certificates/${id}/revoke"`));
	r = await admin.c.get(`/admin/certificates?q=${encodeURIComponent(title)}&status=valid`);
	assert.ok(!r.text.includes(`cert-${id}`));
	r = await apiGet(admin, `/api/v1/admin/certificates?q=${id}&status=revoked`);
	assert.deepEqual(r.json().certificates.map((x) => [x.status, x.reason]), [['revoked', 'Copied work']]);
	r = await new Client().get(`/certificates/verify/${id}`);
	assert.match(r.text, /was <strong>revoked<\/strong> on \d{4}-\d\d-\d\d: Copied work/);
	assert.equal(one(`SELECT actor_id || ' ' || (detail->'after'->>'reason') FROM audit_log
		WHERE action = 'certificate.revoke' AND object = 'certificate:${id}'`), `${admin.id} Copied work`);

	for (const who of [learner, instructor]) {
		assert.equal((await who.c.get('/admin/certificates')).status, 403);
		assert.equal((await apiGet(who, '/api/v1/admin/certificates')).status, 403);
	}
	assert.equal((await admin.c.get('/admin/certificates?status=lost')).status, 400);
});

// ---- content review queue ---------------------------------------------------

test('content: pending generated items of every course are queued, oldest first; decided ones are not', async () => {
	const title = `Generated course ${TAG}`;
	const course = Number(one(`INSERT INTO courses (author_id, title, status) VALUES (${instructor.id}, ${q(title)}, 'draft') RETURNING id`));
	// A project and its items inserted directly (the generator's output
	// is genproj.test's business; the queue only reads these rows).
	const project = Number(one(`INSERT INTO generation_projects (course_id, requested_by, status, finished_at)
		VALUES (${course}, ${instructor.id}, 'done', now()) RETURNING id`));
	const item = (kind, status, content, checks, passed, age) => Number(one(`INSERT INTO generated_items
		(project_id, kind, content, checks, passed, status, created_at)
		VALUES (${project}, '${kind}', ${q(JSON.stringify(content))}, ${q(JSON.stringify(checks))}, ${passed}, '${status}',
		now() - interval '${age} hours') RETURNING id`));
	const newer = item('single', 'pending', { question: `Newer pending ${TAG}` }, { grounded: 'ok', readability: 'ok' }, true, 1);
	const older = item('truefalse', 'pending', { question: `Older pending ${TAG}` }, { grounded: 'ok', safety: 'mentions a weapon' }, false, 50);
	item('single', 'approved', { question: `Approved ${TAG}` }, { grounded: 'ok' }, true, 100);
	item('cloze', 'rejected', { question: `Rejected ${TAG}` }, { grounded: 'ok' }, true, 100);

	let r = await admin.c.get(`/admin/content?q=${encodeURIComponent(title)}`);
	assert.equal(r.status, 200);
	assert.ok(r.text.includes(`Older pending ${TAG}`) && r.text.includes(`Newer pending ${TAG}`));
	assert.ok(!r.text.includes(`Approved ${TAG}`) && !r.text.includes(`Rejected ${TAG}`));
	assert.ok(r.text.indexOf(`item-${older}`) < r.text.indexOf(`item-${newer}`), 'oldest first');
	assert.ok(r.text.includes(`href="/teach/projects/${project}#item-${older}"`));
	assert.match(r.text, /<strong>Failed:<\/strong> safety \(mentions a weapon\)/);
	assert.match(r.text, /Passed: grounded, readability/);
	assert.match(r.text, /True or false/);
	assert.match(r.text, /2 day\(s\) waiting/);
	r = await apiGet(admin, `/api/v1/admin/content?q=${project}`);
	assert.equal(r.status, 200);
	assert.deepEqual(r.json().items.map((x) => [x.id, x.kind, x.passed, x.course_id]),
		[[older, 'truefalse', false, course], [newer, 'single', true, course]]);
	assert.equal(r.json().items[0].checks.safety, 'mentions a weapon');
	assert.equal(r.json().items[0].review_url, `/teach/projects/${project}#item-${older}`);
	assert.ok(r.json().counts.pending >= 2);
	// The admin reviews it on the project page, whoever's course it is.
	r = await admin.c.get(`/teach/projects/${project}`);
	assert.equal(r.status, 200);
	assert.ok(r.text.includes(`id="item-${older}"`));

	for (const who of [learner, instructor]) {
		assert.equal((await who.c.get('/admin/content')).status, 403);
		assert.equal((await apiGet(who, '/api/v1/admin/content')).status, 403);
	}
	assert.equal((await new Client().get('/admin/content')).status, 303, 'anonymous: sent to sign in');
});

test('admin home: cards for models, certificates and content with their counts', async () => {
	const r = await admin.c.get('/admin');
	assert.equal(r.status, 200);
	const pending = one(`SELECT count(*) FROM generated_items WHERE status = 'pending'`);
	const valid = one(`SELECT count(*) FROM certificates WHERE revoked_at IS NULL`);
	const items = one(`SELECT count(DISTINCT target_id) FROM model_metadata WHERE target_kind = 'item_version'`);
	assert.match(r.text, /<a href="\/admin\/models">Model metadata<\/a>/);
	assert.match(r.text, /<a href="\/admin\/certificates">Certificates<\/a>/);
	assert.match(r.text, /<a href="\/admin\/content">Content review<\/a>/);
	assert.ok(r.text.includes(`${pending} generated item(s) waiting`));
	assert.ok(r.text.includes(`${valid} valid,`));
	assert.ok(r.text.includes(`Fitted parameters of ${items} item version(s)`));
});
