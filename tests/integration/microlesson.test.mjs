// Narrated micro-lessons (issue 8, micro): asked for from a lesson (202 +
// project), the "microlesson" job makes it with espeak-ng and ffmpeg; the
// item waits for review with a 45-90 s duration, the MP4 (H.264 + AAC
// streams, its length the item's), the WebVTT captions (cues within the
// length) and the PNG thumbnail all fetchable by the instructor and by no
// learner; the review page plays it (<video> + <track kind="captions">);
// approval makes a video lesson with the media attached, which an
// enrolled learner sees on the lesson page and in the feed and fetches
// with Range (206); from a concept prompt over the course's passages,
// rejected with a note; ownership (another instructor 404, a learner
// 403); an empty lesson fails the project with the reason.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { BASE, Client, cli, sql, uniqueEmail } from './lib.mjs';

const PW = 'micro lesson password 1';
const LESSON_MD = readFileSync(new URL('../data/microlesson/lesson.md', import.meta.url), 'utf8');
let teacher, other, L, course, module1, lesson, empty, project, item;

async function account(role) {
	const email = uniqueEmail(`micro-${role}`);
	const out = cli(['user', 'add', '--email', email, '--password', PW, '--name', `Micro ${role}`, '--role', role]);
	assert.equal(out.status, 0, out.stderr);
	const c = new Client();
	assert.equal((await c.submit('/login', { email, password: PW })).status, 303);
	const t = await new Client().postJSON('/api/v1/auth/login', { email, password: PW });
	assert.equal(t.status, 200, t.text);
	return { c, tok: t.json().access_token, id: Number(out.stdout.trim()) };
}

const auth = (tok) => ({ authorization: `Bearer ${tok}` });
const api = (who, path, body) => body === undefined
	? new Client().get(path, { headers: auth(who.tok) })
	: new Client().postJSON(path, body, auth(who.tok));
const n = (query) => Number(sql(query).split('\n')[0]);
const q = (s) => `$ml$${s}$ml$`;

// The stack's own worker may take the job first; either way the project
// ends done or failed.
async function settle(id) {
	cli(['worker', '--once']);
	for (let i = 0; i < 240; i++) {
		const p = (await api(teacher, `/api/v1/projects/${id}`)).json();
		if (p.status === 'done' || p.status === 'failed') return p;
		await new Promise((r) => setTimeout(r, 500));
	}
	assert.fail(`project ${id} did not finish`);
}

async function bytes(who, path, headers = {}) {
	// signed in with the session cookie, as a browser's <video> is
	const r = await fetch(`${BASE}${path}`, { headers: { cookie: who.c.cookieHeader(), ...headers } });
	return { status: r.status, type: r.headers.get('content-type'), headers: r.headers, body: Buffer.from(await r.arrayBuffer()) };
}

before(async () => {
	teacher = await account('instructor');
	other = await account('instructor');
	L = await account('learner');
	const r = await api(teacher, '/api/v1/courses', { title: `Transactions ${Date.now()}`, level: 'intermediate' });
	assert.equal(r.status, 201, r.text);
	course = r.json().id;
	module1 = (await api(teacher, `/api/v1/courses/${course}/modules`, { title: 'Concurrency' })).json().id;
	lesson = n(`INSERT INTO lessons (module_id, position, title, kind, body_md) VALUES (${module1}, 1, 'Transactions', 'text', ${q(LESSON_MD)}) RETURNING id`);
	empty = n(`INSERT INTO lessons (module_id, position, title, kind, body_md) VALUES (${module1}, 2, 'Empty', 'text', '') RETURNING id`);
	sql(`UPDATE courses SET status = 'published', published_at = now() WHERE id = ${course}`);
	sql(`INSERT INTO enrollments (user_id, course_id) VALUES (${L.id}, ${course})`);
	// the course's material: the lesson's sections as passages
	const mid = n(`INSERT INTO course_materials (course_id, name, kind, status) VALUES (${course}, 'notes.md', 'markdown', 'ready') RETURNING id`);
	LESSON_MD.split(/\n## /).slice(1).forEach((sec, i) => {
		const [head, ...rest] = sec.split('\n');
		sql(`INSERT INTO material_passages (material_id, course_id, seq, heading, body) VALUES (${mid}, ${course}, ${i + 1}, ${q(head)}, ${q(rest.join('\n').trim())})`);
	});
});

