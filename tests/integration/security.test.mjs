// Account security (issue 9, harden): password policy everywhere a
// password is set, TOTP two-factor sign-in (form and API, replay refused,
// recovery codes single use, forced enrolment before any session), the
// session list with revoke, personal-data export and deletion on request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { Client, uniqueEmail, registerUser, sql, cli, randomToken } from './lib.mjs';

function b32decode(s) {
	const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
	let bits = 0, val = 0;
	const out = [];
	for (const ch of s) {
		val = ((val << 5) | abc.indexOf(ch)) & 0xfff;
		bits += 5;
		if (bits >= 8) { out.push((val >>> (bits - 8)) & 255); bits -= 8; }
	}
	return Buffer.from(out);
}

// RFC 6238 with SHA-1, 6 digits, 30-second steps; step defaults to now.
function totp(secret, step = Math.floor(Date.now() / 1000 / 30)) {
	const msg = Buffer.alloc(8);
	msg.writeBigUInt64BE(BigInt(step));
	const h = createHmac('sha1', b32decode(secret)).update(msg).digest();
	const o = h[19] & 15;
	const n = (((h[o] & 127) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3]) % 1000000;
	return String(n).padStart(6, '0');
}
const nowStep = () => Math.floor(Date.now() / 1000 / 30);

const signIn = (c, email, password) => c.submit('/login', { email, password });

// Turns TOTP on from the account page with the previous step's code (so
// this step's and the next are still unused); returns { secret, codes,
// step }.  Starts early in a step, so the steps used stay in the window.
async function enrol(c) {
	const into = (Date.now() / 1000) % 30;
	if (into > 20) await new Promise((ok) => setTimeout(ok, (31 - into) * 1000));
	const step = nowStep();
	const page = await c.get('/account/security/totp');
	assert.equal(page.status, 200);
	assert.match(page.text, /<svg class="qr"[^>]*role="img"/);
	const secret = page.text.match(/Key: <code>([A-Z2-7]+)<\/code>/)[1];
	const r = await c.submit('/account/security/totp', { code: totp(secret, step - 1) });
	assert.equal(r.status, 200, r.text);
	const codes = r.text.match(/<pre class="codes">([^<]*)<\/pre>/)[1].split('\n');
	return { secret, codes, step };
}

test('password policy: common passwords refused on register, API register, change, CLI', async () => {
	const c = new Client();
	const email = uniqueEmail('weak');
	let r = await c.submit('/register', { name: 'Weak', email, password: 'Password123', password_confirm: 'Password123' });
	assert.equal(r.status, 400);
	assert.match(r.text, /most common/);
	assert.equal(sql(`SELECT count(*) FROM users WHERE email = '${email}'`), '0');
	r = await new Client().postJSON('/api/v1/auth/register', { email: uniqueEmail('weak'), password: 'letmein2024', full_name: 'W' });
	assert.equal(r.status, 400);
	r = await new Client().postJSON('/api/v1/auth/register', { email, password: email, full_name: 'W' });
	assert.equal(r.status, 400);
	assert.match(r.text, /e-mail/);
	const u = await registerUser(c);
	r = await c.submit('/account', { current_password: u.password, new_password: 'qwerty123', new_password_confirm: 'qwerty123' }, '/account/password');
	assert.equal(r.status, 400);
	assert.match(r.text, /most common/);
	const out = cli(['user', 'add', '--email', uniqueEmail('cli'), '--password', 'sunshine1', '--name', 'C', '--role', 'learner']);
	assert.equal(out.status, 2);
	assert.match(out.stderr, /common/);
});

