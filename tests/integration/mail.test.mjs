// E-mail end to end against a real SMTP server on loopback (smtp_server.mjs):
// the welcome mail with text and HTML parts, password reset (single use,
// expiry, sessions revoked), preferences, the unsubscribe link (page and
// RFC 8058 one-click POST), and an SMTP server that is down (the action
// succeeds, the mail waits and goes out once the server is back).
//
// The stack must be started with the same ADEPT_SMTP_URL (run.sh exports
// it) and ADEPT_MAIL_RETRY_BASE=1; the tests also send with `adept mail
// send` so that they do not wait for the worker's schedule.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { Client, registerUser, uniqueEmail, sql } from './lib.mjs';
import { startSMTP } from './smtp_server.mjs';

const SMTP_URL = process.env.ADEPT_SMTP_URL || 'smtp://adept:mail%20secret@127.0.0.1:18025';
const url = new URL(SMTP_URL);
const SMTP = { port: Number(url.port), user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) };
const ENV = { ...process.env, ADEPT_SMTP_URL: SMTP_URL, ADEPT_MAIL_RETRY_BASE: '1' };
const q = (s) => `'${String(s).replace(/'/g, "''")}'`;

let smtp;

// `adept mail send` with the test's SMTP settings.  Asynchronous: the SMTP
// server lives in this process and must keep answering meanwhile.
function sendNow(extra = {}) {
	return new Promise((resolve, reject) => {
		const p = spawn(process.env.ADEPT_BIN, ['mail', 'send'], { env: { ...ENV, ...extra } });
		let out = '', err = '';
		p.stdout.on('data', (d) => { out += d; });
		p.stderr.on('data', (d) => { err += d; });
		p.on('error', reject);
		p.on('close', (code) => {
			const m = out.match(/sent (\d+), failed (\d+)/);
			if (code !== 0 || !m) return reject(new Error(`adept mail send: ${code} ${err}`));
			resolve({ sent: Number(m[1]), failed: Number(m[2]) });
		});
	});
}

async function mailTo(addr, subject, opts = {}) {
	return smtp.waitFor((m) => m.to.includes(addr.toLowerCase()) && (!subject || subject.test(m.mail.subject)),
		{ poll: () => sendNow(opts.env), ...opts });
}

// Polls f() until it returns want (or ms pass); returns the last value.
async function eventually(f, want, ms = 5000) {
	const end = Date.now() + ms;
	let v;
	while ((v = f()) !== want && Date.now() < end)
		await new Promise((r) => setTimeout(r, 100));
	return v;
}

function spawnSyncCli(args) {
	return spawnSync(process.env.ADEPT_BIN, args, { env: ENV, stdio: 'ignore' }).status;
}

function userId(email) {
	return Number(sql(`SELECT id FROM users WHERE lower(email) = lower(${q(email)})`));
}

before(async () => {
	smtp = await startSMTP({ port: SMTP.port, user: SMTP.user || undefined, pass: SMTP.pass || undefined });
});

after(async () => {
	if (smtp) await smtp.stop();
});

test('welcome mail on registration: text and HTML parts, headers, unsubscribe, AUTH from the URL', async () => {
	const c = new Client();
	const name = 'Zoë Ærøskøbing';
	const { r, email } = await registerUser(c, { name });
	assert.equal(r.status, 303);
	const m = await mailTo(email, /^Welcome to Adept$/);
	const mail = m.mail;
	assert.match(mail.text, new RegExp(`Hello ${name},`));
	assert.match(mail.text, /\/catalog/);
	assert.ok(mail.html, 'has an HTML part');
	assert.match(mail.html, new RegExp(`<p>Hello ${name},</p>`));
	assert.match(m.raw, /^Content-Type: multipart\/alternative;/m);
	assert.match(m.raw, /^Content-Type: text\/plain; charset=UTF-8/m);
	assert.match(m.raw, /^Content-Type: text\/html; charset=UTF-8/m);
	assert.match(mail.messageId, /^<[A-Za-z0-9_-]+@/);
	assert.ok(mail.date instanceof Date && Math.abs(Date.now() - mail.date) < 120000, 'Date header near now');
	assert.ok(mail.from.value[0].address, 'From has an address');
	assert.match(m.raw, /^List-Unsubscribe: <https?:\/\/[^>]*\/unsubscribe\?token=[A-Za-z0-9_-]{43}>\r$/m);
	assert.match(m.raw, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);
	assert.match(mail.text, /Unsubscribe from all Adept mail/);
	if (SMTP.user) assert.equal(m.authUser, SMTP.user, 'authenticated with the URL credentials');
	// The server answers 250 before the sender commits: wait for it.
	assert.equal(await eventually(() => sql(`SELECT status FROM email_outbox WHERE to_addr = ${q(email)} AND template = 'welcome'`), 'sent'), 'sent');
});

