// Generation projects (issue 8, genproj): a project asked for (202 + id),
// run by the worker, every item stored with its sources and checks; the
// quality gates over the items (grounded, duplicate-free, distractors
// distinct: 100 %); nothing reaches learners before an approval; approve
// into a bank question (options, the right answer, the course's skills,
// owned by the course's author), reject with a note, edit then approve, an
// item failing a check refused without the override; a lesson draft
// approved into a lesson; ownership (another instructor 404, a learner
// 403); a course without material fails with the reason; a rerun gives the
// same items once; the review-again list; the learner's personalised view
// of a module, cached per (module, profile); the audit log.
//
// The material: the passages are inserted straight into material_passages
// from tests/data/course/*.md (the upload -> passages pipeline is another
// piece of work): each file is split at its headings, and each section's
// paragraphs are joined into passages of about 1200 bytes, as
// learn_chunk does.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { Client, cli, sql } from './lib.mjs';
import { uniqueEmail } from './lib.mjs';

const PW = 'genproj password 1';
const DATA = new URL('../data/course/', import.meta.url);
let teacher, other, L, admin;
let course, module1, module2, skill, project;

async function account(role) {
	const email = uniqueEmail(`gen-${role}`);
	const out = cli(['user', 'add', '--email', email, '--password', PW, '--name', `Gen ${role}`, '--role', role]);
	assert.equal(out.status, 0, out.stderr);
	const c = new Client();
	assert.equal((await c.submit('/login', { email, password: PW })).status, 303);
	const t = await new Client().postJSON('/api/v1/auth/login', { email, password: PW });
	assert.equal(t.status, 200, t.text);
	return { c, tok: t.json().access_token, id: Number(out.stdout.trim()), email };
}

const auth = (tok) => ({ authorization: `Bearer ${tok}` });
const api = (who, path, body) => body === undefined
	? new Client().get(path, { headers: auth(who.tok) })
	: new Client().postJSON(path, body, auth(who.tok));
const n = (query) => Number(sql(query).split('\n')[0]);
const q = (s) => `$gp$${s}$gp$`;

