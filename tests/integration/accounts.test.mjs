// Accounts through real nginx and the real worker: the sign-up journey,
// sign-in, sign-out, password change, admin, throttling and the JSON API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, registerUser, uniqueEmail, sql, cli } from './lib.mjs';

test('health check reports the database', async () => {
	const r = await new Client().get('/healthz');
	assert.equal(r.status, 200);
	assert.deepEqual(r.json(), { status: 'ok', database: 'ok' });
});

test('every response carries the security headers', async () => {
	for (const path of ['/', '/login', '/nope', '/api/v1/me']) {
		const r = await new Client().get(path);
		const csp = r.headers.get('content-security-policy');
		assert.match(csp, /default-src 'self'/, path);
		assert.match(csp, /frame-ancestors 'none'/, path);
		assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
		assert.ok(r.headers.get('referrer-policy'), path);
	}
});

test('register, see the dashboard, sign out, sign in again', async () => {
	const c = new Client();
	const { r, email, password } = await registerUser(c, { name: 'Grace <Hopper>' });
	assert.equal(r.status, 303);
	assert.match(r.headers.get('location'), /^\/dashboard/);
	const set = r.headers.getSetCookie().join('\n');
	assert.match(set, /adept_at=[^;]+;.*HttpOnly/);
	assert.match(set, /SameSite=Lax/);

	let d = await c.get('/dashboard');
	assert.equal(d.status, 200);
	assert.match(d.text, /Grace &lt;Hopper&gt;/, 'name shown, escaped');
	assert.doesNotMatch(d.text, /Grace <Hopper>/);
	assert.match(d.text, /Learner/);
	assert.match(d.text, /not enrolled in any course yet/i, 'empty state says what to do');
	assert.match(d.text, /href="\/catalog"/);
	assert.match(d.text, /href="\/diagnostic"/, 'the diagnostic is one click away');
	assert.match(d.text, /href="\/profile\/skills"/);
	assert.equal(d.headers.get('cache-control'), 'no-store');

	// Sign out: a POST with the session's CSRF token.
	const token = d.text.match(/name="csrf" value="([^"]+)"/)[1];
	const out = await c.post('/logout', { csrf: token });
	assert.equal(out.status, 303);
	d = await c.get('/dashboard');
	assert.equal(d.status, 303, 'signed out: dashboard redirects to sign-in');
	assert.match(d.headers.get('location'), /^\/login/);

	const back = await c.submit('/login', { email, password });
	assert.equal(back.status, 303);
	d = await c.get('/dashboard');
	assert.equal(d.status, 200);
	assert.match(d.text, /Grace &lt;Hopper&gt;/);
});

test('sign-out revokes the session server-side, not just the cookie', async () => {
	const c = new Client();
	await registerUser(c);
	const stolen = new Map(c.jar);
	const d = await c.get('/dashboard');
	const token = d.text.match(/name="csrf" value="([^"]+)"/)[1];
	await c.post('/logout', { csrf: token });
	const thief = new Client();
	thief.jar = stolen;
	const r = await thief.get('/dashboard');
	assert.equal(r.status, 303, 'old cookies no longer sign anyone in');
});