test('non-ASCII Subject and From are encoded words that decode back; the message is 7-bit', async () => {
	const to = uniqueEmail('enc');
	const subject = 'Bienvenue — à bientôt, 学习者 ' + 'long '.repeat(12).trim();
	sql(`INSERT INTO email_outbox (to_addr, template, subject, body_text) VALUES (${q(to)}, 'notification', ${q(subject)}, ${q('Grüße aus Köln.\n.\nA line that is long enough to need a soft line break in quoted-printable, since it runs past seventy-six characters.')})`);
	const m = await mailTo(to, /Bienvenue/);
	assert.equal(m.mail.subject, subject);
	assert.match(m.raw, /^Subject: =\?UTF-8\?B\?/m);
	assert.doesNotMatch(m.raw, /[^\x00-\x7f]/, 'only ASCII on the wire');
	assert.ok(m.raw.split('\r\n').every((l) => l.length <= 78), 'no line over 78 characters');
	assert.match(m.mail.text, /Grüße aus Köln\.\n\.\nA line that is long enough to need a soft line break in quoted-printable, since it runs past seventy-six characters\./);
	const from = process.env.ADEPT_MAIL_FROM;
	if (from && /[^\x00-\x7f]/.test(from)) {
		assert.equal(m.mail.from.value[0].name, from.replace(/\s*<.*$/, ''));
		assert.match(m.raw, /^From: =\?UTF-8\?B\?/m);
	}
	// No account for this address: no unsubscribe link to give.
	assert.doesNotMatch(m.raw, /^List-Unsubscribe/m);
});