// Passages of one Markdown file: sections at headings, paragraphs joined
// up to ~1200 bytes.
function chunk(text) {
	const out = [];
	let heading = '', cur = '';
	const flush = () => { if (cur) out.push({ heading, body: cur }); cur = ''; };
	for (const block of text.split(/\n\s*\n/)) {
		const b = block.trim();
		if (!b) continue;
		const h = b.match(/^#{1,6}\s+(.*)$/);
		if (h && !b.includes('\n')) { flush(); heading = h[1]; continue; }
		if (cur && cur.length + b.length > 1200) flush();
		cur = cur ? `${cur}\n\n${b}` : b;
	}
	flush();
	return out;
}

function loadMaterial(courseId, files) {
	for (const f of files) {
		const mid = n(`INSERT INTO course_materials (course_id, name, kind, status) VALUES (${courseId}, ${q(f)}, 'markdown', 'ready') RETURNING id`);
		const ps = chunk(readFileSync(new URL(f, DATA), 'utf8'));
		const values = ps.map((p, i) => `(${mid}, ${courseId}, ${i + 1}, ${q(p.heading)}, ${q(p.body)})`).join(',\n');
		sql(`INSERT INTO material_passages (material_id, course_id, seq, heading, body) VALUES ${values}`);
	}
}

async function runWorker() {
	const out = cli(['worker', '--once']);
	assert.equal(out.status, 0, out.stderr);
}

before(async () => {
	teacher = await account('instructor');
	other = await account('instructor');
	admin = await account('admin');
	L = await account('learner');
	const r = await api(teacher, '/api/v1/courses', { title: `Databases ${Date.now()}`, level: 'beginner' });
	assert.equal(r.status, 201, r.text);
	course = r.json().id;
	module1 = (await api(teacher, `/api/v1/courses/${course}/modules`, { title: 'The relational model' })).json().id;
	module2 = (await api(teacher, `/api/v1/courses/${course}/modules`, { title: 'Transactions' })).json().id;
	assert.ok(module1 > 0 && module2 > 0);
	skill = n(`INSERT INTO skills (name) VALUES ('Gen databases ${process.pid}-${Date.now()}') RETURNING id`);
	sql(`INSERT INTO course_skills (course_id, skill_id, target_level) VALUES (${course}, ${skill}, 5)`);
	loadMaterial(course, readdirSync(DATA).filter((f) => f.endsWith('.md')).sort());
});

const items = async (id) => (await api(teacher, `/api/v1/projects/${id}`)).json().items;

test('a project is queued (202), the worker runs it, every item has sources and checks', async () => {
	const r = await api(teacher, `/api/v1/courses/${course}/generate`, { objectives: true, lesson: true, items: 20 });
	assert.equal(r.status, 202, r.text);
	project = r.json().id;
	assert.ok(project > 0);
	// (the stack's own worker may take it first: running once more is a
	// rerun, which the next test shows changes nothing)
	assert.equal(n(`SELECT count(*) FROM jobs WHERE kind = 'generate' AND payload->>'project' = '${project}'`), 1);
	await runWorker();
	const p = (await api(teacher, `/api/v1/projects/${project}`)).json();
	assert.equal(p.status, 'done', p.reason);
	assert.equal(p.backend, 'offline');
	assert.deepEqual(p.inputs.kinds, ['objectives', 'lesson', 'quiz']);
	const quiz = p.items.filter((i) => ['single', 'truefalse', 'cloze'].includes(i.kind));
	assert.equal(quiz.length, 20);
	assert.ok(p.items.some((i) => i.kind === 'objective'));
	assert.equal(p.items.filter((i) => i.kind === 'lesson').length, 1);
	const passages = new Set(sql(`SELECT id FROM material_passages WHERE course_id = ${course}`).split('\n').map(Number));
	for (const it of p.items) {
		assert.ok(it.sources.length > 0, `item ${it.id} has no sources`);
		for (const s of it.sources) assert.ok(passages.has(s), `item ${it.id} cites ${s}, not this course's`);
		assert.deepEqual(Object.keys(it.checks).sort(), ['distractors_distinct', 'duplicate_free', 'grounded', 'readability', 'safety']);
		assert.equal(it.passed, Object.values(it.checks).every((v) => v === 'ok'));
		assert.equal(it.status, 'pending');
	}
	// The quality gates over the quiz items, from the stored checks.
	const rate = (k) => quiz.filter((i) => i.checks[k] === 'ok').length / quiz.length;
	assert.equal(rate('grounded'), 1, JSON.stringify(quiz.filter((i) => i.checks.grounded !== 'ok').map((i) => i.checks)));
	assert.equal(rate('duplicate_free'), 1);
	assert.equal(rate('distractors_distinct'), 1);
	for (const it of quiz.filter((i) => i.kind === 'single')) {
		assert.equal(it.content.options.length >= 3, true);
		assert.equal(new Set(it.content.options.map((o) => o.toLowerCase())).size, it.content.options.length);
		assert.ok(it.content.options.includes(it.content.answer));
		assert.ok(it.content.explanation.length > 0);
	}
	// The lesson draft cites this course's passages as [p<id>].
	const lesson = p.items.find((i) => i.kind === 'lesson');
	assert.match(lesson.content.markdown, /\[p\d+\]/);
	assert.equal(lesson.checks.grounded, 'ok', lesson.checks.grounded);
	// The list counts them.
	const list = (await api(teacher, `/api/v1/courses/${course}/projects`)).json();
	const row = list.projects.find((x) => x.id === project);
	assert.equal(row.counts.items, p.items.length);
	assert.equal(row.counts.pending, p.items.length);
	assert.equal(row.counts.passed, p.items.filter((i) => i.passed).length);
	// The pages show the items with their sources and checks.
	const page = await teacher.c.get(`/teach/projects/${project}`);
	assert.equal(page.status, 200);
	assert.match(page.text, /Passage p\d+/);
	assert.match(page.text, /grounded: passed/);
	const lp = await teacher.c.get(`/teach/courses/${course}/projects`);
	assert.equal(lp.status, 200);
	assert.match(lp.text, new RegExp(`Project ${project}`));
});

test('nothing reaches learners before an approval', () => {
	assert.equal(n(`SELECT count(*) FROM questions WHERE owner_id = ${teacher.id}`), 0);
	assert.equal(n(`SELECT count(*) FROM lessons l JOIN modules m ON m.id = l.module_id WHERE m.course_id = ${course}`), 0);
	assert.equal(n(`SELECT count(*) FROM generated_items WHERE project_id = ${project} AND (question_id IS NOT NULL OR lesson_id IS NOT NULL)`), 0);
});

test('a rerun replaces the items with the same ones, once', async () => {
	const before = sql(`SELECT string_agg(kind || ':' || md5(content::text), ',' ORDER BY id) FROM generated_items WHERE project_id = ${project}`);
	const count = n(`SELECT count(*) FROM generated_items WHERE project_id = ${project}`);
	sql(`INSERT INTO jobs (kind, payload) VALUES ('generate', '{"project": ${project}}')`);
	await runWorker();
	assert.equal(n(`SELECT count(*) FROM generated_items WHERE project_id = ${project}`), count);
	assert.equal(sql(`SELECT string_agg(kind || ':' || md5(content::text), ',' ORDER BY id) FROM generated_items WHERE project_id = ${project}`), before);
});

test('approve a quiz item: a bank question with its options, the right answer and the course skills', async () => {
	const it = (await items(project)).find((i) => i.kind === 'single' && i.passed);
	const r = await api(teacher, `/api/v1/generated-items/${it.id}/approve`, { note: 'good one' });
	assert.equal(r.status, 200, r.text);
	const got = r.json().item;
	assert.equal(got.status, 'approved');
	assert.ok(got.question_id > 0);
	const qid = got.question_id;
	assert.equal(n(`SELECT owner_id FROM questions WHERE id = ${qid}`), teacher.id);
	assert.equal(sql(`SELECT kind FROM questions WHERE id = ${qid}`), 'single');
	const bq = (await api(teacher, `/api/v1/bank/questions/${qid}`)).json();
	assert.equal(bq.stem, it.content.question);
	assert.deepEqual(bq.options.map((o) => o.text), it.content.options);
	assert.deepEqual(bq.options.filter((o) => o.correct).map((o) => o.text), [it.content.answer]);
	assert.equal(n(`SELECT count(*) FROM question_skills WHERE question_id = ${qid} AND skill_id = ${skill}`), 1);
	// Once only.
	const again = await api(teacher, `/api/v1/generated-items/${it.id}/approve`, {});
	assert.equal(again.status, 409);
	assert.equal(n(`SELECT count(*) FROM questions WHERE owner_id = ${teacher.id}`), 1);
	assert.equal(n(`SELECT count(*) FROM audit_log WHERE action = 'genitem.approve' AND object = 'generated_item:${it.id}' AND actor_id = ${teacher.id}`), 1);
	// A true/false item and a cloze item (short answer) too.
	const tf = (await items(project)).find((i) => i.kind === 'truefalse' && i.status === 'pending' && i.passed);
	if (tf) {
		const t = (await api(teacher, `/api/v1/generated-items/${tf.id}/approve`, {})).json().item;
		const opts = (await api(teacher, `/api/v1/bank/questions/${t.question_id}`)).json().options;
		assert.deepEqual(opts.filter((o) => o.correct).map((o) => o.text), [tf.content.answer]);
	}
	const cz = (await items(project)).find((i) => i.kind === 'cloze' && i.status === 'pending' && i.passed);
	if (cz) {
		const c = (await api(teacher, `/api/v1/generated-items/${cz.id}/approve`, {})).json().item;
		assert.equal(sql(`SELECT kind FROM questions WHERE id = ${c.question_id}`), 'short');
		const opts = (await api(teacher, `/api/v1/bank/questions/${c.question_id}`)).json().options;
		assert.deepEqual(opts.map((o) => o.text), [cz.content.answer]);
	}
});

test('reject with a note; a note is required', async () => {
	const it = (await items(project)).find((i) => i.kind === 'single' && i.status === 'pending');
	assert.equal((await api(teacher, `/api/v1/generated-items/${it.id}/reject`, {})).status, 400);
	const r = await api(teacher, `/api/v1/generated-items/${it.id}/reject`, { note: 'too easy' });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json().item.status, 'rejected');
	assert.equal(r.json().item.review_note, 'too easy');
	assert.equal(r.json().item.question_id, null);
	assert.equal((await api(teacher, `/api/v1/generated-items/${it.id}/approve`, {})).status, 409);
	assert.equal(n(`SELECT count(*) FROM audit_log WHERE action = 'genitem.reject' AND object = 'generated_item:${it.id}'`), 1);
});

