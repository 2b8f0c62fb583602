// Uploads (issue 7) through real nginx and the real worker: per-type size
// limits (413 as soon as a file passes its type's limit, no partial file
// left), type from content (a renamed executable is 415), text only when
// valid UTF-8, lesson media (upload, list, fetch by enrolled learners,
// Range -> 206 through X-Accel-Redirect, delete removes row and file) and
// the orphan clean-up job.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, existsSync } from 'node:fs';
import { Client, registerUser, uniqueEmail, sql, cli, VAR, BASE } from './lib.mjs';

const RUN = `${process.pid}x${Date.now() % 1000000}`;
const q = (s) => `'${String(s).replace(/'/g, "''")}'`;
const num = (query) => Number(sql(query));
const MiB = 1024 * 1024;
const PNG = Buffer.from('89504e470d0a1a0a', 'hex');
const ELF = Buffer.from('7f454c46020101000000000000000000', 'hex');

let alice, bob, admin, learner, outsider;

function addUser(role, name) {
	const email = uniqueEmail(role), password = 'upload pass 123';
	const r = cli(['user', 'add', '--email', email, '--password', password, '--name', name, '--role', role]);
	assert.equal(r.status, 0, r.stderr);
	return { email, password, id: num(`SELECT id FROM users WHERE email = ${q(email)}`) };
}

async function signIn(u) {
	const c = new Client();
	const r = await c.submit('/login', { email: u.email, password: u.password });
	assert.equal(r.status, 303, `sign in ${u.email}`);
	c.user = u;
	c.token = await c.csrf('/account');
	return c;
}

function post(c, path, fields = []) {
	const pairs = Array.isArray(fields) ? fields : Object.entries(fields);
	return c.post(path, [['csrf', c.token], ...pairs.map(([k, v]) => [k, String(v)])]);
}

async function upload(c, path, field, name, bytes, extra = {}) {
	const fd = new FormData();
	fd.append('csrf', c.token);
	for (const [k, v] of Object.entries(extra))
		fd.append(k, v);
	if (bytes)
		fd.append(field, new Blob([bytes]), name);
	const r = await fetch(`${BASE}${path}`,
		{ method: 'POST', body: fd, headers: { cookie: c.cookieHeader() }, redirect: 'manual' });
	return { status: r.status, text: await r.text(), location: r.headers.get('location') };
}

// Temporary upload files (32 hex digits); other test files upload too, so
// in a parallel run one may briefly be in flight.
const tmpFiles = () => existsSync(`${VAR}/uploads/tmp`) ?
	readdirSync(`${VAR}/uploads/tmp`).filter((n) => /^[0-9a-f]{32}$/.test(n)) : [];
const idFrom = (r, re) => Number(r.headers.get('location').match(re)[1]);

async function newCourse(c, title) {
	const r = await post(c, '/teach/courses/new', [['title', title], ['summary', 'A summary'],
		['level', 'beginner'], ['language', 'en'], ['estimated_hours', '2']]);
	assert.equal(r.status, 303, r.text.slice(0, 2000));
	return idFrom(r, /\/teach\/courses\/(\d+)/);
}

before(async () => {
	alice = await signIn(addUser('instructor', 'Alice Uploader'));
	bob = await signIn(addUser('instructor', 'Bob Other'));
	admin = await signIn(addUser('admin', 'Ada Admin'));
	learner = await signIn(addUser('learner', 'Lea Learner'));
	outsider = await signIn(addUser('learner', 'Otto Outsider'));
});

test('cover: a renamed executable (ELF named .png) is 415, nothing kept', async () => {
	const course = await newCourse(alice, `Cover ${RUN}`);
	const before = num(`SELECT count(*) FROM uploads WHERE owner_id = ${alice.user.id}`);
	const r = await upload(alice, `/teach/courses/${course}/cover`, 'cover', 'evil.png',
		Buffer.concat([ELF, Buffer.alloc(4096, 0x90)]));
	assert.equal(r.status, 415, r.text.slice(0, 300));
	assert.equal(num(`SELECT count(*) FROM uploads WHERE owner_id = ${alice.user.id}`), before);
	assert.deepEqual(tmpFiles(), [], 'no temporary file left');
});