test('password reset: same answer for unknown addresses, single-use link, sessions revoked, expired link refused', async () => {
	const old = new Client();
	const { email, password } = await registerUser(old);
	assert.equal((await old.get('/dashboard')).status, 200);

	const anon = new Client();
	let r = await anon.submit('/password/forgot', { email });
	assert.equal(r.status, 200);
	const known = r.text.replace(email, 'X');
	const other = uniqueEmail('nobody');
	r = await new Client().submit('/password/forgot', { email: other });
	assert.equal(r.status, 200);
	assert.equal(r.text.replace(other, 'X').replace(/value="[^"]*"/g, ''), known.replace(/value="[^"]*"/g, ''));
	assert.equal(Number(sql(`SELECT count(*) FROM email_outbox WHERE to_addr = ${q(other)}`)), 0);

	const m = await mailTo(email, /Reset your Adept password/);
	assert.doesNotMatch(m.raw, /^List-Unsubscribe/m, 'security mail has no unsubscribe');
	const link = m.mail.text.match(/(\/password\/reset\?token=[A-Za-z0-9_-]{43})/)[1];
	const tok = link.split('=')[1];
	const hash = createHash('sha256').update(tok).digest('hex');
	assert.equal(Number(sql(`SELECT count(*) FROM password_resets WHERE token_hash = ${q(hash)}`)), 1, 'stored hashed');
	assert.equal(Number(sql(`SELECT count(*) FROM password_resets WHERE token_hash = ${q(tok)}`)), 0);

	const c = new Client();
	r = await c.get(link);
	assert.equal(r.status, 200);
	assert.match(r.headers.get('referrer-policy'), /(^|, )no-referrer$/);
	// Mismatched confirmation: form again, nothing spent.
	r = await c.submit(link, { token: tok, password: 'brand new pass 1', password_confirm: 'other' }, '/password/reset');
	assert.equal(r.status, 400);
	r = await c.submit(link, { token: tok, password: 'brand new pass 1', password_confirm: 'brand new pass 1' }, '/password/reset');
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), '/password/reset?done=1');

	// The old session is gone; the old password no longer works; the new one does.
	r = await old.get('/dashboard');
	assert.notEqual(r.status, 200);
	r = await new Client().submit('/login', { email, password });
	assert.equal(r.status, 401);
	r = await new Client().submit('/login', { email, password: 'brand new pass 1' });
	assert.equal(r.status, 303);

	// Single use.
	r = await new Client().get(link);
	assert.equal(r.status, 404);
	assert.match(r.text, /invalid, has expired or has already been used/);
	const c2 = new Client();
	const csrf = await c2.csrf('/password/forgot');
	r = await c2.post('/password/reset', { csrf, token: tok, password: 'third pass 123', password_confirm: 'third pass 123' });
	assert.equal(r.status, 400);

	// Expired: a fresh link made to look an hour old is refused.
	await new Client().submit('/password/forgot', { email });
	const m2 = await mailTo(email, /Reset your Adept password/, { timeout: 15000 }).then(() =>
		smtp.waitFor((x) => x.to.includes(email.toLowerCase()) && /Reset/.test(x.mail.subject) && !x.mail.text.includes(tok), { poll: () => sendNow() }));
	const tok2 = m2.mail.text.match(/token=([A-Za-z0-9_-]{43})/)[1];
	const hash2 = createHash('sha256').update(tok2).digest('hex');
	sql(`UPDATE password_resets SET expires_at = now() - interval '1 second' WHERE token_hash = ${q(hash2)}`);
	r = await new Client().get(`/password/reset?token=${tok2}`);
	assert.equal(r.status, 404);
	const c3 = new Client();
	const csrf3 = await c3.csrf('/password/forgot');
	r = await c3.post('/password/reset', { csrf: csrf3, token: tok2, password: 'fourth pass 123', password_confirm: 'fourth pass 123' });
	assert.equal(r.status, 400);
	r = await new Client().submit('/login', { email, password: 'brand new pass 1' });
	assert.equal(r.status, 303, 'password unchanged by the expired link');
});

test('password reset JSON twins: 202 whoever asks, reset by token once', async () => {
	const c = new Client();
	const { email } = await registerUser(c);
	let r = await new Client().postJSON('/api/v1/auth/password/forgot', { email: uniqueEmail('nobody') });
	assert.equal(r.status, 202);
	const unknown = r.json().message;
	r = await new Client().postJSON('/api/v1/auth/password/forgot', { email });
	assert.equal(r.status, 202);
	assert.equal(r.json().message, unknown);
	const m = await mailTo(email, /Reset your Adept password/);
	const token = m.mail.text.match(/token=([A-Za-z0-9_-]{43})/)[1];
	r = await new Client().postJSON('/api/v1/auth/password/reset', { token, password: 'api new pass 1', password_confirm: 'api new pass 2' });
	assert.equal(r.status, 400);
	r = await new Client().postJSON('/api/v1/auth/password/reset', { token, password: 'api new pass 1', password_confirm: 'api new pass 1' });
	assert.equal(r.status, 200, r.text);
	r = await new Client().postJSON('/api/v1/auth/password/reset', { token, password: 'api new pass 3', password_confirm: 'api new pass 3' });
	assert.equal(r.status, 400);
	r = await new Client().postJSON('/api/v1/auth/login', { email, password: 'api new pass 1' });
	assert.equal(r.status, 200);
});