test('edit then approve: the checks run again and the bank question has the edit', async () => {
	const it = (await items(project)).find((i) => i.kind === 'single' && i.status === 'pending' && i.passed);
	const r = await api(teacher, `/api/v1/generated-items/${it.id}/edit`, { explanation: 'Because the chapter says so.', question: `${it.content.question} (edited)` });
	assert.equal(r.status, 200, r.text);
	const e = r.json().item;
	assert.equal(e.content.explanation, 'Because the chapter says so.');
	assert.equal(e.passed, true, JSON.stringify(e.checks));
	const a = await api(teacher, `/api/v1/generated-items/${it.id}/approve`, {});
	assert.equal(a.status, 200, a.text);
	const bq = (await api(teacher, `/api/v1/bank/questions/${a.json().item.question_id}`)).json();
	assert.equal(bq.stem, `${it.content.question} (edited)`);
	assert.equal(bq.explanation, 'Because the chapter says so.');
	assert.equal(n(`SELECT count(*) FROM audit_log WHERE action = 'genitem.edit' AND object = 'generated_item:${it.id}'`), 1);
});

test('an item failing a check is approved only once an edit fixes it, or with the override', async () => {
	const pending = (await items(project)).filter((i) => i.kind === 'single' && i.status === 'pending' && i.passed);
	// Personal data in the explanation: the safety check fails, with why.
	const [a, b] = pending;
	let r = await api(teacher, `/api/v1/generated-items/${a.id}/edit`, { explanation: 'Write to jane.doe@example.com for help.' });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json().item.passed, false);
	assert.match(r.json().item.checks.safety, /e-?mail/i);
	r = await api(teacher, `/api/v1/generated-items/${a.id}/approve`, {});
	assert.equal(r.status, 409);
	assert.match(r.text, /safety/);
	assert.equal(sql(`SELECT status FROM generated_items WHERE id = ${a.id}`), 'pending');
	// The HTML form shows the reason too.
	const page = await teacher.c.get(`/teach/projects/${project}`);
	assert.match(page.text, /safety: failed<\/strong> — /);
	// Fixing it: passes again, approved.
	r = await api(teacher, `/api/v1/generated-items/${a.id}/edit`, { explanation: 'See the chapter.' });
	assert.equal(r.json().item.passed, true, JSON.stringify(r.json().item.checks));
	assert.equal((await api(teacher, `/api/v1/generated-items/${a.id}/approve`, {})).status, 200);
	// Distractors: an option equal to the answer fails that check.
	r = await api(teacher, `/api/v1/generated-items/${b.id}/edit`, { option_1: b.content.answer, option_2: b.content.answer, option_3: 'x', option_4: 'y' });
	assert.equal(r.json().item.passed, false);
	assert.notEqual(r.json().item.checks.distractors_distinct, 'ok');
	// A single choice with the answer twice cannot become a question even
	// with the override; restore the options, break grounding, override.
	r = await api(teacher, `/api/v1/generated-items/${b.id}/edit`, { option_1: b.content.options[0], option_2: b.content.options[1], option_3: b.content.options[2], option_4: b.content.options[3] ?? '', stem: 'Something the material never said ____.' });
	assert.equal(r.json().item.passed, false);
	assert.notEqual(r.json().item.checks.grounded, 'ok');
	r = await api(teacher, `/api/v1/generated-items/${b.id}/approve`, { override: true, note: 'reworded on purpose' });
	assert.equal(r.status, 200, r.text);
	assert.match(r.json().item.review_note, /^Approved with failing checks overridden: grounded .*reworded on purpose$/);
	assert.equal(sql(`SELECT detail->>'override' FROM audit_log WHERE action = 'genitem.approve' AND object = 'generated_item:${b.id}'`), 'true');
});

