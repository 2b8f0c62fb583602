// Course material and the tutor (issue 8) through real nginx, the real
// FastCGI workers and the background worker: uploads of several files
// answer at once (202 / 303) and are indexed by the material_index job
// (queued -> ... -> ready, passages counted); bad files (empty, not UTF-8,
// damaged or password-protected PDF, an image, one 20 MB line) end with a
// clear status and leave the course's index as it was; ownership; delete;
// a rerun of an interrupted job; the tutor answers from its own course's
// passages only, quoting and citing them, refuses what the material does
// not cover, and keeps each learner's history to that learner.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, uniqueEmail, sql, cli, VAR, BASE } from './lib.mjs';

const RUN = `${process.pid}x${Date.now() % 1000000}`;
const q = (s) => `'${String(s).replace(/'/g, "''")}'`;
const num = (query) => Number(sql(query));
const COURSE_DIR = new URL('../data/course/', import.meta.url).pathname;
const PW = 'material pass 123';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

let alice, bob, lea, leo, otto, tmp, mkpdf;
let courseA, courseB;

function addUser(role, name) {
	const email = uniqueEmail(role);
	const r = cli(['user', 'add', '--email', email, '--password', PW, '--name', name, '--role', role]);
	assert.equal(r.status, 0, r.stderr);
	return { email, id: num(`SELECT id FROM users WHERE email = ${q(email)}`) };
}

// A signed-in browser (cookies + CSRF token) and an API token.
async function signIn(u) {
	const c = new Client();
	const r = await c.submit('/login', { email: u.email, password: PW });
	assert.equal(r.status, 303, `sign in ${u.email}`);
	c.user = u;
	c.token = await c.csrf('/account');
	const t = await new Client().postJSON('/api/v1/auth/login', { email: u.email, password: PW });
	assert.equal(t.status, 200, t.text);
	c.bearer = t.json().access_token;
	return c;
}

const auth = (c) => ({ authorization: `Bearer ${c.bearer}` });
const api = (c, path) => new Client().get(path, { headers: auth(c) });
const apiPost = (c, path, body) => new Client().postJSON(path, body, auth(c));

// Multipart POST of files [{ name, bytes }] as field "files"; HTML form
// (cookie + csrf) or API (Bearer).
async function upload(c, path, files, { bearer = false } = {}) {
	const fd = new FormData();
	if (!bearer)
		fd.append('csrf', c.token);
	for (const f of files)
		fd.append('files', new Blob([f.bytes]), f.name);
	const headers = bearer ? auth(c) : { cookie: c.cookieHeader() };
	const r = await fetch(`${BASE}${path}`, { method: 'POST', body: fd, headers, redirect: 'manual' });
	const text = await r.text();
	return { status: r.status, text, location: r.headers.get('location'),
		json: () => JSON.parse(text) };
}

async function newCourse(c, title) {
	const r = await c.post('/teach/courses/new', [['csrf', c.token], ['title', title],
		['summary', 'A summary'], ['level', 'beginner'], ['language', 'en'], ['estimated_hours', '2']]);
	assert.equal(r.status, 303, r.text.slice(0, 2000));
	return Number(r.headers.get('location').match(/\/teach\/courses\/(\d+)/)[1]);
}

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

// Polls the JSON status until nothing is queued or being worked on.
async function settle(c, course, ms = 60000) {
	const t0 = Date.now();
	for (;;) {
		const r = await api(c, `/api/v1/courses/${course}/materials`);
		assert.equal(r.status, 200, r.text);
		const j = r.json();
		if (j.counts.working === 0)
			return j;
		assert.ok(Date.now() - t0 < ms, `still working after ${ms} ms: ${r.text.slice(0, 500)}`);
		await sleep(100);
	}
}

const passages = (course) => num(`SELECT count(*) FROM material_passages WHERE course_id = ${course}`);

function pdf(name, text, password) {
	const out = join(tmp, name);
	execFileSync(mkpdf, password ? [out, text, password] : [out, text]);
	return readFileSync(out);
}

