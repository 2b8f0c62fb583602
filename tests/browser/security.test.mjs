// The account-security pages (issue 9, harden) as served, checked by the
// Nu HTML checker and axe-core: security overview (off and on, with two
// sessions), enrolment with the QR code (and with an error), recovery
// codes, the second sign-in step (and with an error), enrolment at
// sign-in, and the personal-data page (and with an error).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { vnuErrors, axeProblems, launchBrowser } from './check.mjs';
import { Client, registerUser, sql } from '../integration/lib.mjs';

const BASE = process.env.ADEPT_URL || 'http://127.0.0.1:18080';

function totp(secret, step = Math.floor(Date.now() / 1000 / 30)) {
	const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
	let bits = 0, val = 0;
	const key = [];
	for (const ch of secret) {
		val = ((val << 5) | abc.indexOf(ch)) & 0xfff;
		bits += 5;
		if (bits >= 8) { key.push((val >>> (bits - 8)) & 255); bits -= 8; }
	}
	const msg = Buffer.alloc(8);
	msg.writeBigUInt64BE(BigInt(step));
	const h = createHmac('sha1', Buffer.from(key)).update(msg).digest();
	const o = h[19] & 15;
	return String((((h[o] & 127) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3]) % 1000000).padStart(6, '0');
}
const keyOf = (html) => html.match(/Key: <code>([A-Z2-7]+)<\/code>/)[1];

let browser;
const pages = new Map();

before(async () => {
	browser = await launchBrowser();
	const c = new Client();
	const u = await registerUser(c, { name: 'Sam Secure' });
	pages.set('security-off', (await c.get('/account/security')).text);
	const enrol = await c.get('/account/security/totp');
	pages.set('totp', enrol.text);
	const secret = keyOf(enrol.text);
	pages.set('totp-error', (await c.submit('/account/security/totp', { code: '12' })).text);
	pages.set('codes', (await c.submit('/account/security/totp', { code: totp(secret) })).text);
	const b = new Client();
	await b.submit('/login', { email: u.email, password: u.password });
	pages.set('mfa', (await b.get('/login/mfa')).text);
	pages.set('mfa-error', (await b.submit('/login/mfa', { code: '000000' === totp(secret) ? '111111' : '000000' })).text);
	pages.set('security-on', (await c.get('/account/security?revoked=1')).text);
	pages.set('data', (await c.get('/account/data')).text);
	pages.set('data-error', (await c.submit('/account/data', { password: 'x', confirm: 'no' }, '/account/data/delete')).text);

	const m = new Client();
	const v = await registerUser(m);
	await m.post('/logout', { csrf: await m.csrf('/dashboard') });
	sql(`UPDATE users SET mfa_required = true WHERE email = '${v.email}'`);
	await m.submit('/login', { email: v.email, password: v.password });
	pages.set('setup-at-login', (await m.get('/login/mfa/setup')).text);
});

after(async () => {
	await browser?.close();
});

test('the pages were served', () => {
	assert.match(pages.get('security-off'), /is <strong>off<\/strong>/);
	assert.match(pages.get('security-on'), /is <strong>on<\/strong>/);
	assert.match(pages.get('security-on'), /this browser/);
	assert.match(pages.get('totp'), /<svg class="qr"/);
	assert.match(pages.get('codes'), /<pre class="codes">/);
	assert.match(pages.get('mfa-error'), /Wrong or already used code/);
	assert.match(pages.get('setup-at-login'), /needs two-factor sign-in/);
	assert.equal(pages.size, 10);
});

test('security pages are valid HTML (Nu checker)', () => {
	assert.deepEqual(vnuErrors(pages), []);
});

test('security pages have no serious accessibility problems (axe)', async () => {
	assert.deepEqual(await axeProblems(browser, BASE, pages), []);
});
