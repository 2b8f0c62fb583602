// The admin pages added for issue 9 (adminx) as served, checked by the Nu
// HTML checker and axe-core: model metadata (list and one item version's
// history with a rollback form and a flash), the certificates list (valid
// with its revoke form, revoked), the content review queue, and the admin
// home with the new cards.  Rows are inserted by SQL: these pages only
// read them (the integration test covers how they are made).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { vnuErrors, axeProblems, launchBrowser } from './check.mjs';
import { Client, sql, cli, uniqueEmail } from '../integration/lib.mjs';

const BASE = process.env.ADEPT_URL || 'http://127.0.0.1:18080';
const one = (s) => sql(s).split('\n')[0];

let browser;
const pages = new Map();

before(async () => {
	browser = await launchBrowser();
	const tag = `bx${process.pid}${Date.now()}`;
	const ae = uniqueEmail('adminx');
	assert.equal(cli(['user', 'add', '--email', ae, '--password', 'admin pass 123', '--name', 'Admin <X>', '--role', 'admin']).status, 0);
	const aid = Number(one(`SELECT id FROM users WHERE email = '${ae}'`));
	const admin = new Client();
	await admin.submit('/login', { email: ae, password: 'admin pass 123' });

	const qid = one(`INSERT INTO questions (owner_id, kind) VALUES (${aid}, 'truefalse') RETURNING id`);
	const v = one(`INSERT INTO question_versions (question_id, version, title, stem, difficulty, irt_b)
		VALUES (${qid}, 1, 'Item "${tag}" & <co>', 'Stem', 5, 0) RETURNING id`);
	const fit = (b) => one(`INSERT INTO model_metadata (model_kind, target_kind, target_id, params, metrics, data_from, data_to)
		VALUES ('irt_rasch', 'item_version', ${v}, '{"a": 1, "b": ${b}, "c": 0}',
		'{"loglik": -321.5, "n_persons": 90, "n_responses": 270, "n_item_responses": 90, "n_items": 3, "iterations": 14, "converged": true, "sigma": 1.1, "min_n": 30}',
		now() - interval '3 days', now() - interval '1 day') RETURNING id`);
	const f1 = fit(-0.4);
	fit(0.3);
	pages.set('models', (await admin.get(`/admin/models?q=${tag}`)).text);
	const r = await admin.submit(`/admin/models/item/${v}`, {}, `/admin/models/${f1}/rollback`);
	assert.equal(r.status, 303);
	pages.set('model-rolled', (await admin.get(r.headers.get('location'))).text);

	const cid = one(`INSERT INTO courses (author_id, title, status) VALUES (${aid}, 'Course <${tag}>', 'published') RETURNING id`);
	const lid = one(`INSERT INTO users (email, full_name, password_hash) VALUES ('l-${tag}@example.org', 'Learner "${tag}"', 'x') RETURNING id`);
	const cert = `1${String(Date.now()).slice(-14).padStart(14, '0')}`;
	sql(`INSERT INTO certificates (id, user_id, course_id, learner_name, course_title, instructor_name, minutes, pdf_path)
		VALUES (${cert}, ${lid}, ${cid}, 'Learner "${tag}"', 'Course <${tag}>', 'Admin', 60, 'none.pdf')`);
	pages.set('certificates-valid', (await admin.get(`/admin/certificates?q=${tag}`)).text);
	await admin.submit(`/admin/certificates?q=${tag}`, { back: 'admin', reason: 'Test <reason>' }, `/certificates/${cert}/revoke`);
	pages.set('certificates-revoked', (await admin.get(`/admin/certificates?q=${tag}&revoked=${cert}`)).text);

	const pid = one(`INSERT INTO generation_projects (course_id, requested_by, status) VALUES (${cid}, ${aid}, 'done') RETURNING id`);
	sql(`INSERT INTO generated_items (project_id, kind, content, checks, passed, created_at) VALUES
		(${pid}, 'single', '{"question": "Which <one> & why?"}', '{"grounded": "ok", "safety": "mentions <x>"}', false, now() - interval '3 days'),
		(${pid}, 'lesson', '{"title": "A draft"}', '{"grounded": "ok"}', true, now())`);
	pages.set('content', (await admin.get(`/admin/content?q=${tag}`)).text);
	pages.set('home', (await admin.get('/admin')).text);
});

after(async () => {
	await browser?.close();
});

test('the new admin pages were served', () => {
	assert.match(pages.get('models'), /irt_rasch/);
	assert.match(pages.get('model-rolled'), /Rollback to fit/);
	assert.match(pages.get('certificates-valid'), /Revoke certificate/);
	assert.match(pages.get('certificates-revoked'), /Test &lt;reason&gt;/);
	assert.match(pages.get('content'), /Which &lt;one&gt; &amp; why\?/);
	assert.match(pages.get('home'), /href="\/admin\/models"/);
	assert.equal(pages.size, 6);
});

test('the new admin pages are valid HTML (Nu checker)', () => {
	assert.deepEqual(vnuErrors(pages), []);
});

test('the new admin pages have no serious accessibility problems (axe)', async () => {
	assert.deepEqual(await axeProblems(browser, BASE, pages), []);
});