test('from a lesson: a pending micro-lesson of 45-90 s with its video, captions and thumbnail', async () => {
	const r = await api(teacher, `/api/v1/teach/lessons/${lesson}/microlesson`, {});
	assert.equal(r.status, 202, r.text);
	project = r.json().id;
	assert.equal(n(`SELECT count(*) FROM jobs WHERE kind = 'microlesson' AND payload->>'project' = '${project}'`), 1);
	const p = await settle(project);
	assert.equal(p.status, 'done', p.reason);
	assert.deepEqual(p.inputs, { kinds: ['microlesson'], lesson });
	assert.equal(p.items.length, 1);
	item = p.items[0];
	assert.equal(item.kind, 'microlesson');
	assert.equal(item.status, 'pending');
	assert.deepEqual(item.checks, { duration: 'ok', grounded: 'ok', safety: 'ok' });
	assert.equal(item.passed, true);
	const c = item.content;
	assert.equal(c.source, 'lesson');
	assert.equal(c.lesson_id, lesson);
	assert.ok(c.duration >= 45 && c.duration <= 90, `duration ${c.duration}`);
	assert.ok(c.words >= 110 && c.words <= 225, `words ${c.words}`);
	assert.ok(c.slides.length >= 4 && c.slides.length <= 8);
	for (const s of c.slides) {
		assert.ok(s.bullets.length >= 1 && s.bullets.length <= 3);
		assert.ok(s.narration.length > 0 && !s.narration.includes('[p'));
	}
	assert.ok(Math.abs(c.slides.reduce((a, s) => a + s.seconds, 0) - c.duration) < 0.01);
	// nothing else written: no lesson, the uploads owned by the teacher
	assert.equal(item.lesson_id, null);
	assert.equal(n(`SELECT count(*) FROM uploads WHERE id IN (${c.video}, ${c.captions}, ${c.thumbnail}) AND owner_id = ${teacher.id}`), 3);
	assert.equal(sql(`SELECT uploads::text FROM generated_items WHERE id = ${item.id}`), `{${c.video},${c.captions},${c.thumbnail}}`);
});