test('an edited draft citing another course\'s passage by id never shows or keeps it', async () => {
	const secret = `Unpublished secret ${Date.now()}`;
	const other = n(`INSERT INTO courses (author_id, title) SELECT author_id, 'Other course' FROM courses WHERE id = ${course} RETURNING id`);
	const om = n(`INSERT INTO course_materials (course_id, name, kind, status) VALUES (${other}, 'private.md', 'markdown', 'ready') RETURNING id`);
	const pid = n(`INSERT INTO material_passages (material_id, course_id, seq, heading, body) VALUES (${om}, ${other}, 1, 'Private', ${q(secret)}) RETURNING id`);
	const it = (await items(project)).find((i) => i.kind === 'lesson');
	const r = await api(teacher, `/api/v1/generated-items/${it.id}/edit`, { markdown: `${it.content.markdown}\n\nSee also [p${pid}].` });
	assert.equal(r.status, 200, r.text);
	assert.ok(!r.json().item.sources.includes(pid), 'the foreign passage is not a source');
	const page = await teacher.c.get(`/teach/projects/${project}`);
	assert.equal(page.status, 200);
	assert.doesNotMatch(page.text, new RegExp(secret));
	assert.doesNotMatch((await api(teacher, `/api/v1/projects/${project}`)).text, new RegExp(secret));
});

