// Certificates: issued once on a completed course (PDF via libharu with
// DejaVu embedded and a QR code), downloadable by its owner only, verifiable
// by anyone (HTML and JSON), revocable by an admin, and refused with a
// message for a name the font cannot print.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Client, registerUser, uniqueEmail, sql, cli, VAR } from './lib.mjs';

const q = (s) => `'${String(s).replace(/'/g, "''")}'`;
const TAG = `${process.pid}-${Date.now()}`;
let course, instructor;

function one(query) { return sql(query).split('\n')[0]; }

function addUser(role, name) {
	const email = uniqueEmail(role), password = 'cert pass 123';
	const r = cli(['user', 'add', '--email', email, '--password', password, '--name', name, '--role', role]);
	assert.equal(r.status, 0, r.stderr);
	return { email, password, id: Number(one(`SELECT id FROM users WHERE email = ${q(email)}`)) };
}

async function signIn(u) {
	const c = new Client();
	const r = await c.submit('/login', { email: u.email, password: u.password });
	assert.equal(r.status, 303);
	return c;
}

// Registers a learner with this name and completes the course.
async function graduate(name) {
	const c = new Client();
	const { r, email } = await registerUser(c, { name });
	assert.equal(r.status, 303);
	c.id = Number(one(`SELECT id FROM users WHERE lower(email) = lower(${q(email)})`));
	const csrf = await c.csrf('/account');
	assert.equal((await c.post(`/courses/${course.id}/enroll`, { csrf })).status, 303);
	for (const l of course.lessons)
		assert.equal((await c.post(`/courses/${course.id}/lessons/${l}/complete`, { csrf })).status, 303);
	assert.equal(one(`SELECT status FROM enrollments WHERE user_id = ${c.id} AND course_id = ${course.id}`), 'completed');
	return c;
}

async function claim(c, fields = {}) {
	return c.submit('/certificates', { course_id: String(course.id), ...fields });
}

before(() => {
	instructor = addUser('instructor', 'Ada Ĺovelace');
	const id = Number(one(`INSERT INTO courses (author_id, title, status) VALUES (${instructor.id}, ${q(`Écoles et élèves ${TAG}`)}, 'published') RETURNING id`));
	const mid = Number(one(`INSERT INTO modules (course_id, position, title) VALUES (${id}, 1, 'M1') RETURNING id`));
	const lessons = [1, 2].map((p) => Number(one(`INSERT INTO lessons (module_id, position, title, estimated_minutes) VALUES (${mid}, ${p}, 'L${p}', 40) RETURNING id`)));
	course = { id, lessons };
});