test('TOTP: enrol, then sign-in needs a code; wrong and replayed codes fail; recovery codes work once', async () => {
	const c = new Client();
	const u = await registerUser(c);
	const { secret, codes, step } = await enrol(c);
	assert.equal(codes.length, 10);
	assert.match(codes[0], /^[a-z2-7]{5}-[a-z2-7]{5}$/);
	// Stored sealed and hashed, not as shown.
	const row = sql(`SELECT totp_secret FROM users WHERE email = '${u.email}'`);
	assert.ok(!row.includes(secret) && row.length > 100);
	assert.equal(sql(`SELECT count(*) FROM recovery_codes r JOIN users u ON u.id = r.user_id WHERE u.email = '${u.email}' AND r.code_hash LIKE '${codes[0].replace('-', '')}%'`), '0');

	await c.post('/logout', { csrf: await c.csrf('/dashboard') });
	const b = new Client();
	let r = await signIn(b, u.email, u.password);
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), '/login/mfa');
	assert.ok(!b.jar.has('adept_rt'), 'no session before the second factor');
	assert.equal((await b.get('/dashboard')).status, 303);
	r = await b.submit('/login/mfa', { code: '000000' === totp(secret) ? '111111' : '000000' });
	assert.equal(r.status, 401);
	// The enrolment's own code cannot sign in.
	r = await b.submit('/login/mfa', { code: totp(secret, step - 1) });
	assert.equal(r.status, 401);
	r = await b.submit('/login/mfa', { code: totp(secret, step) });
	assert.equal(r.status, 303);
	assert.equal((await b.get('/dashboard')).status, 200);

	// The same code again (same step) is refused.
	const b2 = new Client();
	await signIn(b2, u.email, u.password);
	r = await b2.submit('/login/mfa', { code: totp(secret, step) });
	assert.equal(r.status, 401);
	// A recovery code works, once.
	r = await b2.submit('/login/mfa', { code: codes[3].toUpperCase() });
	assert.equal(r.status, 303);
	const b3 = new Client();
	await signIn(b3, u.email, u.password);
	r = await b3.submit('/login/mfa', { code: codes[3] });
	assert.equal(r.status, 401);
	const s = (await b2.get('/api/v1/me/security')).json();
	assert.equal(s.two_factor, true);
	assert.equal(s.recovery_codes_left, 9);

	// API sign-in: 401 mfa_required without "totp", then with the next code.
	const api = new Client();
	r = await api.postJSON('/api/v1/auth/login', { email: u.email, password: u.password });
	assert.equal(r.status, 401);
	assert.equal(r.json().mfa_required, true);
	assert.equal(r.json().access_token, undefined);
	r = await api.postJSON('/api/v1/auth/login', { email: u.email, password: u.password, totp: '123' });
	assert.equal(r.status, 401);
	r = await api.postJSON('/api/v1/auth/login', { email: u.email, password: u.password, totp: totp(secret, step + 1) });
	assert.equal(r.status, 200, r.text);
	assert.ok(r.json().access_token);
});

test('TOTP: a pending-login cookie with its user or expiry changed is refused (HMAC)', async () => {
	const c = new Client();
	const u = await registerUser(c);
	await enrol(c);
	const b = new Client();
	await signIn(b, u.email, u.password);
	const v = b.jar.get('adept_mfa');
	assert.ok(v);
	const parts = v.split('.');
	b.jar.set('adept_mfa', [String(Number(parts[0]) + 1), ...parts.slice(1)].join('.'));
	let r = await b.get('/login/mfa');
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), '/login');
	b.jar.set('adept_mfa', [parts[0], String(Math.floor(Date.now() / 1000) - 1), ...parts.slice(2)].join('.'));
	r = await b.get('/login/mfa');
	assert.equal(r.status, 303);
});

test('TOTP required for an account: enrol at sign-in before any session; cannot turn it off', async () => {
	const c = new Client();
	const u = await registerUser(c);
	await c.post('/logout', { csrf: await c.csrf('/dashboard') });
	// mfa_required is what admins get by default (ADEPT_ADMIN_MFA unset).
	const out = cli(['mfa', 'require', u.email]);
	assert.equal(out.status, 0, out.stderr);
	assert.equal(sql(`SELECT mfa_required FROM users WHERE email = '${u.email}'`), 't');
	let r = await new Client().postJSON('/api/v1/auth/login', { email: u.email, password: u.password });
	assert.equal(r.status, 403);
	assert.equal(r.json().mfa_enrolment_required, true);
	const b = new Client();
	r = await signIn(b, u.email, u.password);
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), '/login/mfa/setup');
	assert.ok(!b.jar.has('adept_rt'));
	const page = await b.get('/login/mfa/setup');
	assert.equal(page.status, 200);
	const secret = page.text.match(/Key: <code>([A-Z2-7]+)<\/code>/)[1];
	r = await b.submit('/login/mfa/setup', { code: '12345' });
	assert.equal(r.status, 400);
	assert.ok(!b.jar.has('adept_rt'));
	r = await b.submit('/login/mfa/setup', { code: totp(secret) });
	assert.equal(r.status, 200);
	assert.match(r.text, /recovery codes/);
	assert.ok(b.jar.has('adept_rt'));
	assert.equal((await b.get('/dashboard')).status, 200);
	r = await b.submit('/account/security', { password: u.password }, '/account/security/totp/disable');
	assert.equal(r.status, 403);
	assert.equal(sql(`SELECT totp_enabled_at IS NOT NULL FROM users WHERE email = '${u.email}'`), 't');
});