test('approve the lesson draft: a lesson in the module chosen, still subject to publishing', async () => {
	const it = (await items(project)).find((i) => i.kind === 'lesson');
	// A draft at beginner level may fail readability: the override.
	const r = await api(teacher, `/api/v1/generated-items/${it.id}/approve`, { module: module1, override: !it.passed });
	assert.equal(r.status, 200, r.text);
	const lid = r.json().item.lesson_id;
	assert.ok(lid > 0);
	assert.equal(n(`SELECT module_id FROM lessons WHERE id = ${lid}`), module1);
	assert.equal(sql(`SELECT body_md = ${q(it.content.markdown)} FROM lessons WHERE id = ${lid}`), 't');
	assert.equal(sql(`SELECT status FROM courses WHERE id = ${course}`), 'draft');
	// Objectives are approved as they are (no artefact).
	const ob = (await items(project)).find((i) => i.kind === 'objective' && i.passed);
	const o = await api(teacher, `/api/v1/generated-items/${ob.id}/approve`, {});
	assert.equal(o.status, 200, o.text);
	assert.equal(o.json().item.question_id, null);
});

test('ownership: another instructor gets 404, a learner 403, an admin may', async () => {
	const it = (await items(project))[0];
	for (const path of [`/api/v1/projects/${project}`, `/api/v1/courses/${course}/projects`, `/api/v1/generated-items/${it.id}`])
		assert.equal((await api(other, path)).status, 404, path);
	for (const [path, body] of [[`/api/v1/courses/${course}/generate`, { items: 3 }], [`/api/v1/generated-items/${it.id}/approve`, {}],
		[`/api/v1/generated-items/${it.id}/reject`, { note: 'x' }], [`/api/v1/generated-items/${it.id}/edit`, { question: 'x' }]])
		assert.equal((await api(other, path, body)).status, 404, path);
	assert.equal((await other.c.get(`/teach/projects/${project}`)).status, 404);
	assert.equal((await api(L, `/api/v1/projects/${project}`)).status, 403);
	assert.equal((await api(L, `/api/v1/courses/${course}/generate`, { items: 3 })).status, 403);
	assert.equal((await api(admin, `/api/v1/projects/${project}`)).status, 200);
	assert.equal(n(`SELECT count(*) FROM generation_projects WHERE course_id = ${course}`), 1);
});