test('not before completion; then issued once, with notification and completion mail; the owner downloads a real PDF', async () => {
	const name = 'Zoë Łukasiewicz-Ångström';
	// Not completed yet: refused.
	const early = new Client();
	await registerUser(early, { name: 'Early Bird' });
	let r = await early.submit('/certificates', { course_id: String(course.id) });
	assert.equal(r.status, 422);
	assert.match(r.text, /not completed this course/);

	// Completing the course queues a "certificate" job (trigger on
	// enrollments, same transaction); the stack's worker issues it.
	const c = await graduate(name);
	assert.equal(Number(one(`SELECT count(*) FROM jobs WHERE kind = 'certificate' AND dedupe_key = 'cert-${c.id}-${course.id}'`)), 1);
	const end = Date.now() + 15000;
	while (Number(one(`SELECT count(*) FROM certificates WHERE user_id = ${c.id}`)) === 0 && Date.now() < end)
		await new Promise((x) => setTimeout(x, 200));
	assert.equal(Number(one(`SELECT count(*) FROM certificates WHERE user_id = ${c.id}`)), 1, 'issued by the worker');
	// Asking again (form, API) changes nothing.
	r = await claim(c);
	assert.equal(r.status, 303);
	r = await claim(c);
	assert.equal(r.status, 303, 'a third request is fine');
	const api = await c.postJSON('/api/v1/certificates', { course_id: course.id }, { 'x-csrf-token': await c.csrf('/account') });
	assert.equal(api.status, 200, api.text);
	assert.equal(api.json().new, false);
	assert.equal(Number(one(`SELECT count(*) FROM certificates WHERE user_id = ${c.id}`)), 1, 'issued once');
	const id = one(`SELECT id FROM certificates WHERE user_id = ${c.id}`);
	assert.equal(api.json().id, Number(id));
	assert.match(id, /^\d{15}$/);
	const files = readdirSync(`${VAR}/certificates`).filter((f) => f.startsWith(id));
	assert.deepEqual(files, [`${id}.pdf`], 'one file');

	r = await c.get('/certificates');
	assert.match(r.text, new RegExp(`/certificates/${id}/pdf`));
	// In-app notification and the completion mail with both links.
	r = await c.get('/api/v1/notifications');
	assert.equal(r.status, 200);
	const n = r.json();
	assert.ok(n.unread >= 1);
	assert.ok(n.items.some((x) => x.kind === 'certificate' && x.url === '/certificates'));
	const mail = sql(`SELECT subject || '|' || body_text FROM email_outbox WHERE user_id = ${c.id} AND template = 'completion'`);
	assert.match(mail, new RegExp(`Your certificate for Écoles et élèves`));
	assert.match(mail, new RegExp(`/certificates/${id}/pdf`));
	assert.match(mail, new RegExp(`/certificates/verify/${id}`));

	r = await c.req('GET', `/certificates/${id}/pdf`);
	assert.equal(r.status, 200);
	assert.equal(r.headers.get('content-type'), 'application/pdf');
	const res = await fetch(`${process.env.ADEPT_URL || 'http://127.0.0.1:18080'}/certificates/${id}/pdf`, { headers: { cookie: c.cookieHeader() } });
	const pdf = Buffer.from(await res.arrayBuffer());
	assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
	const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString();
	assert.match(text, new RegExp(name));
	assert.match(text, /Écoles et élèves/);
	assert.match(text, /Ada Ĺovelace/);
	assert.match(text, /1 h 20 min/);
	assert.match(text, new RegExp(id));
	assert.match(text, new RegExp(`/certificates/verify/${id}`));
	// The QR code decodes to the verification address.
	const dir = mkdtempSync(`${tmpdir()}/adept-cert-`);
	writeFileSync(`${dir}/c.pdf`, pdf);
	execFileSync('pdftoppm', ['-png', '-r', '150', `${dir}/c.pdf`, `${dir}/page`], { stdio: 'ignore' });
	const qr = execFileSync('zbarimg', ['-q', '--raw', `${dir}/page-1.png`], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
	assert.match(qr, new RegExp(`^https?://[^/]+/certificates/verify/${id}$`));
	const info = execFileSync('pdfinfo', ['-'], { input: pdf }).toString();
	assert.match(info, /Page size:\s+841\.89 x 595\.\d+ pts \(A4\)/);
	const fonts = execFileSync('pdffonts', ['-'], { input: pdf }).toString();
	assert.match(fonts, /DejaVuSans/);
	assert.match(fonts, /\byes\b/, 'font embedded');

	// Someone else: 404; nobody signed in: sent to sign in.
	const other = new Client();
	await registerUser(other);
	r = await other.get(`/certificates/${id}/pdf`);
	assert.equal(r.status, 404);
	r = await new Client().get(`/certificates/${id}/pdf`);
	assert.notEqual(r.status, 200);
	globalThis.certId = id;
	globalThis.certName = name;
});

test('verification page for anyone (HTML and JSON), unknown ids 404; an admin revokes and the page says so', async () => {
	const id = globalThis.certId;
	assert.ok(id, 'needs the first test');
	const anon = new Client();
	let r = await anon.get(`/certificates/verify/${id}`);
	assert.equal(r.status, 200);
	assert.match(r.text, /This certificate is <strong>valid<\/strong>/);
	assert.ok(r.text.includes(globalThis.certName));
	assert.doesNotMatch(r.text, /Revoke this certificate/);
	r = await anon.get(`/api/v1/certificates/verify/${id}`);
	assert.equal(r.status, 200);
	assert.deepEqual([r.json().valid, r.json().revoked, r.json().learner, r.json().minutes], [true, false, globalThis.certName, 80]);
	r = await anon.get('/certificates/verify/100000000000001');
	assert.equal(r.status, 404);
	r = await anon.get('/api/v1/certificates/verify/100000000000001');
	assert.equal(r.status, 404);

	// A learner cannot revoke.
	const learner = new Client();
	await registerUser(learner);
	let csrf = await learner.csrf('/account');
	r = await learner.post(`/certificates/${id}/revoke`, { csrf, reason: 'no' });
	assert.equal(r.status, 403);
	assert.equal(one(`SELECT revoked_at IS NULL FROM certificates WHERE id = ${id}`), 't');

	const admin = await signIn(addUser('admin', 'Cert Admin'));
	r = await admin.get(`/certificates/verify/${id}`);
	assert.match(r.text, /Revoke this certificate/);
	r = await admin.submit(`/certificates/verify/${id}`, { reason: 'Issued in error' }, `/certificates/${id}/revoke`);
	assert.equal(r.status, 303);
	r = await anon.get(`/certificates/verify/${id}`);
	assert.equal(r.status, 200);
	assert.match(r.text, /was <strong>revoked<\/strong> on \d{4}-\d\d-\d\d: Issued in error/);
	r = await anon.get(`/api/v1/certificates/verify/${id}`);
	assert.deepEqual([r.json().valid, r.json().revoked, r.json().reason], [false, true, 'Issued in error']);
});

test('a name the font cannot print is refused with a message and nothing is issued; another spelling works', async () => {
	const c = await graduate('王小明');
	// The worker's attempt fails and tells the learner where to fix it.
	const end = Date.now() + 15000;
	let items = [];
	while (Date.now() < end) {
		items = (await c.get('/api/v1/notifications')).json().items;
		if (items.some((x) => /could not be made/.test(x.text))) break;
		await new Promise((x) => setTimeout(x, 200));
	}
	assert.ok(items.some((x) => /could not be made/.test(x.text) && x.url === '/certificates'), 'told by a notification');
	assert.equal(one(`SELECT state FROM jobs WHERE dedupe_key = 'cert-${c.id}-${course.id}'`), 'dead');
	let r = await claim(c, { name: '王小明' });
	assert.equal(r.status, 422);
	assert.match(r.text, /cannot print \(U\+738B\)/);
	assert.equal(Number(one(`SELECT count(*) FROM certificates WHERE user_id = ${c.id}`)), 0);
	const before = existsSync(`${VAR}/certificates`) ? readdirSync(`${VAR}/certificates`).length : 0;
	const api = await c.postJSON('/api/v1/certificates', { course_id: course.id }, { 'x-csrf-token': await c.csrf('/account') });
	assert.equal(api.status, 422);
	assert.match(api.text, /U\+738B/);
	assert.equal(readdirSync(`${VAR}/certificates`).length, before, 'no file left behind');
	// Emoji (beyond U+FFFF) too.
	r = await claim(c, { name: 'Ming 🎓' });
	assert.equal(r.status, 422);
	assert.match(r.text, /U\+1F393/);
	r = await claim(c, { name: 'Wang Xiaoming' });
	assert.equal(r.status, 303);
	assert.equal(one(`SELECT learner_name FROM certificates WHERE user_id = ${c.id}`), 'Wang Xiaoming');
});

test('notifications: list with unread first marks, escaped text, mark one read, another user\'s is 404, mark all read', async () => {
	const c = new Client();
	const { email } = await registerUser(c);
	const uid = Number(one(`SELECT id FROM users WHERE lower(email) = lower(${q(email)})`));
	const other = new Client();
	const o = await registerUser(other);
	const oid = Number(one(`SELECT id FROM users WHERE lower(email) = lower(${q(o.email)})`));
	const n1 = Number(one(`INSERT INTO notifications (user_id, kind, body, url) VALUES (${uid}, 'recommendation', 'Try <b>Tides</b> next', '/catalog') RETURNING id`));
	const n2 = Number(one(`INSERT INTO notifications (user_id, kind, body) VALUES (${uid}, 'review_reminder', 'Cards are due') RETURNING id`));
	const n3 = Number(one(`INSERT INTO notifications (user_id, kind, body) VALUES (${oid}, 'x', 'not yours') RETURNING id`));
	let r = await c.get('/notifications');
	assert.equal(r.status, 200);
	assert.match(r.text, /2 unread of 2/);
	assert.match(r.text, /<a href="\/notifications">Notifications <span class="badge">2<span class="visually-hidden"> unread<\/span><\/span><\/a>/, 'count in the header');
	assert.ok(r.text.includes('Try &lt;b&gt;Tides&lt;/b&gt; next'));
	assert.match(r.text, /<a href="\/catalog">Try/);
	assert.ok(!r.text.includes('not yours'));
	const csrf = await c.csrf('/account');
	r = await c.post(`/notifications/${n1}/read`, { csrf });
	assert.equal(r.status, 303);
	r = await c.get('/api/v1/notifications');
	assert.equal(r.json().unread, 1);
	assert.deepEqual(r.json().items.map((x) => [x.id, x.read]), [[n2, false], [n1, true]]);
	r = await c.post(`/notifications/${n3}/read`, { csrf });
	assert.equal(r.status, 404);
	assert.equal(one(`SELECT read_at IS NULL FROM notifications WHERE id = ${n3}`), 't');
	r = await c.post('/notifications/read-all', { csrf });
	assert.equal(r.status, 303);
	r = await c.get('/notifications');
	assert.match(r.text, /0 unread of 2/);
	assert.match(r.text, /<a href="\/notifications">Notifications<\/a>/, 'no count when all are read');
	r = await new Client().get('/notifications');
	assert.notEqual(r.status, 200, 'signed-in users only');
});