test('sessions: listed per user, one revoked from another browser; others\' sessions are not found', async () => {
	const a = new Client();
	const u = await registerUser(a);
	const b = new Client();
	assert.equal((await signIn(b, u.email, u.password)).status, 303);
	const s = (await a.get('/api/v1/me/security')).json();
	assert.equal(s.sessions.length, 2);
	assert.equal(s.sessions.filter((x) => x.current).length, 1);
	assert.equal(s.sessions[0].ip, '127.0.0.1');
	assert.ok(s.sessions[0].user_agent.length > 0, 'the User-Agent is kept');
	const other = s.sessions.find((x) => !x.current);
	const page = await a.get('/account/security');
	assert.match(page.text, /this browser/);
	let r = await a.submit('/account/security', { session: other.id }, '/account/security/sessions/revoke');
	assert.equal(r.status, 303);
	assert.equal((await b.get('/dashboard')).status, 303);
	assert.equal((await a.get('/dashboard')).status, 200);
	// Someone else cannot revoke a's session.
	const x = new Client();
	await registerUser(x);
	const mine = (await a.get('/api/v1/me/security')).json().sessions[0].id;
	r = await x.submit('/account/security', { session: mine }, '/account/security/sessions/revoke');
	assert.equal(r.status, 404);
	assert.equal((await a.get('/dashboard')).status, 200);
});

test('personal data: export as JSON without secrets; delete anonymises and signs out everywhere', async () => {
	const a = new Client();
	const u = await registerUser(a, { name: 'Erin Export' });
	const b = new Client();
	await signIn(b, u.email, u.password);
	let r = await a.get('/api/v1/me/export');
	assert.equal(r.status, 200);
	const d = r.json();
	assert.equal(d.account.email, u.email);
	assert.equal(d.account.full_name, 'Erin Export');
	for (const k of ['enrollments', 'lesson_progress', 'events', 'notifications', 'certificates', 'sessions'])
		assert.ok(Array.isArray(d[k]), k);
	assert.ok(!/argon2|password_hash|token_hash/.test(r.text));
	assert.equal((await new Client().get('/api/v1/me/export')).status, 401);
	assert.equal((await a.get('/account/data')).status, 200);

	r = await a.submit('/account/data', { password: u.password, confirm: 'yes' }, '/account/data/delete');
	assert.equal(r.status, 400);
	r = await a.submit('/account/data', { password: 'not my password', confirm: 'DELETE' }, '/account/data/delete');
	assert.equal(r.status, 400);
	const id = sql(`SELECT id FROM users WHERE email = '${u.email}'`);
	r = await a.submit('/account/data', { password: u.password, confirm: 'DELETE' }, '/account/data/delete');
	assert.equal(r.status, 303);
	assert.equal(sql(`SELECT email || '|' || full_name || '|' || is_active FROM users WHERE id = ${id}`),
		`deleted-${id}@deleted.invalid|Deleted user|false`);
	assert.equal(sql(`SELECT count(*) FROM learner_profiles WHERE user_id = ${id}`), '0');
	assert.equal(sql(`SELECT count(*) FROM refresh_tokens WHERE user_id = ${id} AND revoked_at IS NULL`), '0');
	assert.equal((await b.get('/dashboard')).status, 303);
	assert.equal((await signIn(new Client(), u.email, u.password)).status, 401);
});

test('password policy on reset: a common password is refused and the link still works after', async () => {
	const c = new Client();
	const u = await registerUser(c);
	const token = randomToken();
	const hash = createHash('sha256').update(token).digest('hex');
	sql(`INSERT INTO password_resets (user_id, token_hash, expires_at) SELECT id, '${hash}', now() + interval '1 hour' FROM users WHERE email = '${u.email}'`);
	let r = await new Client().postJSON('/api/v1/auth/password/reset', { token, password: 'iloveyou2', password_confirm: 'iloveyou2' });
	assert.equal(r.status, 400);
	assert.match(r.text, /most common/);
	r = await new Client().postJSON('/api/v1/auth/password/reset', { token, password: 'seven brisk otters', password_confirm: 'seven brisk otters' });
	assert.equal(r.status, 200, r.text);
});