test('cover: an image over 5 MB is 413 from the worker, no partial file left', async () => {
	const course = await newCourse(alice, `Big cover ${RUN}`);
	const r = await upload(alice, `/teach/courses/${course}/cover`, 'cover', 'big.png',
		Buffer.concat([PNG, Buffer.alloc(5 * MiB, 1)]));
	assert.equal(r.status, 413, r.text.slice(0, 300));
	assert.match(r.text, /images may be at most 5 MB/);
	assert.deepEqual(tmpFiles(), [], 'no temporary file left');
	assert.equal(sql(`SELECT COALESCE(cover_upload_id::text, '') FROM courses WHERE id = ${course}`), '');
	// Just under the limit is kept.
	const ok = await upload(alice, `/teach/courses/${course}/cover`, 'cover', 'fits.png',
		Buffer.concat([PNG, Buffer.alloc(5 * MiB - PNG.length, 1)]));
	assert.equal(ok.status, 303, ok.text.slice(0, 300));
});

test('nginx refuses a body over its location limit with 413', async () => {
	const course = await newCourse(alice, `Huge cover ${RUN}`);
	const r = await upload(alice, `/teach/courses/${course}/cover`, 'cover', 'huge.png',
		Buffer.concat([PNG, Buffer.alloc(30 * MiB, 1)]));
	assert.equal(r.status, 413);
	assert.match(r.text, /nginx|Request Entity Too Large|Content Too Large/i);
});