before(async () => {
	tmp = mkdtempSync(join(tmpdir(), 'adept-materials-'));
	mkpdf = join(tmp, 'mkpdf');
	execFileSync('cc', ['-o', mkpdf, new URL('../cli/mkpdf.c', import.meta.url).pathname, '-lhpdf']);
	alice = await signIn(addUser('instructor', 'Alice Author'));
	bob = await signIn(addUser('instructor', 'Bob Other'));
	lea = await signIn(addUser('learner', 'Lea Learner'));
	leo = await signIn(addUser('learner', 'Leo Learner'));
	otto = await signIn(addUser('learner', 'Otto Outsider'));
	courseA = await newCourse(alice, `Databases ${RUN}`);
	courseB = await newCourse(bob, `Botany ${RUN}`);
	sql(`UPDATE courses SET status = 'published' WHERE id = ${courseA}`);
	for (const u of [lea, leo])
		sql(`INSERT INTO enrollments (user_id, course_id) VALUES (${u.user.id}, ${courseA})`);
	sql(`INSERT INTO enrollments (user_id, course_id) VALUES (${lea.user.id}, ${courseB})`);
});

after(() => rmSync(tmp, { recursive: true, force: true }));

test('upload: the sample course (Markdown) and a PDF -> 202 / 303 at once, indexed to ready, passages counted', async (t) => {
	const md = readdirSync(COURSE_DIR).filter((n) => n.endsWith('.md')).sort();
	assert.ok(md.length >= 9, 'the sample course');
	const files = md.map((n) => ({ name: n, bytes: readFileSync(join(COURSE_DIR, n)) }));
	const paper = pdf('sharding.pdf', 'Consistent hashing places shards on a ring so that adding a node moves few keys.');
	const t0 = Date.now();
	// The API takes up to 8 files a request: 202 with ids and where to poll.
	const r1 = await upload(alice, `/api/v1/courses/${courseA}/materials`, files.slice(0, 8), { bearer: true });
	assert.equal(r1.status, 202, r1.text);
	const j1 = r1.json();
	assert.equal(j1.status_url, `/api/v1/courses/${courseA}/materials`);
	assert.equal(j1.materials.length, 8);
	for (const m of j1.materials) {
		assert.ok(m.id > 0);
		assert.ok(['queued', 'extracting', 'indexing', 'ready'].includes(m.status), m.status);
	}
	// The HTML form: the rest, redirected back to the page.
	const r2 = await upload(alice, `/teach/courses/${courseA}/materials`,
		[...files.slice(8), { name: 'sharding.pdf', bytes: paper }]);
	assert.equal(r2.status, 303, r2.text);
	assert.match(r2.location, new RegExp(`^/teach/courses/${courseA}/materials`));
	const page = await alice.get(r2.location);
	assert.equal(page.status, 200);
	assert.match(page.text, /sharding\.pdf/);
	assert.match(page.text, /uploaded: they are indexed in the background/);

	const j = await settle(alice, courseA);
	const ms = Date.now() - t0;
	t.diagnostic(`indexing the sample course (${md.length} Markdown files, ${files.reduce((s, f) => s + f.bytes.length, 0)} bytes) and a PDF: ${ms} ms from upload to ready`);
	console.log(`# materials: sample course indexed in ${ms} ms`);
	assert.equal(j.materials.length, md.length + 1);
	for (const m of j.materials) {
		assert.equal(m.status, 'ready', `${m.name}: ${m.reason}`);
		assert.ok(m.words > 100 || m.name === 'sharding.pdf', `${m.name} words ${m.words}`);
		assert.ok(m.passages > 0, `${m.name} passages`);
		assert.equal(m.kind, m.name.endsWith('.pdf') ? 'pdf' : 'markdown', m.name);
	}
	const total = j.materials.reduce((s, m) => s + m.passages, 0);
	assert.equal(passages(courseA), total, 'the counts match the index');
	assert.ok(total >= 40, `passages ${total}`);
	assert.equal(sql(`SELECT bool_and(length(body) <= 2000) FROM material_passages WHERE course_id = ${courseA}`), 't');
	// Headings are kept for citations.
	assert.ok(num(`SELECT count(*) FROM material_passages WHERE course_id = ${courseA} AND heading <> ''`) > total / 2);
	const pdfRow = j.materials.find((m) => m.name === 'sharding.pdf');
	assert.match(sql(`SELECT body FROM material_passages WHERE material_id = ${pdfRow.id}`), /Consistent hashing/);

	const list = await alice.get(`/teach/courses/${courseA}/materials`);
	assert.equal(list.status, 200);
	assert.match(list.text, /01_relational_model\.md/);
	assert.doesNotMatch(list.text, /still being processed/);
	assert.equal((list.text.match(/status-ready/g) || []).length, md.length + 1);
	// The teach course page links here.
	const tc = await alice.get(`/teach/courses/${courseA}`);
	assert.match(tc.text, new RegExp(`href="/teach/courses/${courseA}/materials"`));
});