function course(title) {
	const author = Number(sql(`SELECT id FROM users WHERE role IN ('instructor', 'admin') ORDER BY id LIMIT 1`));
	const id = Number(sql(`INSERT INTO courses (author_id, title, status) VALUES (${author}, ${q(title)}, 'published') RETURNING id`).split('\n')[0]);
	const mid = Number(sql(`INSERT INTO modules (course_id, position, title) VALUES (${id}, 1, 'M') RETURNING id`).split('\n')[0]);
	sql(`INSERT INTO lessons (module_id, position, title) VALUES (${mid}, 1, 'L')`);
	return id;
}

async function enrol(c, cid) {
	const csrf = await c.csrf('/account');
	const r = await c.post(`/courses/${cid}/enroll`, { csrf });
	assert.equal(r.status, 303);
}

test('preferences are respected, and the unsubscribe link works without signing in (GET shows, POST one-click)', async () => {
	const tag = `${process.pid}-${Date.now()}`;
	const c1 = course(`Mail prefs A ${tag}`), c2 = course(`Mail prefs B ${tag}`);

	// A turns enrolment mails off on the settings page.
	const a = new Client();
	const ua = await registerUser(a);
	let r = await a.get('/account/mail');
	assert.equal(r.status, 200);
	assert.match(r.text, /name="enrolment" value="1" checked/);
	r = await a.submit('/account/mail', { all: '1', completion: '1', weekly: '1', notification: '1', payout: '1' });
	assert.equal(r.status, 303);
	r = await a.get('/account/mail');
	assert.doesNotMatch(r.text, /name="enrolment" value="1" checked/);
	assert.equal(sql(`SELECT enabled FROM mail_prefs WHERE user_id = ${userId(ua.email)} AND kind = 'enrolment'`), 'f');
	await enrol(a, c1);

	// The JSON twin reads the same settings and sets all kinds at once.
	r = await a.get('/api/v1/account/mail');
	assert.deepEqual(r.json(), { all: true, enrolment: false, completion: true, weekly: true, notification: true, payout: true });
	const csrfA = await a.csrf('/account');
	r = await a.postJSON('/api/v1/account/mail', { all: true, enrolment: false, completion: true, weekly: false, notification: true, payout: true }, { 'x-csrf-token': csrfA });
	assert.equal(r.status, 200);
	assert.equal(r.json().weekly, false);
	assert.equal(sql(`SELECT enabled FROM mail_prefs WHERE user_id = ${userId(ua.email)} AND kind = 'weekly'`), 'f');

	// B keeps the defaults.
	const b = new Client();
	const ub = await registerUser(b);
	await enrol(b, c1);

	const mb = await mailTo(ub.email, new RegExp(`Mail prefs A ${tag}|enrolled`, 'i'));
	assert.ok(mb.mail.html, 'rows written by other code get an HTML part too');
	await sendNow();
	assert.equal(sql(`SELECT status FROM email_outbox WHERE to_addr = ${q(ua.email)} AND template = 'course_enrolled'`), 'suppressed');
	assert.ok(!smtp.messages.some((m) => m.to.includes(ua.email.toLowerCase()) && /enrol/i.test(m.mail.subject)), 'A got no enrolment mail');

	// B's link: GET changes nothing, POST (RFC 8058 body, no cookie, no CSRF) unsubscribes.
	const link = mb.raw.match(/^List-Unsubscribe: <([^>]+)>/m)[1];
	const path = link.replace(/^https?:\/\/[^/]+/, '');
	assert.ok(mb.mail.text.includes(path), 'the footer has the same link');
	const anon = new Client();
	r = await anon.get(path);
	assert.equal(r.status, 200);
	assert.match(r.text, /Stop receiving enrolment confirmations/);
	assert.equal(sql(`SELECT count(*) FROM mail_prefs WHERE user_id = ${userId(ub.email)}`), '0');
	r = await anon.req('POST', path, { body: 'List-Unsubscribe=One-Click', type: 'application/x-www-form-urlencoded' });
	assert.equal(r.status, 200);
	assert.match(r.text, /no longer receive enrolment confirmations/);
	assert.equal(sql(`SELECT enabled FROM mail_prefs WHERE user_id = ${userId(ub.email)} AND kind = 'enrolment'`), 'f');
	r = await anon.get('/unsubscribe?token=' + 'x'.repeat(43));
	assert.equal(r.status, 404);

	// B's next enrolment is not mailed.
	await enrol(b, c2);
	await sendNow();
	assert.equal(sql(`SELECT status FROM email_outbox WHERE to_addr = ${q(ub.email)} AND template = 'course_enrolled' ORDER BY id DESC LIMIT 1`), 'suppressed');
});