test('wrong password and unknown e-mail get the same answer', async () => {
	const c = new Client();
	const { email } = await registerUser(c);
	const a = await new Client().submit('/login', { email, password: 'wrong password' });
	const b = await new Client().submit('/login', { email: uniqueEmail('ghost'), password: 'wrong password' });
	assert.equal(a.status, 401);
	assert.equal(b.status, 401);
	const msg = (t) => t.match(/Wrong e-mail or password\./)?.[0];
	assert.ok(msg(a.text));
	assert.equal(msg(a.text), msg(b.text));
	assert.doesNotMatch(a.text, /wrong password"/, 'password never echoed');
});

test('duplicate e-mail is a form error, not a 500, and writes nothing', async () => {
	const c = new Client();
	const { email } = await registerUser(c);
	const before = sql('SELECT count(*) FROM users');
	const r = await registerUser(new Client(), { email: email.toUpperCase() });
	assert.equal(r.r.status, 409);
	assert.match(r.r.text, /already exists/);
	assert.equal(sql('SELECT count(*) FROM users'), before);
});

test('register form validation names each bad field and keeps input', async () => {
	const r = await new Client().submit('/register', {
		name: 'Kept Name', email: 'not-an-email', password: 'short', password_confirm: 'short',
	});
	assert.equal(r.status, 400);
	assert.match(r.text, /Kept Name/);
	assert.match(r.text, /not a valid/i);
	assert.match(r.text, /at least 8/);
	assert.doesNotMatch(r.text, /value="short"/, 'password not echoed');
});

test('change password: old one stops working, other sessions end', async () => {
	const a = new Client();
	const { email, password } = await registerUser(a);
	const b = new Client();
	await b.submit('/login', { email, password });
	assert.equal((await b.get('/dashboard')).status, 200);

	const bad = await a.submit('/account', { current_password: 'nope nope', new_password: 'new password 2', new_password_confirm: 'new password 2' }, '/account/password');
	assert.equal(bad.status, 400);
	const ok = await a.submit('/account', { current_password: password, new_password: 'new password 2', new_password_confirm: 'new password 2' }, '/account/password');
	assert.equal(ok.status, 303);
	assert.equal((await a.get('/dashboard')).status, 200, 'this browser stays signed in');
	assert.equal((await b.get('/dashboard')).status, 303, 'the other session is signed out');
	assert.equal((await new Client().submit('/login', { email, password })).status, 401);
	assert.equal((await new Client().submit('/login', { email, password: 'new password 2' })).status, 303);
});

test('sign-in is throttled per account with a clear wait', async () => {
	const c = new Client();
	const { email, password } = await registerUser(c);
	let r;
	for (let i = 0; i < 8; i++)
		r = await new Client().submit('/login', { email, password: `wrong ${i}` });
	assert.equal(r.status, 429);
	assert.match(r.text, /Try again in \d+ seconds?/);
	assert.ok(Number(r.headers.get('retry-after')) > 0);
	// Even the right password waits while throttled.
	const ok = await new Client().submit('/login', { email, password });
	assert.equal(ok.status, 429);
});

test('roles: learners cannot reach admin pages; admins create instructors', async () => {
	const learner = new Client();
	await registerUser(learner);
	assert.equal((await learner.get('/admin/users')).status, 403);

	const adminEmail = uniqueEmail('admin');
	const out = cli(['user', 'add', '--email', adminEmail, '--password', 'admin password 1', '--name', 'Site Admin', '--role', 'admin']);
	assert.equal(out.status, 0, out.stderr);
	assert.match(out.stdout.trim(), /^\d+$/);
	const admin = new Client();
	assert.equal((await admin.submit('/login', { email: adminEmail, password: 'admin password 1' })).status, 303);
	const page = await admin.get('/admin/users');
	assert.equal(page.status, 200);
	assert.match(page.text, new RegExp(adminEmail.replace(/[.+]/g, '\\$&')));

	const instEmail = uniqueEmail('inst');
	const made = await admin.submit('/admin/users', { name: 'New Instructor', email: instEmail, password: 'teach me 123', role: 'instructor' });
	assert.equal(made.status, 303);
	assert.equal(sql(`SELECT role FROM users WHERE email = '${instEmail}'`), 'instructor');
	assert.equal(sql(`SELECT count(*) FROM audit_log WHERE action = 'user.create' AND object = 'user:' || (SELECT id FROM users WHERE email = '${instEmail}')`), '1');
	const inst = new Client();
	await inst.submit('/login', { email: instEmail, password: 'teach me 123' });
	const d = await inst.get('/dashboard');
	assert.match(d.text, /Instructor/);
	assert.equal((await inst.get('/admin/users')).status, 403);
});

test('adept user add refuses a duplicate e-mail with status 1', async () => {
	const email = uniqueEmail('cli');
	const a = cli(['user', 'add', '--email', email, '--password', 'cli password 1', '--name', 'CLI', '--role', 'learner']);
	assert.equal(a.status, 0, a.stderr);
	const b = cli(['user', 'add', '--email', email, '--password', 'cli password 1', '--name', 'CLI', '--role', 'learner']);
	assert.equal(b.status, 1);
	assert.match(b.stderr, /already exists/);
	const c = cli(['user', 'add', '--email', 'x@example.org', '--password', 'p', '--name', 'N', '--role', 'wizard']);
	assert.equal(c.status, 2);
});

test('API: register, login, me, refresh with rotation and reuse detection', async () => {
	const c = new Client();
	const email = uniqueEmail('api');
	let r = await c.postJSON('/api/v1/auth/register', { email, password: 'api password 1', full_name: 'Api User' });
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json().email, email);
	r = await c.postJSON('/api/v1/auth/register', { email, password: 'api password 1', full_name: 'Api User' });
	assert.equal(r.status, 409);
	assert.match(r.json().error.message, /already exists/);

	r = await c.postJSON('/api/v1/auth/login', { email, password: 'nope nope nope' });
	assert.equal(r.status, 401);
	r = await c.postJSON('/api/v1/auth/login', { email, password: 'api password 1' });
	assert.equal(r.status, 200);
	const t1 = r.json();
	assert.equal(t1.token_type, 'Bearer');
	assert.ok(t1.access_token && t1.refresh_token);

	r = await new Client().get('/api/v1/me', { headers: { authorization: `Bearer ${t1.access_token}` } });
	assert.equal(r.status, 200);
	assert.deepEqual({ ...r.json(), id: 0 }, { id: 0, email, full_name: 'Api User', role: 'learner' });

	r = await new Client().get('/api/v1/me');
	assert.equal(r.status, 401);
	assert.ok(r.json().error.message);

	r = await new Client().postJSON('/api/v1/auth/refresh', { refresh_token: t1.refresh_token });
	assert.equal(r.status, 200);
	const t2 = r.json();
	assert.notEqual(t2.refresh_token, t1.refresh_token);

	// Reusing the rotated token: 401, and the whole family is revoked.
	r = await new Client().postJSON('/api/v1/auth/refresh', { refresh_token: t1.refresh_token });
	assert.equal(r.status, 401);
	r = await new Client().postJSON('/api/v1/auth/refresh', { refresh_token: t2.refresh_token });
	assert.equal(r.status, 401, 'family revoked after reuse');
	r = await new Client().get('/api/v1/me', { headers: { authorization: `Bearer ${t2.access_token}` } });
	assert.equal(r.status, 401, 'access tokens of the revoked family stop working');
});