test('bad input: empty, not UTF-8, damaged PDF, password-protected PDF, an image -> failed with a clear reason, no passages, the course as it was', async () => {
	const before = passages(courseA);
	const courseRow = sql(`SELECT title, status, updated_at FROM courses WHERE id = ${courseA}`);
	const bad = [
		{ name: 'empty.md', bytes: Buffer.alloc(0), reason: /empty/i },
		{ name: 'latin1.txt', bytes: Buffer.from('Caf\xe9 au lait: the r\xe9sum\xe9 of a database.\n', 'latin1'), reason: /not UTF-8.*offset 3/i },
		{ name: 'broken.pdf', bytes: Buffer.from('%PDF-1.4\n1 0 obj garbage\n'), reason: /damaged/i },
		{ name: 'locked.pdf', bytes: pdf('locked.pdf', 'A primary key is a column.', 'user-pw'), reason: /password-protected/i },
		{ name: 'photo.png', bytes: Buffer.concat([PNG, Buffer.alloc(64)]), reason: /Only PDF, Markdown, plain text and HTML/ },
	];
	const r = await upload(alice, `/api/v1/courses/${courseA}/materials`, bad, { bearer: true });
	assert.equal(r.status, 202, r.text);
	const ids = r.json().materials.map((m) => m.id);
	assert.equal(ids.length, bad.length);
	const j = await settle(alice, courseA);
	for (const [i, b] of bad.entries()) {
		const m = j.materials.find((x) => x.id === ids[i]);
		assert.equal(m.status, 'failed', `${b.name}: ${m.status}`);
		assert.match(m.reason, b.reason, `${b.name}: ${m.reason}`);
		assert.equal(m.passages, 0);
		assert.equal(num(`SELECT count(*) FROM material_passages WHERE material_id = ${m.id}`), 0);
	}
	assert.equal(passages(courseA), before, 'the index is unchanged');
	assert.equal(sql(`SELECT title, status, updated_at FROM courses WHERE id = ${courseA}`), courseRow);
	// The page shows each reason.
	const page = await alice.get(`/teach/courses/${courseA}/materials`);
	assert.match(page.text, /password-protected/);
	assert.match(page.text, /convert the file to UTF-8/);
	// No file at all: the form again with a message.
	const none = await upload(alice, `/teach/courses/${courseA}/materials`, []);
	assert.equal(none.status, 400);
	assert.match(none.text, /Choose at least one file/);
	for (const id of ids)
		assert.equal((await apiPost(alice, `/api/v1/courses/${courseA}/materials/${id}/delete`, {})).status, 200);
});

test('bad input: a line over the 20 MiB limit is refused at once (413); one 20 MB line just under it is cut into bounded passages', async (t) => {
	const count = num(`SELECT count(*) FROM course_materials WHERE course_id = ${courseA}`);
	const words = 'relational tuples join keys isolation snapshot replica ';
	const big = Buffer.from(words.repeat(Math.ceil((20 * 1024 * 1024 + 1) / words.length)));
	const r = await upload(alice, `/api/v1/courses/${courseA}/materials`, [{ name: 'line.txt', bytes: big }], { bearer: true });
	assert.equal(r.status, 413, r.text.slice(0, 300));
	assert.match(r.text, /too large|limit|larger/i);
	assert.equal(num(`SELECT count(*) FROM course_materials WHERE course_id = ${courseA}`), count);

	const course = await newCourse(alice, `One line ${RUN}`);
	const line = Buffer.from(words.repeat(Math.floor((20 * 1024 * 1024 - 1) / words.length)));
	const t0 = Date.now();
	const ok = await upload(alice, `/api/v1/courses/${course}/materials`, [{ name: 'line.txt', bytes: line }], { bearer: true });
	assert.equal(ok.status, 202, ok.text);
	const j = await settle(alice, course);
	t.diagnostic(`a ${line.length}-byte line: ${j.materials[0].passages} passages in ${Date.now() - t0} ms`);
	assert.equal(j.materials[0].status, 'ready', j.materials[0].reason);
	assert.ok(j.materials[0].passages >= line.length / 2000);
	assert.equal(sql(`SELECT bool_and(length(body) <= 2000) FROM material_passages WHERE course_id = ${course}`), 't');
});