test('bad requests: nothing to generate, too many items, a module of another course', async () => {
	let r = await api(teacher, `/api/v1/courses/${course}/generate`, {});
	assert.equal(r.status, 400);
	assert.match(r.text, /Choose what to generate/);
	r = await api(teacher, `/api/v1/courses/${course}/generate`, { items: 51 });
	assert.equal(r.status, 400);
	const c2 = (await api(other, '/api/v1/courses', { title: `Other ${Date.now()}` })).json().id;
	const m2 = (await api(other, `/api/v1/courses/${c2}/modules`, { title: 'Theirs' })).json().id;
	r = await api(teacher, `/api/v1/courses/${course}/generate`, { items: 2, module: m2 });
	assert.equal(r.status, 400);
	assert.match(r.text, /not part of this course/);
	assert.equal(n(`SELECT count(*) FROM generation_projects WHERE course_id = ${course}`), 1);
});

test('a course without material: the project fails with a clear reason', async () => {
	const c2 = (await api(teacher, '/api/v1/courses', { title: `Empty ${Date.now()}` })).json().id;
	const r = await api(teacher, `/api/v1/courses/${c2}/generate`, { items: 5 });
	assert.equal(r.status, 202);
	await runWorker();
	const p = (await api(teacher, `/api/v1/projects/${r.json().id}`)).json();
	assert.equal(p.status, 'failed');
	assert.match(p.reason, /no indexed material for this course/);
	assert.equal(p.items.length, 0);
	// The HTML form: redirect to the project page.
	const csrf = await teacher.c.csrf(`/teach/courses/${c2}/projects`).catch(() => null);
	if (csrf) {
		const f = await teacher.c.post(`/teach/courses/${c2}/generate`, { csrf, lesson: '1' });
		assert.equal(f.status, 303);
		assert.match(f.headers.get('location'), /^\/teach\/projects\/\d+$/);
	}
});