async function newLesson(c, course) {
	let r = await post(c, `/teach/courses/${course}/modules`, { title: 'Media module' });
	assert.equal(r.status, 303, r.text.slice(0, 2000));
	const module = idFrom(r, /#module-(\d+)/);
	r = await post(c, `/teach/modules/${module}/lessons/new`, [['title', 'Media lesson'], ['kind', 'video'],
		['estimated_minutes', '15'], ['body', 'Watch this.']]);
	assert.equal(r.status, 303, r.text.slice(0, 2000));
	return idFrom(r, /\/teach\/lessons\/(\d+)/);
}

const mediaId = (lesson, name) => sql(`SELECT u.id FROM lesson_media lm JOIN uploads u ON u.id = lm.upload_id
	WHERE lm.lesson_id = ${lesson} AND u.original_name = ${q(name)}`);

test('lesson media: upload video/PDF/Markdown, list, enrolled fetch with Range 206, others refused, delete', async () => {
	const course = await newCourse(alice, `Media ${RUN}`);
	const lesson = await newLesson(alice, course);
	const path = `/teach/lessons/${lesson}/media`;
	const mp4 = Buffer.concat([Buffer.from('00000018667479706d703432', 'hex'), Buffer.alloc(300 * 1024, 7)]);
	let r = await upload(alice, path, 'file', 'intro.mp4', mp4);
	assert.equal(r.status, 303, r.text.slice(0, 300));
	r = await upload(alice, path, 'file', 'notes.pdf', Buffer.from('%PDF-1.4\n% a small pdf\n'));
	assert.equal(r.status, 303, r.text.slice(0, 300));
	r = await upload(alice, path, 'file', 'notes.md', Buffer.from('# Notes\n\nÜber *Markdown* — ok.\n'));
	assert.equal(r.status, 303, r.text.slice(0, 300));
	assert.equal(sql(`SELECT content_type FROM uploads WHERE id = ${mediaId(lesson, 'notes.md')}`), 'text/markdown');
	// Text that stops being UTF-8 after the first bytes, or carries a NUL: 415, nothing left.
	r = await upload(alice, path, 'file', 'bad.txt', Buffer.concat([Buffer.from('plain text start, fine so far\n'), Buffer.alloc(70000, 0x41), Buffer.from([0xc3, 0x28])]));
	assert.equal(r.status, 415, r.text.slice(0, 300));
	r = await upload(alice, path, 'file', 'nul.txt', Buffer.concat([Buffer.from('text then a NUL'), Buffer.from([0]), Buffer.from('more')]));
	assert.equal(r.status, 415);
	r = await upload(alice, path, 'file', 'evil.png', ELF);
	assert.equal(r.status, 415);
	assert.deepEqual(tmpFiles(), [], 'no temporary file left');
	assert.equal(mediaId(lesson, 'bad.txt'), '');
	// Another instructor: 404, nothing stored.
	const bobCount = num(`SELECT count(*) FROM uploads WHERE owner_id = ${bob.user.id}`);
	r = await upload(bob, path, 'file', 'x.pdf', Buffer.from('%PDF-1.4\n'));
	assert.equal(r.status, 404);
	assert.equal(num(`SELECT count(*) FROM uploads WHERE owner_id = ${bob.user.id}`), bobCount);

	const page = await alice.get(`/teach/lessons/${lesson}`);
	const vid = mediaId(lesson, 'intro.mp4');
	assert.ok(page.text.includes(`href="/uploads/${vid}"`), 'listed on the lesson page');
	assert.ok(page.text.includes('notes.pdf'));

	// Not enrolled: 404; enrolled: 200, and a Range request is 206 through nginx.
	assert.equal((await learner.get(`/uploads/${vid}`)).status, 404);
	sql(`INSERT INTO enrollments (user_id, course_id) VALUES (${learner.user.id}, ${course})`);
	const full = await learner.get(`/uploads/${vid}`);
	assert.equal(full.status, 200);
	assert.equal(full.headers.get('content-type'), 'video/mp4');
	const part = await learner.req('GET', `/uploads/${vid}`, { headers: { range: 'bytes=0-99' } });
	assert.equal(part.status, 206);
	assert.equal(part.headers.get('content-range'), `bytes 0-99/${mp4.length}`);
	assert.equal((await outsider.get(`/uploads/${vid}`)).status, 404);
	assert.equal((await new Client().get(`/uploads/${vid}`)).status, 404);

	// The enrolled learner's lesson page: the MP4 in the player, every
	// other attachment listed with its type and size; a learner who is
	// not enrolled sees neither.
	sql(`UPDATE courses SET status = 'published' WHERE id = ${course}`);
	const lessonUrl = `/courses/${course}/lessons/${lesson}`;
	let lp = await learner.get(lessonUrl);
	assert.equal(lp.status, 200);
	const files = lp.text.match(/<section class="lesson-files"[\s\S]*?<\/section>/);
	assert.ok(files, 'the lesson lists its files');
	assert.match(lp.text, new RegExp(`<source src="/uploads/${vid}" type="video/mp4">`));
	assert.ok(!files[0].includes(`/uploads/${vid}"`), 'the played video is not listed again');
	assert.match(files[0], new RegExp(`href="/uploads/${mediaId(lesson, 'notes.pdf')}">notes.pdf</a> <span class="meta">application/pdf, \\d+ bytes`));
	assert.match(files[0], new RegExp(`href="/uploads/${mediaId(lesson, 'notes.md')}">notes.md</a>`));
	lp = await outsider.get(lessonUrl);
	assert.ok(!lp.text.includes('lesson-files') && !lp.text.includes('/uploads/'), 'not enrolled: no files');

	// Delete: the learner and the other instructor cannot; the owner can, row and file go.
	const key = sql(`SELECT storage_key FROM uploads WHERE id = ${vid}`);
	assert.ok(existsSync(`${VAR}/uploads/${key}`));
	assert.equal((await post(learner, `/uploads/${vid}/delete`)).status, 404);
	assert.equal((await post(bob, `/uploads/${vid}/delete`)).status, 404);
	r = await post(alice, `/uploads/${vid}/delete`);
	assert.equal(r.status, 303);
	assert.match(r.headers.get('location'), new RegExp(`/teach/lessons/${lesson}`));
	assert.equal(num(`SELECT count(*) FROM uploads WHERE id = ${vid}`), 0);
	assert.ok(!existsSync(`${VAR}/uploads/${key}`), 'file removed');
	// Admin may delete someone else's upload.
	const pdf = mediaId(lesson, 'notes.pdf');
	assert.equal((await post(admin, `/uploads/${pdf}/delete`)).status, 303);
	assert.equal(num(`SELECT count(*) FROM uploads WHERE id = ${pdf}`), 0);
});

test('upload_cleanup: orphans older than a day and temp files older than an hour go; the rest stays', async () => {
	const { writeFileSync, utimesSync, unlinkSync } = await import('node:fs');
	const course = await newCourse(alice, `Cleanup ${RUN}`);
	const lesson = await newLesson(alice, course);
	const path = `/teach/lessons/${lesson}/media`;
	for (const name of ['kept.pdf', 'orphan.pdf', 'young.pdf'])
		assert.equal((await upload(alice, path, 'file', name, Buffer.from(`%PDF-1.4\n${name}\n`))).status, 303);
	const kept = mediaId(lesson, 'kept.pdf'), orphan = mediaId(lesson, 'orphan.pdf'), young = mediaId(lesson, 'young.pdf');
	const key = (id) => sql(`SELECT storage_key FROM uploads WHERE id = ${id}`);
	const orphanKey = key(orphan);
	sql(`DELETE FROM lesson_media WHERE upload_id IN (${orphan}, ${young})`);
	sql(`UPDATE uploads SET created_at = now() - interval '2 days' WHERE id IN (${kept}, ${orphan})`);
	const old = `${VAR}/uploads/tmp/stale-${RUN}`, fresh = `${VAR}/uploads/tmp/fresh-${RUN}`;
	writeFileSync(old, 'x');
	writeFileSync(fresh, 'y');
	const t = Date.now() / 1000 - 7200;
	utimesSync(old, t, t);

	try {
		await runCleanup(old, fresh, { kept, orphan, young, orphanKey, key });
	} finally {
		for (const f of [old, fresh])
			if (existsSync(f)) unlinkSync(f);
	}
	assert.equal(sql(`SELECT count(*) FROM job_schedules WHERE kind = 'upload_cleanup' AND enabled`), '1', 'scheduled nightly');
});

async function runCleanup(old, fresh, { kept, orphan, young, orphanKey, key }) {
	const id = Number(sql(`INSERT INTO jobs (kind) VALUES ('upload_cleanup') RETURNING id; NOTIFY adept_jobs`).split('\n')[0]);
	let state = '';
	for (let i = 0; i < 100 && state !== 'done' && state !== 'dead'; i++) {
		await new Promise((r) => setTimeout(r, 100));
		state = sql(`SELECT state FROM jobs WHERE id = ${id}`);
	}
	assert.equal(state, 'done', sql(`SELECT coalesce(last_error, '') FROM jobs WHERE id = ${id}`));
	assert.equal(num(`SELECT count(*) FROM uploads WHERE id = ${orphan}`), 0, 'old orphan row deleted');
	assert.ok(!existsSync(`${VAR}/uploads/${orphanKey}`), 'old orphan file deleted');
	assert.equal(num(`SELECT count(*) FROM uploads WHERE id IN (${kept}, ${young})`), 2, 'referenced and young uploads stay');
	assert.ok(existsSync(`${VAR}/uploads/${key(kept)}`));
	assert.ok(!existsSync(old), 'stale temporary file removed');
	assert.ok(existsSync(fresh), 'fresh temporary file stays');
}

test('lesson media JSON twin: 201 with the upload url; an untyped file is 415; a PDF over 20 MB is 413 from the worker', async () => {
	const course = await newCourse(alice, `Media API ${RUN}`);
	const lesson = await newLesson(alice, course);
	const webm = Buffer.concat([Buffer.from('1a45dfa3', 'hex'), Buffer.alloc(1024, 3)]);
	let r = await upload(alice, `/api/v1/teach/lessons/${lesson}/media`, 'file', 'clip.webm', webm);
	assert.equal(r.status, 201, r.text.slice(0, 300));
	const j = JSON.parse(r.text);
	assert.equal(j.url, `/uploads/${j.id}`);
	assert.equal(sql(`SELECT content_type FROM uploads WHERE id = ${j.id}`), 'video/webm');
	r = await upload(alice, `/api/v1/teach/lessons/${lesson}/media`, 'file', 'a.bin', Buffer.from([0x00, 0x01, 0x02, 0xff]));
	assert.equal(r.status, 415);
	assert.equal(JSON.parse(r.text).error !== undefined || JSON.parse(r.text).message !== undefined, true);
	// A document over 20 MB is refused by the worker at 20 MB (nginx allows 500 MB here).
	r = await upload(alice, `/api/v1/teach/lessons/${lesson}/media`, 'file', 'big.pdf',
		Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(21 * MiB, 0x20)]));
	assert.equal(r.status, 413);
	assert.match(r.text, /documents may be at most 20 MB/);
	assert.deepEqual(tmpFiles(), []);
});