test('ownership: another instructor gets 404, a learner 403, nothing changes', async () => {
	const m = Number(sql(`SELECT id FROM course_materials WHERE course_id = ${courseA} ORDER BY id LIMIT 1`));
	assert.equal((await bob.get(`/teach/courses/${courseA}/materials`)).status, 404);
	assert.equal((await api(bob, `/api/v1/courses/${courseA}/materials`)).status, 404);
	const up = await upload(bob, `/teach/courses/${courseA}/materials`, [{ name: 'x.md', bytes: Buffer.from('# X\n\nText.\n') }]);
	assert.equal(up.status, 404);
	const del = await bob.post(`/teach/courses/${courseA}/materials/${m}/delete`, [['csrf', bob.token]]);
	assert.equal(del.status, 404);
	assert.equal((await lea.get(`/teach/courses/${courseA}/materials`)).status, 403);
	assert.equal((await api(lea, `/api/v1/courses/${courseA}/materials`)).status, 403);
	const lup = await upload(lea, `/api/v1/courses/${courseA}/materials`, [{ name: 'x.md', bytes: Buffer.from('# X\n\nText.\n') }], { bearer: true });
	assert.equal(lup.status, 403);
	assert.equal(num(`SELECT count(*) FROM course_materials WHERE id = ${m}`), 1);
	assert.equal(num(`SELECT count(*) FROM course_materials WHERE name = 'x.md'`), 0);
});

test('botany course: its own material (Markdown and HTML), indexed', async () => {
	const r = await upload(bob, `/api/v1/courses/${courseB}/materials`, [{ name: 'photosynthesis.md', bytes: Buffer.from(
		'# Photosynthesis\n\nPhotosynthesis in the chloroplasts of green plants turns light energy into chemical energy stored in glucose.\n\n' +
		'## Chlorophyll\n\nChlorophyll absorbs red and blue light and reflects green light, which is why leaves look green.\n') },
	{ name: 'stomata.html', bytes: Buffer.from('<!DOCTYPE html><html><head><title>Leaves</title><style>p { color: red }</style></head>' +
		'<body><h2>Stomata</h2><p>Stomata are pores in the leaf surface that let carbon dioxide in &amp; water vapour out.</p>' +
		'<script>alert(1)</script></body></html>') }], { bearer: true });
	assert.equal(r.status, 202, r.text);
	const j = await settle(bob, courseB);
	for (const m of j.materials)
		assert.equal(m.status, 'ready', `${m.name}: ${m.reason}`);
	const html = j.materials.find((m) => m.name === 'stomata.html');
	assert.equal(html.kind, 'html');
	const row = sql(`SELECT heading || '|' || body FROM material_passages WHERE material_id = ${html.id}`);
	assert.match(row, /^Stomata\|Stomata are pores in the leaf surface that let carbon dioxide in & water vapour out\./);
	assert.doesNotMatch(row, /alert|color: red|<p>/);
});