test('a module project draws on the passages matching the module', async () => {
	const r = await api(teacher, `/api/v1/courses/${course}/generate`, { module: module2, lesson: true, items: 5 });
	assert.equal(r.status, 202);
	await runWorker();
	const p = (await api(teacher, `/api/v1/projects/${r.json().id}`)).json();
	assert.equal(p.status, 'done', p.reason);
	assert.equal(p.module_id, module2);
	const cited = [...new Set(p.items.flatMap((i) => i.sources))];
	assert.ok(cited.length > 0);
	const matching = n(`SELECT count(*) FROM material_passages WHERE id IN (${cited.join(',')})
		AND search @@ plainto_tsquery('english', 'transactions')`);
	assert.equal(matching, cited.length, 'every cited passage matches the module');
	assert.ok(n(`SELECT count(*) FROM material_passages WHERE course_id = ${course}
		AND NOT search @@ plainto_tsquery('english', 'transactions')`) > 0);
	assert.match(p.items.find((i) => i.kind === 'lesson').content.markdown, /^# Transactions/);
});

test('asking for the language model without one configured: offline, with the reason', async () => {
	const r = await api(teacher, `/api/v1/courses/${course}/generate`, { module: module1, items: 3, backend: 'llm' });
	assert.equal(r.status, 202, r.text);
	await runWorker();
	const p = (await api(teacher, `/api/v1/projects/${r.json().id}`)).json();
	assert.equal(p.status, 'done', p.reason);
	assert.equal(p.inputs.backend, 'llm');
	assert.equal(p.backend, 'offline');
	assert.notEqual(p.fallback_reason, '');
	assert.equal(p.items.length, 3);
});

test('approved generated questions that perform badly are listed to review again', async () => {
	const approved = (await items(project)).filter((i) => i.question_id);
	const [bad, fine] = approved;
	const vid = (qid) => n(`SELECT v.id FROM question_versions v JOIN questions q ON q.id = v.question_id AND v.version = q.current_version WHERE q.id = ${qid}`);
	sql(`INSERT INTO item_stat_shards (version_id, shard, attempts, correct) VALUES (${vid(bad.question_id)}, 0, 25, 1)`);
	sql(`INSERT INTO item_stat_shards (version_id, shard, attempts, correct) VALUES (${vid(fine.question_id)}, 0, 25, 12)`);
	const list = (await api(teacher, `/api/v1/courses/${course}/projects`)).json();
	assert.deepEqual(list.review_again.map((x) => x.item_id), [bad.id]);
	assert.match(list.review_again[0].reason, /1 of 25/);
	const page = await teacher.c.get(`/teach/courses/${course}/projects`);
	assert.match(page.text, new RegExp(`generated item ${bad.id}</a>`));
});

test('the learner reads the module adapted to their profile, cached per (module, profile)', async () => {
	const url = `/api/v1/courses/${course}/modules/${module1}/generated`;
	// Not enrolled (the course is a draft: publishing is tested elsewhere,
	// so it is published here directly).
	sql(`UPDATE courses SET status = 'published', published_at = now() WHERE id = ${course}`);
	assert.equal((await api(L, url)).status, 403);
	sql(`INSERT INTO enrollments (user_id, course_id) VALUES (${L.id}, ${course})`);
	sql(`DELETE FROM personalised_cache WHERE module_id = ${module1}`);
	let r = await api(L, url);
	assert.equal(r.status, 200, r.text);
	const first = r.json();
	// A beginner course, nothing known of the learner: beginner, with the
	// glossary.
	assert.equal(first.profile, 'level=beginner;pace=normal;ex=1');
	assert.equal(first.cached, false);
	assert.equal(first.lessons, 1);
	assert.match(first.markdown, /## Glossary/);
	assert.equal(n(`SELECT count(*) FROM personalised_cache WHERE module_id = ${module1} AND profile = '${first.profile}'`), 1);
	r = await api(L, url);
	assert.equal(r.json().cached, true);
	assert.equal(r.json().markdown, first.markdown);
	// The page, served from the cache.
	const page = await L.c.get(`/courses/${course}/modules/${module1}/generated`);
	assert.equal(page.status, 200);
	assert.equal(page.headers.get('x-adept-cache'), 'hit');
	assert.match(page.text, /<h2>Glossary<\/h2>/);
	// Preferences change the profile: a new cache row, the basics gone.
	sql(`INSERT INTO learner_profiles (user_id, preferences) VALUES (${L.id}, '{"level": "advanced", "pace": "fast", "examples": false}')
		ON CONFLICT (user_id) DO UPDATE SET preferences = EXCLUDED.preferences`);
	r = await api(L, url);
	assert.equal(r.json().profile, 'level=advanced;pace=fast;ex=0');
	assert.equal(r.json().cached, false);
	assert.doesNotMatch(r.json().markdown, /## Key terms|## Glossary|## Objectives/);
	assert.ok(r.json().markdown.length < first.markdown.length);
	assert.equal(n(`SELECT count(*) FROM personalised_cache WHERE module_id = ${module1}`), 2);
	// An edit of the lesson makes the cached copy stale.
	sql(`UPDATE lessons SET body_md = body_md || E'\\n\\nA new closing paragraph. [p1]' WHERE module_id = ${module1}`);
	r = await api(L, url);
	assert.equal(r.json().cached, false);
	assert.match(r.json().markdown, /A new closing paragraph/);
	// A module of another course: 404.
	assert.equal((await api(L, `/api/v1/courses/${course}/modules/999999999/generated`)).status, 404);
});