test('the worker sends queued mail by itself (no manual send)', async () => {
	const c = new Client();
	const { email } = await registerUser(c);
	const m = await smtp.waitFor((x) => x.to.includes(email.toLowerCase()), { timeout: 20000 });
	assert.match(m.mail.subject, /Welcome/);
});

test('weekly progress report: lessons done, courses in progress with percent, the next lesson linked', async () => {
	const cid = course(`Weekly ${process.pid}-${Date.now()}`);
	const mid = Number(sql(`SELECT id FROM modules WHERE course_id = ${cid}`));
	const l2 = Number(sql(`INSERT INTO lessons (module_id, position, title) VALUES (${mid}, 2, 'Second lesson') RETURNING id`).split('\n')[0]);
	const l1 = Number(sql(`SELECT id FROM lessons WHERE module_id = ${mid} AND position = 1`));
	const c = new Client();
	const { email } = await registerUser(c);
	await enrol(c, cid);
	const csrf = await c.csrf('/account');
	assert.equal((await c.post(`/courses/${cid}/lessons/${l1}/complete`, { csrf })).status, 303);
	const uid = userId(email);
	const out = await new Promise((resolve) => {
		const p = spawn(process.env.ADEPT_BIN, ['mail', 'weekly', String(uid)], { env: ENV });
		let o = '';
		p.stdout.on('data', (d) => { o += d; });
		p.on('close', (code) => resolve({ code, o }));
	});
	assert.equal(out.code, 0);
	assert.match(out.o, /queued/);
	const m = await mailTo(email, /Your week on Adept/);
	assert.match(m.mail.text, /1 lesson\(s\) completed/);
	assert.match(m.mail.text, new RegExp(`Weekly .*: 50% done`));
	assert.match(m.mail.text, new RegExp(`Second lesson: \\S+/courses/${cid}/lessons/${l2}`));
	assert.match(m.mail.html, new RegExp(`<a href="[^"]*/courses/${cid}/lessons/${l2}">Second lesson</a>`));
	assert.match(m.raw, /^List-Unsubscribe: /m);
});

test('weekly_report job (worker): one report per learner with an active enrolment, and a re-run sends none twice', async () => {
	const cid = course(`Weekly job ${process.pid}-${Date.now()}`);
	const c = new Client();
	const { email } = await registerUser(c);
	await enrol(c, cid);
	const uid = userId(email);
	const runJob = () => sql(`WITH j AS (INSERT INTO jobs (kind) VALUES ('weekly_report') RETURNING id) SELECT id, pg_notify('adept_jobs', 'weekly_report') FROM j`).split('|')[0];
	const job1 = runJob();
	assert.equal(await eventually(() => sql(`SELECT state FROM jobs WHERE id = ${job1}`), 'done', 30000), 'done');
	const m = await mailTo(email, /Your week on Adept/);
	assert.match(m.mail.text, /Weekly job .*: 0% done/);
	assert.equal(sql(`SELECT count(*) FROM notifications WHERE user_id = ${uid} AND kind = 'weekly_report'`), '1');
	const job2 = runJob();
	assert.equal(await eventually(() => sql(`SELECT state FROM jobs WHERE id = ${job2}`), 'done', 30000), 'done');
	assert.equal(sql(`SELECT count(*) FROM email_outbox WHERE user_id = ${uid} AND template = 'weekly_report'`), '1', 'not queued twice');
});

