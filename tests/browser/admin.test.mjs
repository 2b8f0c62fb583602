// The admin panel pages (issue 9, adminpanel) as served, checked by the Nu
// HTML checker and axe-core: user search with results and pager, one user
// (another and oneself, with a refused self-demotion), the audit log with
// entries and with a bad date, system health with a stale worker, and the
// admin home with its cards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { vnuErrors, axeProblems, launchBrowser } from './check.mjs';
import { Client, registerUser, sql, cli, uniqueEmail } from '../integration/lib.mjs';

const BASE = process.env.ADEPT_URL || 'http://127.0.0.1:18080';

let browser;
const pages = new Map();

before(async () => {
	browser = await launchBrowser();
	const ae = uniqueEmail('paneladmin');
	assert.equal(cli(['user', 'add', '--email', ae, '--password', 'admin pass 123', '--name', 'Panel <Admin>', '--role', 'admin']).status, 0);
	const aid = Number(sql(`SELECT id FROM users WHERE email = '${ae}'`));
	const admin = new Client();
	await admin.submit('/login', { email: ae, password: 'admin pass 123' });
	const u = await registerUser(new Client(), { name: 'Browse "Me" & Co' });
	const uid = Number(sql(`SELECT id FROM users WHERE email = '${u.email}'`));
	const tag = `br${process.pid}${Date.now()}`;
	sql(`INSERT INTO users (email, full_name, password_hash, role) SELECT 'b' || i || '-${tag}@example.org', 'Pg ${tag}', 'x', 'learner' FROM generate_series(1, 11) i`);
	pages.set('users-search', (await admin.get(`/admin/users?q=${tag}&per=10&page=1`)).text);
	pages.set('users-page2', (await admin.get(`/admin/users?q=${tag}&per=10&page=2`)).text);
	await admin.submit(`/admin/users/${uid}`, { action: 'role', role: 'instructor' });
	await admin.submit(`/admin/users/${uid}`, { action: 'deactivate' });
	pages.set('user-other', (await admin.get(`/admin/users/${uid}?done=1`)).text);
	pages.set('user-self-refused', (await admin.submit(`/admin/users/${aid}`, { action: 'role', role: 'learner' })).text);
	pages.set('audit', (await admin.get(`/admin/audit?actor=${encodeURIComponent(ae)}`)).text);
	pages.set('audit-bad-date', (await admin.get('/admin/audit?from=2026-13-01')).text);
	sql(`INSERT INTO job_workers (name, host, pid, last_seen) VALUES ('browser-stale-${tag}', 'h', 1, now() - interval '5 minutes')`);
	pages.set('health', (await admin.get('/admin/health')).text);
	sql(`DELETE FROM job_workers WHERE name = 'browser-stale-${tag}'`);
	pages.set('home', (await admin.get('/admin')).text);
});

after(async () => {
	await browser?.close();
});

test('the admin panel pages were served', () => {
	assert.match(pages.get('users-search'), /rel="next"/);
	assert.match(pages.get('users-page2'), /rel="prev"/);
	assert.match(pages.get('user-other'), /Deactivated/);
	assert.match(pages.get('user-self-refused'), /cannot remove your own admin role/);
	assert.match(pages.get('audit'), /user\.deactivate/);
	assert.match(pages.get('audit-bad-date'), /real dates/);
	assert.match(pages.get('health'), /Stale/);
	assert.match(pages.get('home'), /href="\/admin\/audit"/);
	assert.match(pages.get('home'), /href="\/admin\/health"/);
	assert.equal(pages.size, 8);
});

test('admin panel pages are valid HTML (Nu checker)', () => {
	assert.deepEqual(vnuErrors(pages), []);
});

test('admin panel pages have no serious accessibility problems (axe)', async () => {
	assert.deepEqual(await axeProblems(browser, BASE, pages), []);
});