test('the instructor fetches the MP4 (H.264/AAC, its length), the VTT and the thumbnail', async () => {
	const c = item.content;
	const v = await bytes(teacher, `/uploads/${c.video}`);
	assert.equal(v.status, 200);
	assert.equal(v.type, 'video/mp4');
	const dir = mkdtempSync(join(tmpdir(), 'micro-'));
	try {
		writeFileSync(join(dir, 'v.mp4'), v.body);
		const pr = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name,width,height:format=duration', '-of', 'json', join(dir, 'v.mp4')], { encoding: 'utf8' });
		assert.equal(pr.status, 0, pr.stderr);
		const info = JSON.parse(pr.stdout);
		const video = info.streams.find((s) => s.codec_type === 'video');
		const audio = info.streams.find((s) => s.codec_type === 'audio');
		assert.ok(video && audio, pr.stdout);
		assert.equal(video.codec_name, 'h264');
		assert.equal(audio.codec_name, 'aac');
		assert.equal(video.width, 640);
		assert.equal(video.height, 360);
		assert.ok(Math.abs(Number(info.format.duration) - c.duration) < 0.5, `${info.format.duration} vs ${c.duration}`);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
	const t = await bytes(teacher, `/uploads/${c.captions}`);
	assert.equal(t.status, 200);
	const vtt = t.body.toString('utf8');
	assert.ok(vtt.startsWith('WEBVTT\n'), vtt.slice(0, 40));
	const cues = [...vtt.matchAll(/(\d\d):(\d\d):(\d\d)\.(\d\d\d) --> (\d\d):(\d\d):(\d\d)\.(\d\d\d)/g)]
		.map((m) => [(+m[1]) * 3600 + (+m[2]) * 60 + (+m[3]) + (+m[4]) / 1000, (+m[5]) * 3600 + (+m[6]) * 60 + (+m[7]) + (+m[8]) / 1000]);
	assert.ok(cues.length >= c.slides.length, `${cues.length} cues`);
	let prev = 0;
	for (const [a, b] of cues) {
		assert.ok(a >= prev - 0.001 && b > a && b <= c.duration + 0.01, `${a} --> ${b}`);
		prev = b;
	}
	assert.ok(Math.abs(prev - c.duration) < 0.01);
	const th = await bytes(teacher, `/uploads/${c.thumbnail}`);
	assert.equal(th.status, 200);
	assert.equal(th.type, 'image/png');
	assert.deepEqual([...th.body.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
});

test('the review page plays it with captions, no JavaScript needed', async () => {
	const page = await teacher.c.get(`/teach/projects/${project}`);
	assert.equal(page.status, 200);
	const c = item.content;
	assert.match(page.text, new RegExp(`<video [^>]*poster="/uploads/${c.thumbnail}"`));
	assert.match(page.text, new RegExp(`<source src="/uploads/${c.video}" type="video/mp4">`));
	assert.match(page.text, new RegExp(`<track kind="captions" src="/uploads/${c.captions}"`));
	assert.match(page.text, /Narrated micro-lesson/);
	assert.ok(page.text.includes(c.slides[0].title));
	// not editable
	const e = await api(teacher, `/api/v1/generated-items/${item.id}/edit`, { title: 'x' });
	assert.equal(e.status, 400);
	// the buttons that ask for one
	assert.match((await teacher.c.get(`/teach/lessons/${lesson}`)).text, new RegExp(`action="/teach/lessons/${lesson}/microlesson"`));
	assert.match((await teacher.c.get(`/teach/courses/${course}/projects`)).text, new RegExp(`action="/teach/courses/${course}/microlesson"`));
});

test('nothing reaches learners before approval; ownership', async () => {
	const c = item.content;
	for (const id of [c.video, c.captions, c.thumbnail]) {
		assert.equal((await bytes(L, `/uploads/${id}`)).status, 404);
		assert.equal((await bytes(other, `/uploads/${id}`)).status, 404);
	}
	assert.equal(n(`SELECT count(*) FROM lessons WHERE module_id = ${module1} AND kind = 'video'`), 0);
	assert.equal((await api(other, `/api/v1/projects/${project}`)).status, 404);
	assert.equal((await api(other, `/api/v1/generated-items/${item.id}/approve`, {})).status, 404);
	assert.equal((await api(other, `/api/v1/teach/lessons/${lesson}/microlesson`, {})).status, 404);
	assert.equal((await api(other, `/api/v1/courses/${course}/microlesson`, { prompt: 'isolation' })).status, 404);
	assert.equal((await api(L, `/api/v1/generated-items/${item.id}/approve`, {})).status, 403);
	assert.equal((await api(L, `/api/v1/teach/lessons/${lesson}/microlesson`, {})).status, 403);
	assert.equal((await api(L, `/api/v1/projects/${project}`)).status, 403);
	assert.equal(n(`SELECT count(*) FROM generation_projects WHERE course_id = ${course}`), 1);
});

test('approve: a video lesson in the module with the media, seen by the enrolled learner and in the feed', async () => {
	const r = await api(teacher, `/api/v1/generated-items/${item.id}/approve`, { module: module1, note: 'clear' });
	assert.equal(r.status, 200, r.text);
	const got = r.json().item;
	assert.equal(got.status, 'approved');
	const lid = got.lesson_id;
	assert.ok(lid > 0);
	assert.equal(sql(`SELECT kind || '|' || module_id || '|' || title FROM lessons WHERE id = ${lid}`), `video|${module1}|Transactions`);
	const c = item.content;
	assert.equal(sql(`SELECT string_agg(upload_id::text, ',' ORDER BY upload_id) FROM lesson_media WHERE lesson_id = ${lid}`),
		[c.video, c.captions, c.thumbnail].sort((a, b) => a - b).join(','));
	assert.equal(n(`SELECT count(*) FROM audit_log WHERE action = 'genitem.approve' AND object = 'generated_item:${item.id}'`), 1);
	// the learner: the lesson page plays it, the file streams with Range
	const page = await L.c.get(`/courses/${course}/lessons/${lid}`);
	assert.equal(page.status, 200);
	assert.match(page.text, new RegExp(`<source src="/uploads/${c.video}" type="video/mp4">`));
	assert.match(page.text, new RegExp(`<track kind="captions" src="/uploads/${c.captions}"`));
	const part = await bytes(L, `/uploads/${c.video}`, { range: 'bytes=0-99' });
	assert.equal(part.status, 206);
	assert.equal(part.body.length, 100);
	assert.match(part.headers.get('content-range'), /^bytes 0-99\/\d+$/);
	assert.equal((await bytes(L, `/uploads/${c.captions}`)).status, 200);
	assert.equal((await bytes(other, `/uploads/${c.video}`)).status, 404);
	// the feed picks it up (video lessons are feed candidates)
	const f = (await api(L, '/api/v1/feed')).json();
	const card = f.cards.find((x) => x.lesson_id === lid);
	assert.ok(card, JSON.stringify(f.cards.map((x) => x.lesson_id)));
	assert.equal(card.kind, 'video');
	// once only
	assert.equal((await api(teacher, `/api/v1/generated-items/${item.id}/approve`, {})).status, 409);
});

test('from a concept prompt over the course passages; rejected with a note', async () => {
	const r = await api(teacher, `/api/v1/courses/${course}/microlesson`, { prompt: 'isolation levels and snapshots', module: module1 });
	assert.equal(r.status, 202, r.text);
	const p = await settle(r.json().id);
	assert.equal(p.status, 'done', p.reason);
	const it = p.items[0];
	assert.equal(it.content.source, 'prompt');
	assert.equal(it.content.title, 'isolation levels and snapshots');
	assert.ok(it.sources.length > 0);
	assert.equal(it.checks.grounded, 'ok');
	assert.ok(it.content.duration >= 45 && it.content.duration <= 90);
	assert.equal((await api(teacher, `/api/v1/generated-items/${it.id}/reject`, {})).status, 400);
	const j = await api(teacher, `/api/v1/generated-items/${it.id}/reject`, { note: 'too abstract' });
	assert.equal(j.status, 200, j.text);
	assert.equal(j.json().item.status, 'rejected');
	assert.equal(j.json().item.review_note, 'too abstract');
	assert.equal(j.json().item.lesson_id, null);
	assert.equal((await bytes(L, `/uploads/${it.content.video}`)).status, 404);
	// bad input: no prompt
	assert.equal((await api(teacher, `/api/v1/courses/${course}/microlesson`, {})).status, 400);
});

test('an empty lesson fails the project with the reason', async () => {
	const r = await api(teacher, `/api/v1/teach/lessons/${empty}/microlesson`, {});
	assert.equal(r.status, 202, r.text);
	const p = await settle(r.json().id);
	assert.equal(p.status, 'failed');
	assert.match(p.reason, /no micro-lesson can be made from this lesson: the source text gives 0 words/);
	assert.equal(p.items.length, 0);
	// the projects page says why
	const page = await teacher.c.get(`/teach/courses/${course}/projects`);
	assert.match(page.text, /narrated micro-lesson of lesson/);
});