test('SMTP server down: the registration succeeds, the mail waits with backoff and goes out when the server is back', async () => {
	await smtp.stop();
	smtp = null;
	const c = new Client();
	const { r, email } = await registerUser(c);
	assert.equal(r.status, 303, 'registration succeeded');
	assert.equal((await c.get('/dashboard')).status, 200);
	const id = Number(sql(`SELECT id FROM email_outbox WHERE to_addr = ${q(email)}`));
	assert.ok(id > 0, 'queued in the outbox');
	// Attempts fail while the server is down (the worker may try too).
	const res = await sendNow();
	const row = () => sql(`SELECT status, attempts, last_error IS NOT NULL, next_attempt_at > created_at FROM email_outbox WHERE id = ${id}`).split('|');
	let [status, attempts, hasErr, later] = row();
	if (Number(attempts) === 0) {
		assert.ok(res.failed === 0 || res.failed > 0);
		await new Promise((x) => setTimeout(x, 1500));
		await sendNow();
		[status, attempts, hasErr, later] = row();
	}
	assert.equal(status, 'pending');
	assert.ok(Number(attempts) >= 1, 'an attempt was recorded');
	assert.equal(hasErr, 't', 'last_error recorded');
	assert.equal(later, 't', 'next attempt pushed back');
	assert.match(sql(`SELECT last_error FROM email_outbox WHERE id = ${id}`), /connect/i);

	smtp = await startSMTP({ port: SMTP.port, user: SMTP.user || undefined, pass: SMTP.pass || undefined });
	const m = await mailTo(email, /Welcome to Adept/, { timeout: 20000 });
	assert.ok(m);
	assert.equal(await eventually(() => row()[0], 'sent'), 'sent');
	assert.equal(smtp.messages.filter((x) => x.to.includes(email.toLowerCase())).length, 1, 'sent once');
});

test('a mailbox refused for good (550) is dead-lettered at once; the mail after it still goes', async () => {
	const bad = uniqueEmail('reject'), good = uniqueEmail('after');
	const ins = (to) => Number(sql(`INSERT INTO email_outbox (to_addr, template, subject, body_text) VALUES (${q(to)}, 'notification', 'Hi', 'Body') RETURNING id`).split('\n')[0]);
	const idBad = ins(bad), idGood = ins(good);
	await mailTo(good, /Hi/);
	assert.equal(await eventually(() => sql(`SELECT status FROM email_outbox WHERE id = ${idBad}`), 'dead'), 'dead');
	assert.match(sql(`SELECT attempts || ' ' || last_error FROM email_outbox WHERE id = ${idBad}`), /^1 .*550/);
	assert.equal(await eventually(() => sql(`SELECT status FROM email_outbox WHERE id = ${idGood}`), 'sent'), 'sent');
});

test('admin outbox page: dead mail listed with its error, sent again on request; learners refused', async () => {
	const to = uniqueEmail('dead');
	const id = Number(sql(`INSERT INTO email_outbox (to_addr, template, subject, body_text, status, attempts, last_error) VALUES (${q(to)}, 'notification', 'Gave up <once>', 'Body', 'dead', 12, 'RCPT failed: 550') RETURNING id`).split('\n')[0]);
	const email = uniqueEmail('admin');
	const made = spawnSyncCli(['user', 'add', '--email', email, '--password', 'admin pass 123', '--name', 'Mail Admin', '--role', 'admin']);
	assert.equal(made, 0);
	const admin = new Client();
	assert.equal((await admin.submit('/login', { email, password: 'admin pass 123' })).status, 303);
	let r = await admin.get('/admin/mail');
	assert.equal(r.status, 200);
	assert.ok(r.text.includes('Gave up &lt;once&gt;'));
	assert.match(r.text, /RCPT failed: 550/);
	assert.match(r.text, new RegExp(`action="/admin/mail/${id}/retry"`));
	r = await admin.get('/api/v1/admin/mail');
	assert.ok(r.json().mail.some((m) => m.id === id && m.status === 'dead'));
	const learner = new Client();
	await registerUser(learner);
	assert.equal((await learner.get('/admin/mail')).status, 403);
	r = await admin.post(`/admin/mail/${id}/retry`, { csrf: await admin.csrf('/account') });
	assert.equal(r.status, 303);
	const m = await mailTo(to, /Gave up/);
	assert.equal(m.mail.subject, 'Gave up <once>');
	assert.equal(await eventually(() => sql(`SELECT status FROM email_outbox WHERE id = ${id}`), 'sent'), 'sent');
	r = await admin.post(`/admin/mail/${id}/retry`, { csrf: await admin.csrf('/account') });
	assert.equal(r.status, 404, 'a sent mail is not sent again');
});

