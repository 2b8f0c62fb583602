// Bad input through real nginx: every case gets a clear 4xx, no worker
// crashes, and nothing is written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Client, registerUser, uniqueEmail, sql, mintJWT, randomToken, VAR } from './lib.mjs';

let usersBefore, logBefore;

function supervisorLog() {
	try { return readFileSync(`${VAR}/log/adept.log`, 'utf8'); } catch { return ''; }
}

before(() => {
	usersBefore = sql('SELECT count(*) FROM users');
	logBefore = supervisorLog().length;
});

async function formPost(body, path = '/register') {
	const c = new Client();
	const csrf = await c.csrf(path);
	return c.post(path, `csrf=${csrf}&${body}`);
}

test('malformed percent-encoding: 400 in the query and in a form', async () => {
	let r = await new Client().get('/login?next=%zz');
	assert.equal(r.status, 400);
	assert.match(r.text, /escape|percent/i);
	r = await formPost('name=%4&email=a%40example.org&password=xxxxxxxx&password_confirm=xxxxxxxx');
	assert.equal(r.status, 400);
});

test('invalid UTF-8: 400', async () => {
	let r = await formPost('name=%C3%28&email=a%40example.org&password=xxxxxxxx&password_confirm=xxxxxxxx');
	assert.equal(r.status, 400);
	assert.match(r.text, /UTF-8/);
	r = await formPost('name=%ED%A0%80&email=a%40example.org&password=xxxxxxxx&password_confirm=xxxxxxxx');
	assert.equal(r.status, 400, 'surrogate');
	r = await formPost('name=a%00b&email=a%40example.org&password=xxxxxxxx&password_confirm=xxxxxxxx');
	assert.equal(r.status, 400, 'NUL byte');
	r = await new Client().req('POST', '/api/v1/auth/login', { body: Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), type: 'application/json' });
	assert.equal(r.status, 400);
});

test('oversized body: 413', async () => {
	const big = 'name=' + 'a'.repeat(2 * 1024 * 1024);
	const r = await new Client().post('/register', big);
	assert.equal(r.status, 413);
	const j = await new Client().req('POST', '/api/v1/auth/login', { body: '{"email":"' + 'a'.repeat(2 * 1024 * 1024) + '"}', type: 'application/json' });
	assert.equal(j.status, 413);
	assert.ok(j.json().error.message);
});

test('too many fields: 400', async () => {
	const body = Array.from({ length: 500 }, (_, i) => `f${i}=1`).join('&');
	const r = await formPost(body);
	assert.equal(r.status, 400);
	assert.match(r.text, /too many/i);
});

test('missing or wrong CSRF token: 403', async () => {
	const fields = { name: 'X', email: uniqueEmail('nocsrf'), password: 'xxxxxxxx1', password_confirm: 'xxxxxxxx1' };
	const c = new Client();
	await c.get('/register');
	let r = await c.post('/register', fields);
	assert.equal(r.status, 403);
	r = await c.post('/register', { ...fields, csrf: 'A'.repeat(43) });
	assert.equal(r.status, 403);
	// A token from another visitor's pre-session cookie does not transfer.
	const other = await new Client().csrf('/register');
	r = await c.post('/register', { ...fields, csrf: other });
	assert.equal(r.status, 403);
	// Signed in: the session token is required for sign-out.
	const s = new Client();
	await registerUser(s);
	r = await s.post('/logout', {});
	assert.equal(r.status, 403);
	assert.equal((await s.get('/dashboard')).status, 200, 'still signed in');
});

test('tampered, expired, alg:none and HS512 tokens: 401', async () => {
	const c = new Client();
	const email = uniqueEmail('jwt');
	await c.postJSON('/api/v1/auth/register', { email, password: 'jwt password 1', full_name: 'J' });
	const t = (await c.postJSON('/api/v1/auth/login', { email, password: 'jwt password 1' })).json();
	const me = (tok) => new Client().get('/api/v1/me', { headers: { authorization: `Bearer ${tok}` } });
	assert.equal((await me(t.access_token)).status, 200);

	const [h, p, s] = t.access_token.split('.');
	const claims = JSON.parse(Buffer.from(p, 'base64url'));
	const tampered = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
	assert.equal((await me(`${h}.${tampered}.${s}`)).status, 401, 'tampered payload');
	assert.equal((await me(`${h}.${p}.${s.slice(0, -2)}AA`)).status, 401, 'tampered signature');

	const now = Math.floor(Date.now() / 1000);
	assert.equal((await me(mintJWT(claims))).status, 200, 'control: our own minting is accepted');
	assert.equal((await me(mintJWT({ ...claims, iat: now - 7200, nbf: now - 7200, exp: now - 3600 }))).status, 401, 'expired');
	assert.equal((await me(mintJWT({ ...claims, nbf: now + 3600 }))).status, 401, 'not yet valid');
	assert.equal((await me(mintJWT(claims, { alg: 'none', sign: false }))).status, 401, 'alg none');
	assert.equal((await me(mintJWT(claims, { alg: 'HS512' }))).status, 401, 'HS512 with the same key');
	assert.equal((await me(mintJWT(claims, { alg: 'HS384' }))).status, 401, 'HS384 with the same key');
	assert.equal((await me(mintJWT({ ...claims, iss: 'evil' }))).status, 401, 'wrong iss');
	assert.equal((await me(mintJWT({ ...claims, aud: 'evil' }))).status, 401, 'wrong aud');
	assert.equal((await me('garbage')).status, 401);
	assert.equal((await me('a'.repeat(5000))).status, 401, 'over our 4 KiB limit');

	// The same tokens in the cookie are ignored (anonymous), never trusted.
	const forged = new Client();
	forged.jar.set('adept_at', mintJWT(claims, { alg: 'HS512' }));
	assert.equal((await forged.get('/dashboard')).status, 303);
});

