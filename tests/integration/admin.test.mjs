// Admin panel (issue 9, adminpanel): user search, role change,
// deactivate/reactivate, MFA reset, each audited with before/after; an
// admin cannot deactivate or demote themselves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, registerUser, uniqueEmail, sql, cli } from './lib.mjs';

async function newAdmin(tag = 'panel') {
	const email = uniqueEmail(tag);
	assert.equal(cli(['user', 'add', '--email', email, '--password', 'admin password 1', '--name', 'Panel Admin', '--role', 'admin']).status, 0);
	const c = new Client();
	assert.equal((await c.submit('/login', { email, password: 'admin password 1' })).status, 303);
	const id = Number(sql(`SELECT id FROM users WHERE email = '${email}'`));
	return { c, email, id };
}

async function bearer(email, password) {
	const r = await new Client().postJSON('/api/v1/auth/login', { email, password });
	assert.equal(r.status, 200, r.text);
	return { authorization: `Bearer ${r.json().access_token}` };
}

test('users: search by name or e-mail, server-side and paginated', async () => {
	const { c, email } = await newAdmin();
	const tag = `zq${process.pid}x${Date.now()}`;
	const target = await registerUser(new Client(), { name: `Findme ${tag}` });
	let r = await c.get(`/admin/users?q=${tag}`);
	assert.equal(r.status, 200);
	assert.ok(r.text.includes(target.email), 'found by name');
	assert.ok(!r.text.includes(email), 'others filtered out');
	r = await c.get(`/admin/users?q=${encodeURIComponent(target.email.toUpperCase())}`);
	assert.ok(r.text.includes(`Findme ${tag}`), 'found by e-mail, any case');
	// More users than one page: a next link, and page 2 has the rest.
	sql(`INSERT INTO users (email, full_name, password_hash, role) SELECT 'pg' || i || '-${tag}@example.org', 'Pager ${tag}', 'x', 'learner' FROM generate_series(1, 11) i`);
	r = await c.get(`/admin/users?q=pager+${tag}`);
	assert.equal((r.text.match(/Pager /g) || []).length, 11, 'default page: up to 500');
	r = await c.get(`/admin/users?q=pager+${tag}&per=10`);
	assert.match(r.text, /rel="next" href="\/admin\/users\?page=2&amp;per=10&amp;q=pager%20/);
	assert.equal((r.text.match(/Pager /g) || []).length, 10);
	r = await c.get(`/admin/users?q=pager+${tag}&per=10&page=2`);
	assert.equal((r.text.match(/Pager /g) || []).length, 1);
	assert.match(r.text, /rel="prev"/);
	const j = await new Client().get(`/api/v1/admin/users?q=pager+${tag}&per=10&page=2`, { headers: await bearer(email, 'admin password 1') });
	assert.equal(j.status, 200);
	assert.equal(j.json().users.length, 1);
	assert.equal(j.json().more, false);
});

test('users: role change, deactivate, reactivate, MFA reset, all audited', async () => {
	const { c, id: adminId } = await newAdmin();
	const u = await registerUser(new Client());
	const uid = Number(sql(`SELECT id FROM users WHERE email = '${u.email}'`));
	const path = `/admin/users/${uid}`;
	assert.equal((await c.get(path)).status, 200);

	let r = await c.submit(path, { action: 'role', role: 'instructor' });
	assert.equal(r.status, 303);
	assert.equal(sql(`SELECT role FROM users WHERE id = ${uid}`), 'instructor');
	assert.equal(sql(`SELECT detail::text FROM audit_log WHERE action = 'user.role' AND object = 'user:${uid}' AND actor_id = ${adminId}`),
		'{"after": {"role": "instructor"}, "before": {"role": "learner"}}');

	// The user's session works, then deactivation ends it.
	const victim = new Client();
	assert.equal((await victim.submit('/login', { email: u.email, password: u.password })).status, 303);
	assert.equal((await victim.get('/dashboard')).status, 200);
	r = await c.submit(path, { action: 'deactivate' });
	assert.equal(r.status, 303);
	assert.equal(sql(`SELECT is_active FROM users WHERE id = ${uid}`), 'f');
	assert.equal(sql(`SELECT count(*) FROM refresh_tokens WHERE user_id = ${uid} AND revoked_at IS NULL`), '0');
	assert.notEqual((await victim.get('/dashboard')).status, 200, 'session ended');
	assert.equal(sql(`SELECT detail::text FROM audit_log WHERE action = 'user.deactivate' AND object = 'user:${uid}'`),
		'{"after": {"is_active": false}, "before": {"is_active": true}}');
	assert.notEqual((await new Client().submit('/login', { email: u.email, password: u.password })).status, 303, 'cannot sign in');
	assert.match((await c.get(`/admin/users?q=${encodeURIComponent(u.email)}`)).text, /<td>instructor<\/td><td>Deactivated<\/td>/);

	r = await c.submit(path, { action: 'reactivate' });
	assert.equal(r.status, 303);
	assert.equal(sql(`SELECT is_active FROM users WHERE id = ${uid}`), 't');
	assert.equal(sql(`SELECT count(*) FROM audit_log WHERE action = 'user.reactivate' AND object = 'user:${uid}'`), '1');

	// MFA reset: same effect as `adept mfa reset`.
	sql(`UPDATE users SET totp_secret = 'JBSWY3DPEHPK3PXP', totp_enabled_at = now() WHERE id = ${uid}`);
	r = await c.submit(path, { action: 'mfa_reset' });
	assert.equal(r.status, 303);
	assert.equal(sql(`SELECT totp_enabled_at IS NULL AND totp_secret IS NULL FROM users WHERE id = ${uid}`), 't');
	assert.equal(sql(`SELECT detail::text FROM audit_log WHERE action = 'user.mfa_reset' AND object = 'user:${uid}' AND actor_id = ${adminId}`),
		'{"after": {"totp": false}, "before": {"totp": true}}');

	// Bad action, unknown user.
	assert.equal((await c.submit(path, { action: 'explode' })).status, 400);
	assert.equal((await c.get('/admin/users/999999999')).status, 404);
});

test('an admin cannot deactivate or demote themselves', async () => {
	const { c, id, email } = await newAdmin();
	const path = `/admin/users/${id}`;
	let r = await c.submit(path, { action: 'deactivate' });
	assert.equal(r.status, 400);
	assert.match(r.text, /cannot deactivate your own account/);
	r = await c.submit(path, { action: 'role', role: 'learner' });
	assert.equal(r.status, 400);
	assert.match(r.text, /cannot remove your own admin role/);
	assert.equal(sql(`SELECT role || is_active FROM users WHERE id = ${id}`), 'admintrue');
	assert.equal(sql(`SELECT count(*) FROM audit_log WHERE object = 'user:${id}' AND action IN ('user.role', 'user.deactivate')`), '0');
	const h = await bearer(email, 'admin password 1');
	r = await new Client().postJSON(`/api/v1/admin/users/${id}`, { action: 'deactivate' }, h);
	assert.equal(r.status, 400);
	assert.match(r.json().error.message, /cannot deactivate/);
});

test('JSON twin: GET and POST /api/v1/admin/users/{id}', async () => {
	const { email } = await newAdmin();
	const h = await bearer(email, 'admin password 1');
	const u = await registerUser(new Client());
	const uid = Number(sql(`SELECT id FROM users WHERE email = '${u.email}'`));
	let r = await new Client().get(`/api/v1/admin/users/${uid}`, { headers: h });
	assert.equal(r.status, 200);
	assert.equal(r.json().role, 'learner');
	r = await new Client().postJSON(`/api/v1/admin/users/${uid}`, { action: 'role', role: 'admin' }, h);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json().role, 'admin');
	r = await new Client().postJSON(`/api/v1/admin/users/${uid}`, { action: 'deactivate' }, h);
	assert.equal(r.json().is_active, false);
	r = await new Client().postJSON(`/api/v1/admin/users/${uid}`, { action: 'role' }, h);
	assert.equal(r.status, 400);
	assert.equal((await new Client().get('/api/v1/admin/users/999999999', { headers: h })).status, 404);
});