// `adept mail test ADDR` with extra environment: exit code and output.
function mailTest(addr, env) {
	return new Promise((resolve) => {
		const p = spawn(process.env.ADEPT_BIN, ['mail', 'test', addr], { env: { ...ENV, ...env } });
		let out = '';
		p.stdout.on('data', (d) => { out += d; });
		p.stderr.on('data', (d) => { out += d; });
		p.on('close', (code) => resolve({ code, out }));
	});
}

test('TLS: STARTTLS used when offered, required with ?starttls=required, smtps:// from the start, a private CA; wrong password refused', async () => {
	const dir = mkdtempSync(`${tmpdir()}/adept-smtp-tls-`);
	execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${dir}/key.pem`,
		'-out', `${dir}/cert.pem`, '-days', '1', '-subj', '/CN=localhost',
		'-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
	const tls = { key: readFileSync(`${dir}/key.pem`), cert: readFileSync(`${dir}/cert.pem`) };
	const CA = { ADEPT_SMTP_CA: `${dir}/cert.pem` };
	const servers = [];
	try {
		// STARTTLS offered: used, and AUTH happens inside TLS.
		const st = await startSMTP({ port: 0, user: 'u', pass: 'p w', tls });
		servers.push(st);
		let to = uniqueEmail('tls');
		let r = await mailTest(to, { ...CA, ADEPT_SMTP_URL: `smtp://u:p%20w@localhost:${st.port}` });
		assert.equal(r.code, 0, r.out);
		let m = await st.waitFor((x) => x.to.includes(to.toLowerCase()), { timeout: 5000 });
		assert.equal(m.secure, true, 'upgraded with STARTTLS');
		assert.equal(m.authUser, 'u');
		// The certificate is checked: without the CA the upgrade fails.
		r = await mailTest(uniqueEmail('tls'), { ADEPT_SMTP_URL: `smtp://u:p%20w@localhost:${st.port}` });
		assert.equal(r.code, 1);
		// Wrong password: refused, reported.
		r = await mailTest(uniqueEmail('tls'), { ...CA, ADEPT_SMTP_URL: `smtp://u:wrong@localhost:${st.port}` });
		assert.equal(r.code, 1);
		assert.match(r.out, /login|auth/i);

		// A server without STARTTLS: plain is fine by default, refused when required.
		const plain = await startSMTP({ port: 0 });
		servers.push(plain);
		to = uniqueEmail('plain');
		r = await mailTest(to, { ADEPT_SMTP_URL: `smtp://127.0.0.1:${plain.port}` });
		assert.equal(r.code, 0, r.out);
		m = await plain.waitFor((x) => x.to.includes(to.toLowerCase()), { timeout: 5000 });
		assert.equal(m.secure, false);
		to = uniqueEmail('plain');
		r = await mailTest(to, { ADEPT_SMTP_URL: `smtp://127.0.0.1:${plain.port}/?starttls=required` });
		assert.equal(r.code, 1, 'refused to send in clear');
		assert.ok(!plain.messages.some((x) => x.to.includes(to.toLowerCase())));

		// smtps://: TLS from the first byte.
		const imp = await startSMTP({ port: 0, tls, secure: true });
		servers.push(imp);
		to = uniqueEmail('smtps');
		r = await mailTest(to, { ...CA, ADEPT_SMTP_URL: `smtps://localhost:${imp.port}` });
		assert.equal(r.code, 0, r.out);
		m = await imp.waitFor((x) => x.to.includes(to.toLowerCase()), { timeout: 5000 });
		assert.equal(m.secure, true);
		assert.equal(m.mail.subject, 'Adept mail test');
	} finally {
		for (const s of servers) await s.stop();
	}
});
