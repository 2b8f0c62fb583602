// The mail, notification and certificate pages (issue 7) as served, checked
// by the Nu HTML checker and axe-core like every other page: forgot and
// reset password, mail settings, unsubscribe, notifications with items,
// certificates (claim form with an error, list), and the verification
// page valid, revoked and unknown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { vnuErrors, axeProblems, launchBrowser } from './check.mjs';
import { Client, registerUser, sql, cli, uniqueEmail } from '../integration/lib.mjs';

const BASE = process.env.ADEPT_URL || 'http://127.0.0.1:18080';
const q = (s) => `'${String(s).replace(/'/g, "''")}'`;
const one = (s) => sql(s).split('\n')[0];

let browser;
const pages = new Map();

before(async () => {
	browser = await launchBrowser();
	const anon = new Client();
	pages.set('forgot', (await anon.get('/password/forgot')).text);
	pages.set('forgot-sent', (await anon.submit('/password/forgot', { email: 'nobody@example.org' })).text);
	pages.set('forgot-error', (await anon.submit('/password/forgot', { email: 'not an address' })).text);
	pages.set('reset-invalid', (await anon.get('/password/reset?token=' + 'x'.repeat(43))).text);
	pages.set('reset-done', (await anon.get('/password/reset?done=1')).text);
	pages.set('unsubscribe-invalid', (await anon.get('/unsubscribe?token=' + 'x'.repeat(43))).text);

	const c = new Client();
	const { email } = await registerUser(c, { name: 'Wen 王' });
	const uid = Number(one(`SELECT id FROM users WHERE lower(email) = lower(${q(email)})`));
	sql(`INSERT INTO notifications (user_id, kind, body, url) VALUES (${uid}, 'recommendation', 'Try the next course', '/catalog'), (${uid}, 'certificate', 'Read one', '')`);
	sql(`UPDATE notifications SET read_at = now() WHERE user_id = ${uid} AND body = 'Read one'`);
	pages.set('notifications', (await c.get('/notifications')).text);
	pages.set('mail-prefs', (await c.get('/account/mail?saved=1')).text);

	// A completed course: the claim form refuses the name, then a list.
	const author = Number(one(`SELECT id FROM users WHERE role IN ('instructor', 'admin') ORDER BY id LIMIT 1`));
	const cid = Number(one(`INSERT INTO courses (author_id, title, status) VALUES (${author}, 'Browser cert course', 'published') RETURNING id`));
	sql(`INSERT INTO enrollments (user_id, course_id, status, completed_at) VALUES (${uid}, ${cid}, 'completed', now())`);
	pages.set('certificates-refused', (await c.submit('/certificates', { course_id: String(cid), name: 'Wen 王' })).text);
	await c.submit('/certificates', { course_id: String(cid), name: 'Wen Wang' });
	pages.set('certificates', (await c.get('/certificates')).text);
	const id = one(`SELECT id FROM certificates WHERE user_id = ${uid}`);
	pages.set('verify', (await anon.get(`/certificates/verify/${id}`)).text);
	sql(`UPDATE certificates SET revoked_at = now(), revoke_reason = 'Test' WHERE id = ${id}`);
	pages.set('verify-revoked', (await anon.get(`/certificates/verify/${id}`)).text);
	pages.set('verify-unknown', (await anon.get('/certificates/verify/100000000000002')).text);
	const ae = uniqueEmail('admin');
	assert.equal(cli(['user', 'add', '--email', ae, '--password', 'admin pass 123', '--name', 'A', '--role', 'admin']).status, 0);
	sql(`INSERT INTO email_outbox (to_addr, template, subject, body_text, status, last_error) VALUES ('x@example.org', 'notification', 'S', 'B', 'dead', 'E')`);
	const admin = new Client();
	await admin.submit('/login', { email: ae, password: 'admin pass 123' });
	pages.set('admin-mail', (await admin.get('/admin/mail')).text);
	pages.set('verify-admin', (await admin.get(`/certificates/verify/${id}`)).text);
});

after(async () => {
	await browser?.close();
});

test('the pages were served', () => {
	assert.match(pages.get('certificates-refused'), /U\+738B/);
	assert.match(pages.get('certificates'), /Browser cert course/);
	assert.match(pages.get('notifications'), /Try the next course/);
	assert.match(pages.get('admin-mail'), /Send again/);
	assert.equal(pages.size, 15);
});

test('mail, notification and certificate pages are valid HTML (Nu checker)', () => {
	assert.deepEqual(vnuErrors(pages), []);
});

test('mail, notification and certificate pages have no serious accessibility problems (axe)', async () => {
	assert.deepEqual(await axeProblems(browser, BASE, pages), []);
});