test('TOTP: wrong codes are throttled like wrong passwords (API)', async () => {
	const c = new Client();
	const u = await registerUser(c);
	const { secret, step } = await enrol(c);
	const api = new Client();
	const wrong = totp(secret, step) === '000000' ? '111111' : '000000';
	for (let i = 0; i < 5; i++) {
		const r = await api.postJSON('/api/v1/auth/login', { email: u.email, password: u.password, totp: wrong });
		assert.equal(r.status, 401, `attempt ${i + 1}`);
	}
	const r = await api.postJSON('/api/v1/auth/login', { email: u.email, password: u.password, totp: totp(secret, step) });
	assert.equal(r.status, 429);
	assert.ok(Number(r.headers.get('retry-after')) > 0);
});

test('JSON twins: enrol, new recovery codes, turn off (Bearer)', async () => {
	const email = uniqueEmail('apitotp'), password = 'nine green kites';
	const api = new Client();
	assert.equal((await api.postJSON('/api/v1/auth/register', { email, password, full_name: 'Api T' })).status, 201);
	const auth = async (extra = {}) => {
		const r = await api.postJSON('/api/v1/auth/login', { email, password, ...extra });
		return { status: r.status, h: r.status === 200 ? { authorization: `Bearer ${r.json().access_token}` } : null };
	};
	const { h } = await auth();
	const into = (Date.now() / 1000) % 30;
	if (into > 20) await new Promise((ok) => setTimeout(ok, (31 - into) * 1000));
	const step = nowStep();
	let r = await api.postJSON('/api/v1/me/totp', {}, h);
	assert.equal(r.status, 200);
	const { secret, otpauth_uri: uri } = r.json();
	assert.match(uri, new RegExp(`^otpauth://totp/Adept%3A.*secret=${secret}&issuer=Adept`));
	r = await api.postJSON('/api/v1/me/totp', { code: totp(secret, step - 3) }, h);
	assert.equal(r.status, 400);
	r = await api.postJSON('/api/v1/me/totp', { code: totp(secret, step - 1) }, h);
	assert.equal(r.status, 200);
	const first = r.json().recovery_codes;
	assert.equal(first.length, 10);
	assert.equal((await api.postJSON('/api/v1/me/totp', {}, h)).status, 409);
	r = await api.postJSON('/api/v1/me/recovery', { password: 'wrong one here' }, h);
	assert.equal(r.status, 400);
	r = await api.postJSON('/api/v1/me/recovery', { password }, h);
	assert.equal(r.status, 200);
	const second = r.json().recovery_codes;
	assert.equal(second.length, 10);
	assert.ok(!second.includes(first[0]));
	assert.equal((await auth({ totp: first[0] })).status, 401, 'old codes are gone');
	assert.equal((await auth({ totp: second[0] })).status, 200);
	r = await api.postJSON('/api/v1/me/totp/disable', { password }, h);
	assert.equal(r.status, 200);
	assert.equal((await auth()).status, 200);
	assert.equal(sql(`SELECT count(*) FROM recovery_codes r JOIN users u ON u.id = r.user_id WHERE u.email = '${email}'`), '0');
});

test('adept mfa reset: TOTP off, codes gone, every session ended, audited', async () => {
	const c = new Client();
	const u = await registerUser(c);
	await enrol(c);
	assert.equal(cli(['mfa', 'reset', 'nobody-here@example.org']).status, 1);
	assert.equal(cli(['mfa', 'frobnicate', u.email]).status, 2);
	const out = cli(['mfa', 'reset', u.email]);
	assert.equal(out.status, 0, out.stderr);
	assert.equal((await c.get('/dashboard')).status, 303);
	assert.equal(sql(`SELECT totp_secret IS NULL AND totp_enabled_at IS NULL FROM users WHERE email = '${u.email}'`), 't');
	assert.equal(sql(`SELECT count(*) FROM recovery_codes r JOIN users u ON u.id = r.user_id WHERE u.email = '${u.email}'`), '0');
	assert.equal(sql(`SELECT count(*) FROM audit_log a JOIN users u ON a.object = 'user:' || u.id WHERE u.email = '${u.email}' AND a.action = 'user.mfa_reset'`), '1');
	const b = new Client();
	const r = await signIn(b, u.email, u.password);
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), '/dashboard');
});