test('tutor: answers a covered question quoting and citing its own course, refuses an uncovered one (even if another course covers it)', async (t) => {
	const t0 = Date.now();
	const r = await apiPost(lea, `/api/v1/courses/${courseA}/tutor`, { question: 'What is a primary key?' });
	const wall = Date.now() - t0;
	assert.equal(r.status, 201, r.text);
	const m = r.json().message;
	t.diagnostic(`tutor answer: ${r.json().elapsed_ms.toFixed(2)} ms in the handler, ${wall} ms over HTTP`);
	console.log(`# tutor: answer in ${r.json().elapsed_ms.toFixed(2)} ms (handler), ${wall} ms (HTTP)`);
	assert.equal(m.refused, false, m.answer);
	assert.equal(m.backend, 'offline');
	assert.ok(m.citations.length >= 1 && m.citations.length <= 3);
	assert.match(m.answer, /\[1\]/);
	assert.match(m.answer, /primary key/i);
	for (const c of m.citations) {
		assert.equal(num(`SELECT course_id FROM material_passages WHERE id = ${c.passage_id}`), courseA, 'cites its own course');
		assert.match(c.material, /\.(md|pdf)$/);
		const body = sql(`SELECT body FROM material_passages WHERE id = ${c.passage_id}`).replace(/\s+/g, ' ');
		assert.ok(body.includes(c.quote), `the quote is in the passage: ${c.quote}`);
		assert.ok(m.answer.includes(c.quote));
	}
	assert.deepEqual(sql(`SELECT citations FROM tutor_messages WHERE id = ${m.id}`),
		`{${m.citations.map((c) => c.passage_id).join(',')}}`);

	// Covered by the botany course, not by this one: refused, nothing cited.
	const off = await apiPost(lea, `/api/v1/courses/${courseA}/tutor`, { question: 'How does photosynthesis in chloroplasts turn light into chemical energy?' });
	assert.equal(off.status, 201, off.text);
	assert.equal(off.json().message.refused, true, off.json().message.answer);
	assert.equal(off.json().message.citations.length, 0);
	assert.match(off.json().message.answer, /cannot answer this from the course material/);
	const far = await apiPost(lea, `/api/v1/courses/${courseA}/tutor`, { question: 'What is the capital of France?' });
	assert.equal(far.json().message.refused, true);
	// The botany tutor answers it, citing botany.
	const bot = await apiPost(lea, `/api/v1/courses/${courseB}/tutor`, { question: 'How does photosynthesis in chloroplasts turn light into chemical energy?' });
	assert.equal(bot.status, 201, bot.text);
	assert.equal(bot.json().message.refused, false);
	assert.equal(bot.json().message.citations[0].material, 'photosynthesis.md');
	assert.equal(bot.json().message.citations[0].heading, 'Photosynthesis');
	// No tutor message of course A ever cites another course's passage.
	assert.equal(num(`SELECT count(*) FROM tutor_messages t, unnest(t.citations) c(pid)
		JOIN material_passages p ON p.id = c.pid WHERE t.course_id <> p.course_id`), 0);
	// Validation.
	assert.equal((await apiPost(lea, `/api/v1/courses/${courseA}/tutor`, { question: '' })).status, 400);
	assert.equal((await apiPost(lea, `/api/v1/courses/${courseA}/tutor`, { question: 'x'.repeat(2001) })).status, 400);
});

test('tutor page: works without JavaScript (plain form, 303, the answer with its sources), history per learner', async () => {
	const page = await leo.get(`/courses/${courseA}/tutor`);
	assert.equal(page.status, 200);
	assert.match(page.text, /No questions yet/);
	assert.doesNotMatch(page.text, /primary key/i, "another learner's history is not shown");
	const tok = page.text.match(/name="csrf" value="([^"]+)"/)[1];
	const r = await leo.post(`/courses/${courseA}/tutor`, [['csrf', tok], ['question', 'How does a B-tree index speed up a lookup?']]);
	assert.equal(r.status, 303, r.text.slice(0, 500));
	assert.match(r.headers.get('location'), new RegExp(`^/courses/${courseA}/tutor#m\\d+$`));
	const after = await leo.get(`/courses/${courseA}/tutor`);
	assert.match(after.text, /How does a B-tree index speed up a lookup\?/);
	assert.match(after.text, /Sources:/);
	assert.match(after.text, /<cite>0\d_[a-z_]+\.md<\/cite>/);
	// An empty question: the form again with the message.
	const bad = await leo.post(`/courses/${courseA}/tutor`, [['csrf', tok], ['question', '   ']]);
	assert.equal(bad.status, 400);
	assert.match(bad.text, /Question/);
	// JSON twin: each learner's own history, oldest first.
	const h1 = (await api(lea, `/api/v1/courses/${courseA}/tutor`)).json();
	const h2 = (await api(leo, `/api/v1/courses/${courseA}/tutor`)).json();
	assert.deepEqual(h1.messages.map((x) => x.question), ['What is a primary key?',
		'How does photosynthesis in chloroplasts turn light into chemical energy?', 'What is the capital of France?']);
	assert.deepEqual(h2.messages.map((x) => x.question), ['How does a B-tree index speed up a lookup?']);
	assert.ok(h1.messages[0].citations.length >= 1);
	assert.ok(h1.messages[0].citations[0].material);
	assert.equal(h1.ready_materials, 10);
	// Lea's botany question is in the botany history only.
	const hb = (await api(lea, `/api/v1/courses/${courseB}/tutor`)).json();
	assert.equal(hb.ready_materials, 2);
	assert.equal(hb.messages.length, 1);
	// The course page offers the tutor to an enrolled learner.
	assert.match((await lea.get(`/courses/${courseA}`)).text, new RegExp(`href="/courses/${courseA}/tutor"`));
});