test('audit log viewer: filters by actor, action and date; paginated; read-only; JSON twin', async () => {
	const { c, email, id: adminId } = await newAdmin('auditor');
	const u = await registerUser(new Client());
	const uid = Number(sql(`SELECT id FROM users WHERE email = '${u.email}'`));
	assert.equal((await c.submit(`/admin/users/${uid}`, { action: 'role', role: 'instructor' })).status, 303);
	assert.equal((await c.submit(`/admin/users/${uid}`, { action: 'mfa_reset' })).status, 303);

	let r = await c.get(`/admin/audit?actor=${encodeURIComponent(email)}`);
	assert.equal(r.status, 200);
	assert.match(r.text, /read-only/);
	assert.ok(r.text.includes(`user:${uid}`));
	assert.match(r.text, /user\.role/);
	assert.match(r.text, /user\.mfa_reset/);
	assert.match(r.text, /&quot;before&quot;: \{&quot;role&quot;: &quot;learner&quot;\}/, 'detail shown, escaped');
	r = await c.get(`/admin/audit?actor=${encodeURIComponent(email)}&action=user.role`);
	assert.ok(!r.text.includes('user.mfa_reset'), 'action filter');
	r = await c.get(`/admin/audit?actor=${encodeURIComponent(email)}&action=user`);
	assert.ok(r.text.includes('user.mfa_reset') && r.text.includes('user.role'), 'action family');
	r = await c.get(`/admin/audit?actor=${encodeURIComponent(email)}&to=2000-01-01`);
	assert.ok(!r.text.includes(`user:${uid}`), 'date filter');
	const today = new Date().toISOString().slice(0, 10);
	r = await c.get(`/admin/audit?actor=${encodeURIComponent(email)}&from=${today}&to=${today}`);
	assert.ok(r.text.includes(`user:${uid}`));
	r = await c.get('/admin/audit?from=2026-02-30');
	assert.equal(r.status, 400);
	assert.match(r.text, /real dates/);

	// Pagination over the JSON twin.
	const h = await bearer(email, 'admin password 1');
	for (let i = 0; i < 50; i++)
		sql(`INSERT INTO audit_log (actor_id, action, object) VALUES (${adminId}, 'test.fill', 'n:${i}')`);
	let j = await new Client().get(`/api/v1/admin/audit?actor=${encodeURIComponent(email)}`, { headers: h });
	assert.equal(j.status, 200);
	assert.equal(j.json().entries.length, 50);
	assert.equal(j.json().more, true);
	assert.equal(j.json().entries[0].object, 'n:49', 'newest first');
	j = await new Client().get(`/api/v1/admin/audit?actor=${encodeURIComponent(email)}&page=2`, { headers: h });
	const e = j.json().entries;
	assert.equal(e.length, 2);
	assert.deepEqual(e.find((x) => x.action === 'user.role').detail, { before: { role: 'learner' }, after: { role: 'instructor' } });
	assert.equal((await c.get(`/admin/audit?actor=${encodeURIComponent(email)}&page=2`)).text.includes('rel="prev"'), true);

	// No route writes to the log: POST is not allowed on the viewer.
	assert.equal((await c.post('/admin/audit', { csrf: 'x' })).status, 405);
	const routes = cli(['routes']).stdout;
	assert.ok(!/POST\s+\S*audit/.test(routes), 'no route edits the audit log');
});