test('API: Bearer requests need no CSRF token; cookie ones do', async () => {
	const c = new Client();
	const email = uniqueEmail('csrf');
	await c.postJSON('/api/v1/auth/register', { email, password: 'api password 1', full_name: 'C' });
	const t = (await c.postJSON('/api/v1/auth/login', { email, password: 'api password 1' })).json();
	let r = await new Client().postJSON('/api/v1/auth/logout', {}, { authorization: `Bearer ${t.access_token}` });
	assert.equal(r.status, 200);

	const b = new Client();
	await registerUser(b);
	r = await b.postJSON('/api/v1/auth/logout', {});
	assert.equal(r.status, 403, 'cookie-authenticated state change without CSRF');
	const d = await b.get('/dashboard');
	const token = d.text.match(/name="csrf" value="([^"]+)"/)[1];
	r = await b.postJSON('/api/v1/auth/logout', {}, { 'x-csrf-token': token });
	assert.equal(r.status, 200);
});

test('API dashboard twin lists the demo learner course with progress', async () => {
	const c = new Client();
	const email = uniqueEmail('dash');
	await c.postJSON('/api/v1/auth/register', { email, password: 'api password 1', full_name: 'D' });
	const t = (await c.postJSON('/api/v1/auth/login', { email, password: 'api password 1' })).json();
	const uid = sql(`SELECT id FROM users WHERE email = '${email}'`);
	const cid = sql(`SELECT id FROM courses WHERE status = 'published' ORDER BY id LIMIT 1`);
	sql(`INSERT INTO enrollments (user_id, course_id) VALUES (${uid}, ${cid})`);
	sql(`INSERT INTO lesson_progress (user_id, lesson_id, status, completed_at)
	     SELECT ${uid}, l.id, 'completed', now() FROM lessons l JOIN modules m ON m.id = l.module_id
	     WHERE m.course_id = ${cid} ORDER BY m.position, l.position LIMIT 1`);
	const total = Number(sql(`SELECT count(*) FROM lessons l JOIN modules m ON m.id = l.module_id WHERE m.course_id = ${cid}`));
	const r = await new Client().get('/api/v1/dashboard', { headers: { authorization: `Bearer ${t.access_token}` } });
	assert.equal(r.status, 200);
	const j = r.json();
	assert.equal(j.courses.length, 1);
	assert.equal(j.courses[0].progress, Math.floor(100 / total));
	const html = await new Client().get('/dashboard', { headers: { authorization: `Bearer ${t.access_token}` } });
	assert.notEqual(html.status, 200, 'Bearer tokens are for /api/ only');
});

test('the admin home lists every admin area with its counts; learners get 403', async () => {
	const email = uniqueEmail('adminhome');
	assert.equal(cli(['user', 'add', '--email', email, '--password', 'admin password 1', '--name', 'Home Admin', '--role', 'admin']).status, 0);
	const admin = new Client();
	await admin.submit('/login', { email, password: 'admin password 1' });
	const r = await admin.get('/admin');
	assert.equal(r.status, 200);
	for (const href of ['/admin/users', '/admin/reviews', '/admin/jobs', '/admin/mail'])
		assert.match(r.text, new RegExp(`href="${href}"`));
	assert.match(r.text, new RegExp(`${sql('SELECT count(*) FROM users')} accounts`));
	const learner = new Client();
	await registerUser(learner);
	assert.equal((await learner.get('/admin')).status, 403);
});