test('reused refresh token: 401 and the family is revoked', async () => {
	const c = new Client();
	const email = uniqueEmail('reuse');
	await c.postJSON('/api/v1/auth/register', { email, password: 'reuse password 1', full_name: 'R' });
	const t1 = (await c.postJSON('/api/v1/auth/login', { email, password: 'reuse password 1' })).json();
	const t2 = (await new Client().postJSON('/api/v1/auth/refresh', { refresh_token: t1.refresh_token })).json();
	const r = await new Client().postJSON('/api/v1/auth/refresh', { refresh_token: t1.refresh_token });
	assert.equal(r.status, 401);
	const uid = sql(`SELECT id FROM users WHERE email = '${email}'`);
	assert.equal(sql(`SELECT count(*) FROM refresh_tokens WHERE user_id = ${uid} AND revoked_at IS NULL`), '0');
	assert.equal((await new Client().postJSON('/api/v1/auth/refresh', { refresh_token: t2.refresh_token })).status, 401);
	assert.equal((await new Client().postJSON('/api/v1/auth/refresh', { refresh_token: randomToken() })).status, 401);
	assert.equal((await new Client().postJSON('/api/v1/auth/refresh', { refresh_token: 'bad token!' })).status, 400);
});

test('cookie sessions refresh transparently and rotate', async () => {
	const c = new Client();
	await registerUser(c);
	const rt = c.jar.get('adept_rt');
	// An expired access token: the refresh cookie renews the session.
	c.jar.set('adept_at', 'expired.or.garbage');
	const r = await c.get('/dashboard');
	assert.equal(r.status, 200);
	assert.notEqual(c.jar.get('adept_rt'), rt, 'refresh token rotated');
	// The old refresh cookie replayed elsewhere revokes the family.
	const thief = new Client();
	thief.jar.set('adept_rt', rt);
	assert.equal((await thief.get('/dashboard')).status, 303);
	c.jar.set('adept_at', 'x');
	assert.equal((await c.get('/dashboard')).status, 303, 'owner signed out too after reuse');
});

test('unknown route 404, wrong method 405, as HTML or JSON', async () => {
	let r = await new Client().get('/no/such/page');
	assert.equal(r.status, 404);
	assert.match(r.headers.get('content-type'), /text\/html/);
	r = await new Client().get('/api/v1/nothing');
	assert.equal(r.status, 404);
	assert.equal(r.json().error.status, 404);
	r = await new Client().get('/logout');
	assert.equal(r.status, 405);
	assert.ok(r.headers.get('allow'));
	r = await new Client().req('DELETE', '/login');
	assert.equal(r.status, 405);
	r = await new Client().req('POST', '/api/v1/me', { body: '{}', type: 'application/json' });
	assert.equal(r.status, 405);
});

test('bad JSON and wrong content type: clear 4xx', async () => {
	let r = await new Client().req('POST', '/api/v1/auth/login', { body: '{"email": ', type: 'application/json' });
	assert.equal(r.status, 400);
	assert.match(r.json().error.message, /JSON/);
	r = await new Client().req('POST', '/api/v1/auth/login', { body: '[1,2]', type: 'application/json' });
	assert.equal(r.status, 400);
	r = await new Client().req('POST', '/api/v1/auth/login', { body: '{"email":{"a":1},"password":"x"}', type: 'application/json' });
	assert.equal(r.status, 400);
	r = await new Client().req('POST', '/api/v1/auth/login', { body: 'email=a', type: 'text/plain' });
	assert.equal(r.status, 415);
	r = await new Client().postJSON('/api/v1/auth/register', { email: 'bad', password: 'x', full_name: '' });
	assert.equal(r.status, 400);
	assert.ok(r.json().error.message);
});

after(async () => {
	// None of the above wrote a user (registerUser calls made their own:
	// count only those from this file's bad inputs by e-mail prefix).
	const bad = sql(`SELECT count(*) FROM users WHERE email LIKE 'nocsrf-%' OR email = 'a@example.org'`);
	assert.equal(bad, '0', 'no user written by rejected requests');
	const log = supervisorLog().slice(logBefore);
	assert.doesNotMatch(log, /killed by signal|exited with/, 'no worker died');
	const r = await new Client().get('/healthz');
	assert.equal(r.status, 200);
	void usersBefore;
});

test('multipart to a route that takes no files: 415, nothing stored', async () => {
	const c = new Client();
	const csrf = await c.csrf('/register');
	const fd = new FormData();
	fd.append('csrf', csrf);
	fd.append('name', 'X');
	fd.append('cover', new Blob([Buffer.from('89504e470d0a1a0a', 'hex')]), 'x.png');
	const r = await fetch(`${process.env.ADEPT_URL || 'http://127.0.0.1:18080'}/register`,
		{ method: 'POST', body: fd, headers: { cookie: c.cookieHeader() }, redirect: 'manual' });
	assert.equal(r.status, 415);
	assert.match(await r.text(), /uploads are not accepted/i);
});

test('JSON body with a query string: both parsed, body wins', async () => {
	const email = uniqueEmail('jq');
	const qs = Array.from({ length: 150 }, (_, i) => `q${i}=${i}`).join('&');
	const r = await new Client().req('POST', `/api/v1/auth/register?email=ignored%40example.org&${qs}`,
		{ body: JSON.stringify({ email, password: 'query password 1', full_name: 'Q' }), type: 'application/json' });
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json().email, email);
});
