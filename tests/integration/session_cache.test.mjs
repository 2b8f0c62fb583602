// The FastCGI threads' session cache (src/http/auth_cache.h): a change made
// through the site holds from the very next request, whichever worker
// thread takes it; a change made elsewhere (psql here, like the adept
// command or the background worker) holds once PostgreSQL has delivered its
// notification, long before the cache's 5 s bound.  Each check sends the
// same cookies (or Bearer token) several times in a row so that every
// worker thread (the test stack runs 2 workers x 2 threads), each with its
// own cache warmed just before, has to answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, Client, registerUser, uniqueEmail, sql, cli } from './lib.mjs';

const ROUNDS = 12;	// consecutive requests: every accept thread gets some

// Statuses of ROUNDS requests to path with fixed headers (no cookie jar:
// a refusal that clears the cookies must not change what is sent next).
async function statuses(path, headers) {
	const out = [];
	for (let i = 0; i < ROUNDS; i++) {
		const res = await fetch(BASE + path, { headers, redirect: 'manual' });
		await res.text();
		out.push(res.status);
	}
	return out;
}

const all = (n) => Array(ROUNDS).fill(n);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const cookiesOf = (c) => ({ cookie: c.cookieHeader() });

async function newAdmin() {
	const email = uniqueEmail('cacheadm');
	assert.equal(cli(['user', 'add', '--email', email, '--password', 'admin password 1', '--name', 'Cache Admin', '--role', 'admin']).status, 0);
	const c = new Client();
	assert.equal((await c.submit('/login', { email, password: 'admin password 1' })).status, 303);
	return c;
}

async function learner() {
	const c = new Client();
	const u = await registerUser(c);
	const uid = Number(sql(`SELECT id FROM users WHERE email = '${u.email}'`));
	return { c, u, uid };
}

test('a session revoked from another browser is refused on the very next request, by every thread', async () => {
	const { c: a, u } = await learner();
	const b = new Client();
	assert.equal((await b.submit('/login', { email: u.email, password: u.password })).status, 303);
	const bh = cookiesOf(b);
	assert.deepEqual(await statuses('/notifications', bh), all(200), 'warm: every thread has b\'s session');
	const other = (await a.get('/api/v1/me/security')).json().sessions.find((x) => !x.current);
	const r = await a.submit('/account/security', { session: other.id }, '/account/security/sessions/revoke');
	assert.equal(r.status, 303);
	assert.deepEqual(await statuses('/notifications', bh), all(303), 'b is sent to sign in at once');
	assert.deepEqual(await statuses('/notifications', cookiesOf(a)), all(200), 'a keeps its session');
});

test('sign-out ends the session for a Bearer token and for copied cookies at once', async () => {
	const { c, u } = await learner();
	const stolen = cookiesOf(c);
	const tok = (await new Client().postJSON('/api/v1/auth/login', { email: u.email, password: u.password })).json().access_token;
	const bearer = { authorization: `Bearer ${tok}` };
	assert.deepEqual(await statuses('/api/v1/notifications', bearer), all(200));
	assert.deepEqual(await statuses('/notifications', stolen), all(200));
	const csrf = (await c.get('/notifications')).text.match(/name="csrf" value="([^"]+)"/)[1];
	assert.equal((await c.post('/logout', { csrf })).status, 303);
	assert.deepEqual(await statuses('/notifications', stolen), all(303), 'copied cookies sign nobody in');
	assert.deepEqual(await statuses('/api/v1/notifications', bearer), all(200), 'the other session (the API sign-in) is untouched');
	sql(`UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = (SELECT id FROM users WHERE email = '${u.email}') AND revoked_at IS NULL`);
	await sleep(500);
	assert.deepEqual(await statuses('/api/v1/notifications', bearer), all(401), 'revoked with psql: refused well within the 5 s bound');
});

test('a role change by an admin holds on the very next request; deactivation too', async () => {
	const admin = await newAdmin();
	const { c, uid } = await learner();
	const h = cookiesOf(c);
	assert.deepEqual(await statuses('/teach', h), all(403), 'a learner cannot teach');
	const path = `/admin/users/${uid}`;
	assert.equal((await admin.submit(path, { action: 'role', role: 'instructor' })).status, 303);
	assert.deepEqual(await statuses('/teach', h), all(200), 'promoted: every thread knows');
	assert.equal((await admin.submit(path, { action: 'role', role: 'learner' })).status, 303);
	assert.deepEqual(await statuses('/teach', h), all(403), 'demoted: every thread knows');
	assert.equal((await admin.submit(path, { action: 'deactivate' })).status, 303);
	assert.deepEqual(await statuses('/notifications', h), all(303), 'deactivated: signed out everywhere');
});

test('changes made outside the site (psql) hold within the bound: deactivation, role, name', async () => {
	const { c, uid } = await learner();
	const h = cookiesOf(c);
	assert.deepEqual(await statuses('/teach', h), all(403));
	sql(`UPDATE users SET role = 'instructor', full_name = 'Renamed Outside' WHERE id = ${uid}`);
	await sleep(500);
	assert.deepEqual(await statuses('/teach', h), all(200), 'role changed with psql');
	const page = await fetch(BASE + '/notifications', { headers: h });
	assert.match(await page.text(), /Renamed Outside/, 'the header shows the new name');
	// Deactivated without revoking the sessions: the identity check alone
	// must refuse (the cache may not keep a user it was told is gone).
	sql(`UPDATE users SET is_active = false WHERE id = ${uid}`);
	await sleep(500);
	assert.deepEqual(await statuses('/notifications', h), all(303), 'deactivated with psql');
});

test('the unread count in the header follows new notifications and marking read', async () => {
	const { c, uid } = await learner();
	const h = cookiesOf(c);
	const badge = async () => {
		const seen = [];
		for (let i = 0; i < ROUNDS; i++) {
			const t = await (await fetch(BASE + '/catalog', { headers: h })).text();
			seen.push(Number(t.match(/<span class="badge">(\d+)/)?.[1] ?? 0));
		}
		return seen;
	};
	assert.deepEqual(await badge(), all(0));
	sql(`INSERT INTO notifications (user_id, kind, body, url) SELECT ${uid}, 'test', 'note ' || i, '/' FROM generate_series(1, 3) i`);
	await sleep(500);
	assert.deepEqual(await badge(), all(3), 'inserted elsewhere: seen within the bound');
	const csrf = (await c.get('/notifications')).text.match(/name="csrf" value="([^"]+)"/)[1];
	assert.equal((await c.post('/notifications/read-all', { csrf })).status, 303);
	assert.deepEqual(await badge(), all(0), 'read through the site: the very next page');
});