test('system health: database, queue, workers (stale flagged), partitions, disk, request figures', async () => {
	const { c, email } = await newAdmin('health');
	const h = await bearer(email, 'admin password 1');
	const stale = `stale-test-${process.pid}-${Date.now()}`;
	sql(`INSERT INTO job_workers (name, host, pid, last_seen) VALUES ('${stale}', 'nowhere', 1, now() - interval '10 minutes')`);
	// Synthetic access log lines: many recent ones with one latency, and
	// older ones (outside the 5-minute window) that must not count.
	const { appendFileSync } = await import('node:fs');
	const b = (await new Client().get('/api/v1/admin/health', { headers: h })).json().requests;
	const before = b.count;
	const now = new Date().toISOString(), old = new Date(Date.now() - 600e3).toISOString();
	let lines = '';
	for (let i = 0; i < 3000; i++) lines += `${old} 0000000000000000 GET /old 200 1us\n`;
	for (let i = 0; i < 3000; i++) lines += `${now} 0000000000000000 GET /x 200 777777777us\n`;
	appendFileSync(`${process.env.ADEPT_VAR}/log/access.log`, lines);

	const r = await new Client().get('/api/v1/admin/health', { headers: h });
	assert.equal(r.status, 200, r.text);
	const j = r.json();
	assert.equal(j.database.ok, true);
	assert.ok(Math.abs(j.database.size_bytes - Number(sql('SELECT pg_database_size(current_database())'))) < 64e6);
	const q = Object.fromEntries(sql('SELECT state, count(*) FROM jobs GROUP BY state').split('\n').filter(Boolean).map((l) => l.split('|')).map(([s, n]) => [s, Number(n)]));
	for (const s of Object.keys(q)) assert.ok(Math.abs(j.queue[s] - q[s]) <= 2, `queue ${s}`);
	const w = j.workers.find((x) => x.name === stale);
	assert.ok(w && w.stale && w.age_seconds >= 599, 'stale worker flagged');
	assert.ok(j.event_partitions.some((p) => p.name === 'learner_events_default'));
	assert.ok(j.disk.free_bytes > 0 && j.disk.total_bytes >= j.disk.free_bytes);
	assert.equal(j.requests.window_seconds, 300);
	// The 3000 recent lines count, the 3000 old ones do not (a few real
	// requests come and go meanwhile).  Only when the 4 MB tail covers the
	// whole window (a rerun within 5 minutes of a busy run may not).
	if (b.window_complete && j.requests.window_complete) {
		const delta = j.requests.count - before;
		assert.ok(delta >= 2900 && delta < 3500, `count grew by ${delta}`);
	} else
		assert.ok(j.requests.count >= 3000, 'the newest lines are counted');
	assert.equal(j.requests.p99_us, 777777777);
	assert.ok(j.requests.p50_us >= 0 && j.requests.p50_us <= j.requests.p99_us);
	assert.ok(Math.abs(j.requests.per_second - j.requests.count / 300) < 1e-6);

	const p = await c.get('/admin/health');
	assert.equal(p.status, 200);
	assert.ok(p.text.includes(stale) && /<strong>Stale<\/strong>/.test(p.text));
	assert.match(p.text, /777777\.8 ms/);
	assert.match(p.text, /learner_events_default/);
	sql(`DELETE FROM job_workers WHERE name = '${stale}'`);
});

test('admin home: audit log and health cards with their counts', async () => {
	const { c } = await newAdmin('home');
	const audit = sql(`SELECT count(*) FROM audit_log WHERE at > now() - interval '1 day'`);
	const r = await c.get('/admin');
	assert.equal(r.status, 200);
	assert.match(r.text, /href="\/admin\/audit"/);
	assert.match(r.text, /href="\/admin\/health"/);
	const shown = Number(r.text.match(/(\d+) change\(s\) recorded in the last 24 hours/)[1]);
	assert.ok(Math.abs(shown - Number(audit)) <= 5, `${shown} vs ${audit}`);
	assert.match(r.text, /workers \(\d+ stale\)/);
});