test('tutor access: not enrolled 403 (published) / 404 (unpublished); the author and admin may; no ready material says so', async () => {
	assert.equal((await otto.get(`/courses/${courseA}/tutor`)).status, 403);
	assert.equal((await apiPost(otto, `/api/v1/courses/${courseA}/tutor`, { question: 'What is a primary key?' })).status, 403);
	assert.equal((await otto.get(`/courses/${courseB}/tutor`)).status, 404);
	assert.equal((await api(otto, `/api/v1/courses/${courseB}/tutor`)).status, 404);
	assert.equal((await otto.get('/courses/999999999/tutor')).status, 404);
	assert.equal((await alice.get(`/courses/${courseA}/tutor`)).status, 200);
	assert.equal(num(`SELECT count(*) FROM tutor_messages WHERE user_id = ${otto.user.id}`), 0);
	const empty = await newCourse(alice, `Empty ${RUN}`);
	const p = await alice.get(`/courses/${empty}/tutor`);
	assert.equal(p.status, 200);
	assert.match(p.text, /no material for the tutor yet/);
	assert.doesNotMatch(p.text, /<textarea/);
	assert.equal((await apiPost(alice, `/api/v1/courses/${empty}/tutor`, { question: 'What is a key?' })).status, 409);
});

test('job: a rerun after a crash mid-indexing rebuilds the same passages once', async () => {
	const m = Number(sql(`SELECT id FROM course_materials WHERE course_id = ${courseA} AND name = '02_sql.md'`));
	const n = num(`SELECT passages FROM course_materials WHERE id = ${m}`);
	const bodies = sql(`SELECT md5(string_agg(body, '|' ORDER BY seq)) FROM material_passages WHERE material_id = ${m}`);
	// As if a worker died while indexing: half the passages, status indexing.
	sql(`DELETE FROM material_passages WHERE material_id = ${m} AND seq > ${Math.floor(n / 2)}`);
	sql(`UPDATE course_materials SET status = 'indexing' WHERE id = ${m}`);
	sql(`INSERT INTO jobs (kind, payload) VALUES ('material_index', '{"material_id": ${m}}'); SELECT pg_notify('adept_jobs', 'material_index')`);
	const j = await settle(alice, courseA);
	const x = j.materials.find((y) => y.id === m);
	assert.equal(x.status, 'ready');
	assert.equal(x.passages, n);
	assert.equal(num(`SELECT count(*) FROM material_passages WHERE material_id = ${m}`), n);
	assert.equal(sql(`SELECT md5(string_agg(body, '|' ORDER BY seq)) FROM material_passages WHERE material_id = ${m}`), bodies);
	// A job for a material already ready (or deleted) does nothing.
	const r = cli(['worker', '--once']);
	assert.equal(r.status, 0, r.stderr);
});

test('delete: the material, its passages and its file go; the tutor no longer cites it', async () => {
	const row = sql(`SELECT m.id || '|' || u.storage_key FROM course_materials m JOIN uploads u ON u.id = m.upload_id
		WHERE m.course_id = ${courseA} AND m.name = 'sharding.pdf'`).split('|');
	const id = Number(row[0]), key = row[1];
	assert.ok(existsSync(`${VAR}/uploads/${key}`));
	const before = passages(courseA);
	const own = num(`SELECT count(*) FROM material_passages WHERE material_id = ${id}`);
	const r = await alice.post(`/teach/courses/${courseA}/materials/${id}/delete`, [['csrf', alice.token]]);
	assert.equal(r.status, 303);
	assert.match(r.headers.get('location'), /deleted=1/);
	assert.equal(num(`SELECT count(*) FROM course_materials WHERE id = ${id}`), 0);
	assert.equal(passages(courseA), before - own);
	assert.equal(existsSync(`${VAR}/uploads/${key}`), false);
	const a = await apiPost(lea, `/api/v1/courses/${courseA}/tutor`, { question: 'How does consistent hashing place shards on a ring?' });
	for (const c of a.json().message.citations)
		assert.notEqual(c.material, 'sharding.pdf');
	assert.equal((await alice.post(`/teach/courses/${courseA}/materials/${id}/delete`, [['csrf', alice.token]])).status, 404);
});
