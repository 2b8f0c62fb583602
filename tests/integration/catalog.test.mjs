// The learner side of courses through real nginx and the real worker:
// catalog search and filters, course page, enrolment, lessons, progress and
// time, completion, the JSON twins, the search triggers, and bad input.
// Fixtures (courses by an instructor, skills, prerequisites, a draft) are
// written with SQL so these tests do not depend on the authoring pages.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { Client, registerUser, uniqueEmail, sql, cli } from './lib.mjs';

const RUN = `${process.pid}${Date.now() % 100000}`;
// Made-up words, unique to this run, so searches see only our courses.
const W = (tag) => `${tag}q${RUN}x`;
const LESSONWORD = W('quokka'), TITLEWORD = W('wombat'), PAGEWORD = W('numbat');
const FILTERWORD = W('dingo'), DRAFTWORD = W('bilby');

const ids = {};
let instructor, admin;

// A change made from psql, not through the site, reaches the pages the
// FastCGI threads keep (catalog.c) when PostgreSQL delivers its
// notification, normally well under a millisecond after the commit; a
// write here waits 30 ms for it, as the machine may be loaded.  (Edits
// through the site hold from the very next request: see "kept catalog
// pages" below.)
const pause = new Int32Array(new SharedArrayBuffer(4));
function one(query) {
	const out = sql(query);
	if (/^\s*(INSERT|UPDATE|DELETE|BEGIN)\b/i.test(query))
		Atomics.wait(pause, 0, 0, 30);
	return out;
}
function num(query) { return Number(sql(query)); }
const q = (s) => `'${String(s).replace(/'/g, "''")}'`;

async function signIn(email, password) {
	const c = new Client();
	const r = await c.submit('/login', { email, password });
	assert.equal(r.status, 303, `sign in ${email}`);
	return c;
}

async function learner() {
	const c = new Client();
	const u = await registerUser(c);
	c.email = u.email;
	c.id = Number(one(`SELECT id FROM users WHERE lower(email) = lower(${q(u.email)})`));
	return c;
}

async function token(c) { return c.csrf('/account'); }

function addUser(role) {
	const email = uniqueEmail(role), password = 'catalog pass 1';
	const r = cli(['user', 'add', '--email', email, '--password', password, '--name', `Cat ${role}`, '--role', role]);
	assert.equal(r.status, 0, r.stderr);
	return { email, password, id: Number(one(`SELECT id FROM users WHERE email = ${q(email)}`)) };
}

// A course with modules of lessons: [[title, body], ...] per module.
function course({ title, summary = '', level = 'beginner', language = 'en', hours = 3, status = 'published', modules }) {
	const id = Number(one(`INSERT INTO courses (author_id, title, summary, level, language, estimated_hours, status, published_at)
		VALUES (${instructor.id}, ${q(title)}, ${q(summary)}, ${q(level)}, ${q(language)}, ${hours}, ${q(status)},
		CASE WHEN ${q(status)} = 'published' THEN now() END) RETURNING id`).split('\n')[0]);
	const lessons = [];
	modules.forEach((m, mi) => {
		const mid = Number(one(`INSERT INTO modules (course_id, position, title) VALUES (${id}, ${mi + 1}, ${q(`Module ${mi + 1}`)}) RETURNING id`).split('\n')[0]);
		m.forEach(([t, body], li) => {
			lessons.push(Number(one(`INSERT INTO lessons (module_id, position, title, body_md, estimated_minutes)
				VALUES (${mid}, ${li + 1}, ${q(t)}, ${q(body)}, 10) RETURNING id`).split('\n')[0]));
		});
	});
	return { id, lessons };
}

before(() => {
	instructor = addUser('instructor');
	admin = addUser('admin');
	ids.skillTaught = Number(one(`INSERT INTO skills (name) VALUES (${q('Hydrology ' + RUN)}) RETURNING id`).split('\n')[0]);
	ids.skillNeeded = Number(one(`INSERT INTO skills (name) VALUES (${q('Tides ' + RUN)}) RETURNING id`).split('\n')[0]);
	ids.pre = course({ title: `Tides first ${RUN}`, summary: 'The basics.', modules: [[['Only lesson', 'Read this.']]] });
	one(`INSERT INTO course_skills VALUES (${ids.pre.id}, ${ids.skillNeeded}, 5)`);
	ids.main = course({
		title: `Estuaries <script>alert(1)</script> ${RUN}`,
		summary: `Rivers meet the sea ${TITLEWORD}.`,
		level: 'intermediate', hours: 4,
		modules: [
			[['Salinity', 'Salt and fresh water mix.'], ['Sediment', `Mud settles; the ${LESSONWORD} is a <b>bold</b> word, 1 < 2 & "q". ${TITLEWORD}`]],
			[['Life', 'Birds and fish.']],
		],
	});
	one(`INSERT INTO course_skills VALUES (${ids.main.id}, ${ids.skillTaught}, 4)`);
	one(`INSERT INTO course_prereq_courses VALUES (${ids.main.id}, ${ids.pre.id})`);
	one(`INSERT INTO course_prereq_skills VALUES (${ids.main.id}, ${ids.skillNeeded}, 3)`);
	// The title word ranks above the summary/lesson word of ids.main.
	ids.titled = course({ title: `The ${TITLEWORD} course ${RUN}`, summary: 'Marsupials.', hours: 1.5, modules: [[['One', 'Text.']]] });
	ids.draft = course({ title: `Draft ${DRAFTWORD}`, status: 'draft', modules: [[['Hidden', `${LESSONWORD} ${DRAFTWORD}`]]] });
	ids.review = course({ title: `Review ${DRAFTWORD}`, status: 'review', modules: [[['Hidden', DRAFTWORD]]] });
	ids.fr = course({ title: `Cours ${FILTERWORD}`, language: 'fr', level: 'advanced', hours: 12, modules: [[['Un', FILTERWORD]]] });
	ids.en = course({ title: `Course ${FILTERWORD}`, language: 'en', level: 'beginner', hours: 1, modules: [[['One', FILTERWORD]]] });
	one(`INSERT INTO course_skills VALUES (${ids.en.id}, ${ids.skillTaught}, 2)`);
	// 25 published courses for pagination, in one statement.
	one(`INSERT INTO courses (author_id, title, summary, status, published_at)
		SELECT ${instructor.id}, 'Paged ' || g || ' ${PAGEWORD}', 'p', 'published', now()
		FROM generate_series(1, 25) g`);
});

async function search(params, c = new Client()) {
	const r = await c.get('/api/v1/courses?' + new URLSearchParams(params));
	assert.equal(r.status, 200, r.text);
	return r.json();
}

test('search finds a published course by a word from a lesson body, with a highlighted, escaped snippet', async () => {
	const j = await search({ q: LESSONWORD });
	assert.deepEqual(j.courses.map((c) => c.id), [ids.main.id], 'the draft with the same word is not listed');
	const hit = j.courses[0];
	assert.equal(hit.matched_lesson, 'Sediment');
	assert.match(hit.snippet_html, new RegExp(`<mark>${LESSONWORD}</mark>`));
	assert.match(hit.snippet_html, /1 &lt; 2 &amp; &quot;q&quot;/, 'lesson text is escaped in the snippet');
	assert.doesNotMatch(hit.snippet_html.replace(/<\/?mark>/g, ''), /[<>]/, 'no markup but <mark>');
	assert.equal(j.total, 1);

	const page = await new Client().get('/catalog?q=' + encodeURIComponent(LESSONWORD));
	assert.equal(page.status, 200);
	assert.match(page.text, new RegExp(`<mark>${LESSONWORD}</mark>`));
	assert.match(page.text, /Estuaries &lt;script&gt;alert\(1\)&lt;\/script&gt;/);
	assert.doesNotMatch(page.text, /<script>alert/);
	assert.match(page.text, /1 course matches/);
});

test('the last word matches as a prefix; earlier words must match whole', async () => {
	const prefix = LESSONWORD.slice(0, LESSONWORD.length - 3);
	assert.deepEqual((await search({ q: prefix })).courses.map((c) => c.id), [ids.main.id]);
	assert.deepEqual((await search({ q: `salt ${prefix}` })).courses.map((c) => c.id), [ids.main.id]);
	assert.equal((await search({ q: `${prefix} salt` })).courses.length, 0, 'a prefix that is not last matches nothing');
	// A negated or quoted last word is not widened to a prefix.
	assert.equal((await search({ q: `"${prefix}"` })).courses.length, 0);
});

test('results are ranked: a title match comes before a summary or lesson match', async () => {
	const j = await search({ q: TITLEWORD });
	assert.deepEqual(j.courses.map((c) => c.id), [ids.titled.id, ids.main.id]);
});

test('search syntax: phrases, OR, exclusion', async () => {
	assert.deepEqual((await search({ q: `"fresh water" ${LESSONWORD}` })).courses.map((c) => c.id), [ids.main.id]);
	assert.equal((await search({ q: `"water fresh" ${LESSONWORD}` })).courses.length, 0, 'phrase order matters');
	const or = (await search({ q: `${LESSONWORD} or ${FILTERWORD}` })).courses.map((c) => c.id).sort();
	assert.deepEqual(or, [ids.main.id, ids.fr.id, ids.en.id].sort());
	assert.deepEqual((await search({ q: `${TITLEWORD} -marsupials` })).courses.map((c) => c.id), [ids.main.id]);
});

test('search edge cases never fail: quotes, operators, SQL, stop words, long input, bad UTF-8', async () => {
	for (const s of ['"', '"unbalanced quote', "it's", '& | ! ( ) :* <-> <2>', '\\', "'); DROP TABLE courses; --",
		'a:*', '!!!', '((((', 'OR', '-', '"" ""', 'ünïcödé 漢字 🦘', `${LESSONWORD}:*`, `${LESSONWORD} &`]) {
		const j = await new Client().get('/api/v1/courses?q=' + encodeURIComponent(s));
		assert.equal(j.status, 200, `${s}: ${j.text}`);
		const h = await new Client().get('/catalog?q=' + encodeURIComponent(s));
		assert.equal(h.status, 200, s);
	}
	let j = await search({ q: 'the and of' });
	assert.equal(j.courses.length, 0);
	assert.match(j.message, /no words we can look for/);
	const h = await new Client().get('/catalog?q=the');
	assert.match(h.text, /no words we can look for/);
	// Too long: a clear 400 (the page shows the form again with the message).
	const long = 'x'.repeat(201);
	let r = await new Client().get('/api/v1/courses?q=' + long);
	assert.equal(r.status, 400);
	assert.match(r.json().error.message, /Search.*200/);
	r = await new Client().get('/catalog?q=' + long);
	assert.equal(r.status, 400);
	assert.match(r.text, /role="alert">Search[^<]*200/);
	// Invalid UTF-8 and control characters: 400 with a message.
	r = await new Client().get('/catalog?q=%C3%28');
	assert.equal(r.status, 400);
	assert.match(r.text, /UTF-8/);
	r = await new Client().get('/api/v1/courses?q=a%01b');
	assert.equal(r.status, 400);
	assert.equal(num('SELECT count(*) FROM courses WHERE title IS NULL'), 0, 'table intact');
});

test('filters: skill, level, language, duration; bad filter values are a 400', async () => {
	const ids_ = async (p) => (await search({ q: FILTERWORD, ...p })).courses.map((c) => c.id).sort();
	assert.deepEqual(await ids_({}), [ids.fr.id, ids.en.id].sort());
	assert.deepEqual(await ids_({ language: 'fr' }), [ids.fr.id]);
	assert.deepEqual(await ids_({ level: 'beginner' }), [ids.en.id]);
	assert.deepEqual(await ids_({ duration: '10plus' }), [ids.fr.id]);
	assert.deepEqual(await ids_({ duration: 'lt2' }), [ids.en.id]);
	assert.deepEqual(await ids_({ skill: ids.skillTaught }), [ids.en.id]);
	assert.deepEqual(await ids_({ level: 'advanced', language: 'en' }), []);
	// Filters without a search list published courses only.
	const list = await search({ skill: ids.skillTaught });
	assert.deepEqual(list.courses.map((c) => c.id).sort(), [ids.main.id, ids.en.id].sort());
	assert.equal(list.total, null);
	for (const bad of ['level=expert', 'duration=forever', 'skill=abc', 'skill=-1', 'page=0', 'page=100000', 'language=e%20n']) {
		const r = await new Client().get('/api/v1/courses?' + bad);
		assert.equal(r.status, 400, bad);
		assert.ok(r.json().error.message, bad);
		const h = await new Client().get('/catalog?' + bad);
		assert.equal(h.status, 400, bad);
	}
	const h = await new Client().get(`/catalog?q=${FILTERWORD}&level=advanced`);
	assert.match(h.text, /<option value="advanced" selected>/, 'the form keeps the filter');
});

test('server-side pagination: 20 per page, prev/next links keep the filters', async () => {
	const p1 = await search({ q: PAGEWORD });
	assert.equal(p1.total, 25);
	assert.equal(p1.courses.length, 20);
	assert.equal(p1.has_next, true);
	const p2 = await search({ q: PAGEWORD, page: 2 });
	assert.equal(p2.courses.length, 5);
	assert.equal(p2.has_next, false);
	const all = new Set([...p1.courses, ...p2.courses].map((c) => c.id));
	assert.equal(all.size, 25, 'no course on both pages');
	const past = await search({ q: PAGEWORD, page: 3 });
	assert.equal(past.courses.length, 0);
	assert.match(past.message, /past the last/);

	let h = await new Client().get(`/catalog?q=${PAGEWORD}&level=beginner`);
	const next = h.text.match(/<a rel="next" href="([^"]+)"/);
	assert.ok(next, 'next link');
	assert.equal(next[1].replace(/&amp;/g, '&'), `/catalog?q=${PAGEWORD}&level=beginner&page=2`);
	assert.doesNotMatch(h.text, /rel="prev"/);
	h = await new Client().get(next[1].replace(/&amp;/g, '&'));
	assert.match(h.text, /rel="prev" href="\/catalog\?q=[^"]+&amp;level=beginner"/);
	assert.doesNotMatch(h.text, /rel="next"/);
	// The plain listing pages too (without counting everything).
	const l1 = await search({});
	assert.equal(l1.courses.length, 20);
	assert.equal(l1.has_next, true);
});

test('drafts and courses under review are 404 to learners and anonymous visitors, visible to the author and admins', async () => {
	const l = await learner();
	for (const id of [ids.draft.id, ids.review.id]) {
		assert.equal((await new Client().get(`/courses/${id}`)).status, 404);
		assert.equal((await l.get(`/courses/${id}`)).status, 404);
		assert.equal((await l.get(`/api/v1/courses/${id}`)).status, 404);
		assert.equal((await l.get(`/courses/${id}/lessons/${(id === ids.draft.id ? ids.draft : ids.review).lessons[0]}`)).status, 404);
	}
	assert.equal((await search({ q: DRAFTWORD })).courses.length, 0);
	const author = await signIn(instructor.email, instructor.password);
	let r = await author.get(`/courses/${ids.draft.id}`);
	assert.equal(r.status, 200);
	assert.match(r.text, /draft: only its author and admins/);
	assert.doesNotMatch(r.text, /Enrol in this course/);
	const a = await signIn(admin.email, admin.password);
	r = await a.get(`/courses/${ids.review.id}`);
	assert.equal(r.status, 200);
	assert.match(r.text, /waiting for review/);
	// Enrolling in a draft: 404 and nothing written.
	const t = await token(l);
	r = await l.post(`/courses/${ids.draft.id}/enroll`, { csrf: t });
	assert.equal(r.status, 404);
	r = await l.postJSON('/api/v1/learning/enrollments', { course_id: ids.draft.id }, { 'x-csrf-token': t });
	assert.equal(r.status, 404);
	assert.equal(num(`SELECT count(*) FROM enrollments WHERE course_id = ${ids.draft.id}`), 0);
	assert.equal((await new Client().get('/courses/999999999')).status, 404);
});

test('course page: syllabus, skills with target levels, prerequisites with the learner\'s status, instructor, time', async () => {
	const l = await learner();
	let r = await l.get(`/courses/${ids.main.id}`);
	assert.equal(r.status, 200);
	assert.match(r.text, /<h1>Estuaries &lt;script&gt;/);
	assert.match(r.text, /Cat instructor/);
	assert.match(r.text, /4 hours \(3 lessons, 30 min of lesson time\)/);
	assert.match(r.text, /Module 1: Module 1[\s\S]*Salinity[\s\S]*Sediment[\s\S]*Module 2: Module 2[\s\S]*Life/);
	assert.match(r.text, new RegExp(`Hydrology ${RUN} <span class="meta">to level 4 of 10`));
	assert.match(r.text, new RegExp(`The course “Tides first ${RUN}”: <strong class="not-met">not yet</strong> — take <a href="/courses/${ids.pre.id}">`));
	assert.match(r.text, new RegExp(`Level 3 in Tides ${RUN}: <strong class="not-met">not yet</strong> — take <a href="/courses/${ids.pre.id}">[^<]*</a> first \\(your level in this skill is not known yet\\)`));
	assert.match(r.text, /Enrol in this course/);
	// A skill level in the profile (keyed by skill id) meets the skill prerequisite.
	one(`UPDATE learner_profiles SET skill_levels = '{"${ids.skillNeeded}": 3}' WHERE user_id = ${l.id}`);
	r = await l.get(`/courses/${ids.main.id}`);
	assert.match(r.text, new RegExp(`Level 3 in Tides ${RUN}: <strong class="met">met</strong>`));
	one(`UPDATE learner_profiles SET skill_levels = '{"${ids.skillNeeded}": 2}' WHERE user_id = ${l.id}`);
	r = await l.get(`/api/v1/courses/${ids.main.id}`);
	const j = r.json();
	const sk = j.prerequisites.find((p) => p.kind === 'skill');
	assert.equal(sk.met, false);
	assert.equal(sk.your_level, 2);
	assert.equal(sk.take_course_id, ids.pre.id);
	// Completing the prerequisite course meets the course prerequisite.
	const t = await token(l);
	await l.post(`/courses/${ids.pre.id}/enroll`, { csrf: t });
	r = await l.post(`/courses/${ids.pre.id}/lessons/${ids.pre.lessons[0]}/complete`, { csrf: t });
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), `/courses/${ids.pre.id}?completed=1`);
	r = await l.get(`/courses/${ids.main.id}`);
	assert.match(r.text, new RegExp(`The course “Tides first ${RUN}”: <strong class="met">met</strong>`));
	// Anonymous visitors see the course with a sign-in link instead of the form.
	r = await new Client().get(`/courses/${ids.main.id}`);
	assert.equal(r.status, 200);
	assert.match(r.text, new RegExp(`href="/login\\?next=/courses/${ids.main.id}">Sign in to enrol`));
});

test('JSON twin of the course page', async () => {
	const j = (await new Client().get(`/api/v1/courses/${ids.main.id}`)).json();
	assert.equal(j.id, ids.main.id);
	assert.equal(j.level, 'intermediate');
	assert.equal(j.estimated_hours, 4);
	assert.equal(j.lessons, 3);
	assert.equal(j.enrollment, null);
	assert.deepEqual(j.modules.map((m) => m.lessons.map((x) => x.id)), [ids.main.lessons.slice(0, 2), [ids.main.lessons[2]]]);
	assert.equal(j.modules[0].lessons[0].status, 'not_started');
	assert.deepEqual(j.skills.map((s) => [s.id, s.target_level]), [[ids.skillTaught, 4]]);
	assert.deepEqual(j.prerequisites.map((p) => p.kind).sort(), ['course', 'skill']);
});

test('enrol: event and queued confirmation once; enrolling twice is idempotent; CSRF required', async () => {
	const l = await learner();
	const t = await token(l);
	let r = await l.post(`/courses/${ids.main.id}/enroll`, {});
	assert.equal(r.status, 403, 'no CSRF token');
	assert.equal(num(`SELECT count(*) FROM enrollments WHERE user_id = ${l.id}`), 0);
	r = await l.post(`/courses/${ids.main.id}/enroll`, { csrf: t });
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), `/courses/${ids.main.id}?enrolled=1`);
	r = await l.get(r.headers.get('location'));
	assert.match(r.text, /You are enrolled/);
	assert.match(r.text, /Leave this course/);
	assert.match(r.text, /0% complete \(0 of 3 lessons\)/);
	r = await l.post(`/courses/${ids.main.id}/enroll`, { csrf: t });
	assert.equal(r.status, 303);
	r = await l.postJSON('/api/v1/learning/enrollments', { course_id: ids.main.id }, { 'x-csrf-token': t });
	assert.equal(r.status, 200);
	assert.deepEqual(r.json(), { course_id: ids.main.id, status: 'active', created: false });
	assert.equal(one(`SELECT status FROM enrollments WHERE user_id = ${l.id} AND course_id = ${ids.main.id}`), 'active');
	assert.equal(num(`SELECT count(*) FROM learner_events WHERE user_id = ${l.id} AND kind = 'course_enrolled' AND course_id = ${ids.main.id}`), 1);
	assert.equal(num(`SELECT count(*) FROM email_outbox WHERE to_addr = ${q(l.email)} AND template = 'course_enrolled'`), 1);
	assert.match(one(`SELECT body_text FROM email_outbox WHERE to_addr = ${q(l.email)}`), new RegExp(`/courses/${ids.main.id}`));

	// The API: 201 the first time, with the list to match.
	const l2 = await learner();
	const t2 = await token(l2);
	r = await l2.postJSON('/api/v1/learning/enrollments', { course_id: ids.main.id }, { 'x-csrf-token': t2 });
	assert.equal(r.status, 201);
	assert.equal(r.json().created, true);
	r = await l2.postJSON('/api/v1/learning/enrollments', { course_id: ids.main.id });
	assert.equal(r.status, 403, 'cookie-authenticated API POST needs the CSRF header');
	r = await l2.postJSON('/api/v1/learning/enrollments', { course_id: 'x' }, { 'x-csrf-token': t2 });
	assert.equal(r.status, 400);
	r = await l2.postJSON('/api/v1/learning/enrollments', {}, { 'x-csrf-token': t2 });
	assert.equal(r.status, 400);
	const list = (await l2.get('/api/v1/learning/enrollments')).json().enrollments;
	assert.deepEqual(list.map((e) => [e.course_id, e.status, e.percent_complete, e.last_lesson_id]), [[ids.main.id, 'active', 0, null]]);
	// Anonymous: enrolment needs an account.
	r = await new Client().postJSON('/api/v1/learning/enrollments', { course_id: ids.main.id });
	assert.equal(r.status, 401);
});

test('lessons: resume, time from page timestamps (capped), mark complete, percent, course completion with event and mail', async () => {
	const l = await learner();
	const t = await token(l);
	const [l1, l2, l3] = ids.main.lessons;
	const base = `/courses/${ids.main.id}/lessons`;
	// Not enrolled: the lesson reads, progress is refused.
	let r = await l.get(`${base}/${l1}`);
	assert.equal(r.status, 200);
	assert.match(r.text, /Enrol in this course to record your progress/);
	assert.equal(num(`SELECT count(*) FROM lesson_progress WHERE user_id = ${l.id}`), 0);
	r = await l.post(`${base}/${l1}/complete`, { csrf: t });
	assert.equal(r.status, 403);
	assert.match(r.text, /Enrol in this course before/);
	r = await l.postJSON(`/api/v1/lessons/${l1}/progress`, { seconds: 30 }, { 'x-csrf-token': t });
	assert.equal(r.status, 403);
	assert.match(r.json().error.message, /not enrolled/);
	assert.equal(num(`SELECT count(*) FROM lesson_progress WHERE user_id = ${l.id}`), 0);

	await l.post(`/courses/${ids.main.id}/enroll`, { csrf: t });
	r = await l.get(`${base}/${l1}`);
	assert.equal(r.status, 200);
	assert.match(r.text, /Lesson 1 of 3/);
	assert.match(r.text, /<p>Salt and fresh water mix.<\/p>/, 'Markdown rendered');
	assert.match(r.text, new RegExp(`rel="next" href="${base}/${l2}">Next: Sediment`));
	assert.doesNotMatch(r.text, /rel="prev"/);
	assert.match(r.text, /id="lesson-heartbeat" hidden data-url="\/api\/v1\/lessons\/\d+\/progress" data-csrf="[^"]+"/);
	assert.match(r.text, /<script src="\/static\/js\/lesson.js" defer><\/script>/);
	assert.equal(one(`SELECT status FROM lesson_progress WHERE user_id = ${l.id} AND lesson_id = ${l1}`), 'started');
	assert.equal(num(`SELECT last_lesson_id FROM enrollments WHERE user_id = ${l.id} AND course_id = ${ids.main.id}`), l1);

	// 120 s later (simulated), the next page view credits them to lesson 1.
	one(`UPDATE lesson_progress SET last_seen_at = now() - interval '120 seconds' WHERE user_id = ${l.id} AND lesson_id = ${l1}`);
	r = await l.get(`${base}/${l2}`);
	assert.match(r.text, new RegExp(`rel="prev" href="${base}/${l1}">Previous: Salinity`));
	let secs = num(`SELECT time_spent_seconds FROM lesson_progress WHERE user_id = ${l.id} AND lesson_id = ${l1}`);
	assert.ok(secs >= 120 && secs < 130, `credited ${secs}`);
	// A long absence is capped at 600 s.
	one(`UPDATE lesson_progress SET last_seen_at = now() - interval '5 hours' WHERE user_id = ${l.id} AND lesson_id = ${l2}`);
	await l.get(`${base}/${l2}`);
	secs = num(`SELECT time_spent_seconds FROM lesson_progress WHERE user_id = ${l.id} AND lesson_id = ${l2}`);
	assert.equal(secs, 600);

	// Resume: the course page and the dashboard point at lesson 2.
	r = await l.get(`/courses/${ids.main.id}`);
	assert.match(r.text, new RegExp(`href="${base}/${l2}">Resume where you left off: Sediment`));
	assert.match(r.text, /Salinity<\/a> <span class="meta">text · 10 min<\/span> <span class="lesson-status">In progress · 2 min spent/);
	r = await l.get('/dashboard');
	assert.match(r.text, new RegExp(`href="${base}/${l2}"`));

	// The heartbeat API: adds the seconds it reports (at most 300 per report).
	r = await l.postJSON(`/api/v1/lessons/${l2}/progress`, { seconds: 45 }, { 'x-csrf-token': t });
	assert.equal(r.status, 200, r.text);
	let j = r.json();
	assert.equal(j.time_spent_seconds, 645);
	assert.equal(j.status, 'started');
	r = await l.postJSON(`/api/v1/lessons/${l2}/progress`, { seconds: 1000 }, { 'x-csrf-token': t });
	assert.equal(r.json().seconds_added, 300);
	for (const bad of [{ seconds: -1 }, { seconds: 3601 }, { seconds: 'many' }, { completed: 'maybe' }]) {
		r = await l.postJSON(`/api/v1/lessons/${l2}/progress`, bad, { 'x-csrf-token': t });
		assert.equal(r.status, 400, JSON.stringify(bad));
	}
	assert.equal(num(`SELECT time_spent_seconds FROM lesson_progress WHERE user_id = ${l.id} AND lesson_id = ${l2}`), 945);
	r = await l.postJSON('/api/v1/lessons/999999999/progress', { seconds: 1 }, { 'x-csrf-token': t });
	assert.equal(r.status, 404);
	r = await l.postJSON(`/api/v1/lessons/${ids.draft.lessons[0]}/progress`, { seconds: 1 }, { 'x-csrf-token': t });
	assert.equal(r.status, 404, 'a draft course\'s lesson');
	// A lesson under another course's path is not found.
	assert.equal((await l.get(`/courses/${ids.pre.id}/lessons/${l1}`)).status, 404);

	// Mark complete (form), then complete by API; the last one completes the course.
	r = await l.post(`${base}/${l1}/complete`, { csrf: t });
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), `${base}/${l1}?done=1`);
	r = await l.get(r.headers.get('location'));
	assert.match(r.text, /Lesson marked complete/);
	assert.match(r.text, /33% of the course complete \(1 of 3 lessons\)/);
	r = await l.post(`${base}/${l1}/complete`, { csrf: t });
	assert.equal(num(`SELECT count(*) FROM learner_events WHERE user_id = ${l.id} AND kind = 'lesson_completed' AND lesson_id = ${l1}`), 1, 'completing twice records one event');
	j = (await l.postJSON(`/api/v1/lessons/${l2}/progress`, { seconds: 10, completed: true }, { 'x-csrf-token': t })).json();
	assert.equal(j.status, 'completed');
	assert.equal(j.lesson_completed_now, true);
	assert.equal(j.course_percent_complete, 66);
	assert.equal(j.enrollment_status, 'active');
	assert.equal(num(`SELECT count(*) FROM email_outbox WHERE to_addr = ${q(l.email)} AND template = 'course_completed'`), 0);
	r = await l.post(`${base}/${l3}/complete`, { csrf: t });
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), `/courses/${ids.main.id}?completed=1`);
	r = await l.get(r.headers.get('location'));
	assert.match(r.text, /you have completed this course/i);
	assert.match(r.text, /100% complete \(3 of 3 lessons\)/);
	assert.equal(one(`SELECT status FROM enrollments WHERE user_id = ${l.id} AND course_id = ${ids.main.id}`), 'completed');
	assert.equal(num(`SELECT count(*) FROM learner_events WHERE user_id = ${l.id} AND kind = 'course_completed' AND course_id = ${ids.main.id}`), 1);
	assert.equal(num(`SELECT count(*) FROM email_outbox WHERE to_addr = ${q(l.email)} AND template = 'course_completed'`), 1);
	// Progress after completion still records time, without completing twice.
	j = (await l.postJSON(`/api/v1/lessons/${l3}/progress`, { seconds: 5, completed: true }, { 'x-csrf-token': t })).json();
	assert.equal(j.lesson_completed_now, false);
	assert.equal(num(`SELECT count(*) FROM learner_events WHERE user_id = ${l.id} AND kind = 'course_completed'`), 1);
	const e = (await l.get('/api/v1/learning/enrollments')).json().enrollments.find((x) => x.course_id === ids.main.id);
	assert.equal(e.status, 'completed');
	assert.equal(e.percent_complete, 100);
	assert.ok(e.completed_at);
});

test('leave and re-enrol: progress kept, left courses off the dashboard, progress refused while away', async () => {
	const l = await learner();
	const t = await token(l);
	await l.post(`/courses/${ids.main.id}/enroll`, { csrf: t });
	await l.post(`/courses/${ids.main.id}/lessons/${ids.main.lessons[0]}/complete`, { csrf: t });
	let r = await l.post(`/courses/${ids.main.id}/leave`, { csrf: t });
	assert.equal(r.status, 303);
	assert.equal(one(`SELECT status FROM enrollments WHERE user_id = ${l.id}`), 'left');
	assert.equal(num(`SELECT count(*) FROM learner_events WHERE user_id = ${l.id} AND kind = 'course_left'`), 1);
	r = await l.get('/dashboard');
	assert.doesNotMatch(r.text, /Estuaries/);
	assert.deepEqual((await l.get('/api/v1/learning/enrollments')).json().enrollments, []);
	r = await l.postJSON(`/api/v1/lessons/${ids.main.lessons[1]}/progress`, { seconds: 5 }, { 'x-csrf-token': t });
	assert.equal(r.status, 403);
	r = await l.post(`/courses/${ids.main.id}/enroll`, { csrf: t });
	assert.equal(one(`SELECT status FROM enrollments WHERE user_id = ${l.id}`), 'active');
	assert.equal(num(`SELECT count(*) FROM learner_events WHERE user_id = ${l.id} AND kind = 'course_enrolled'`), 2);
	r = await l.get(`/courses/${ids.main.id}`);
	assert.match(r.text, /33% complete/, 'progress kept');
});

test('search documents follow edits to lessons, modules, skills and status, one course at a time', async () => {
	const c = course({ title: `Triggers ${RUN}`, modules: [[['Old', `${W('oldword')}`]]] });
	const other = one(`SELECT search_doc FROM courses WHERE id = ${ids.titled.id}`);
	const found = async (w) => (await search({ q: w })).courses.some((x) => x.id === c.id);
	assert.ok(await found(W('oldword')));
	one(`UPDATE lessons SET body_md = ${q(W('newword'))} WHERE id = ${c.lessons[0]}`);
	assert.ok(await found(W('newword')));
	assert.ok(!(await found(W('oldword'))));
	one(`UPDATE modules SET title = ${q(W('modword'))} WHERE course_id = ${c.id}`);
	assert.ok(await found(W('modword')));
	const sk = Number(one(`INSERT INTO skills (name) VALUES (${q(W('skillword'))}) RETURNING id`).split('\n')[0]);
	one(`INSERT INTO course_skills VALUES (${c.id}, ${sk}, 3)`);
	assert.ok(await found(W('skillword')));
	one(`UPDATE skills SET name = ${q(W('renamed'))} WHERE id = ${sk}`);
	assert.ok(await found(W('renamed')));
	assert.ok(!(await found(W('skillword'))));
	// A lesson moved to another course takes its words along.
	one(`UPDATE lessons SET module_id = (SELECT id FROM modules WHERE course_id = ${ids.titled.id} LIMIT 1), position = 99 WHERE id = ${c.lessons[0]}`);
	assert.ok(!(await found(W('newword'))));
	assert.ok((await search({ q: W('newword') })).courses.some((x) => x.id === ids.titled.id));
	one(`DELETE FROM lessons WHERE id = ${c.lessons[0]}`);
	assert.equal((await search({ q: W('newword') })).courses.length, 0);
	assert.equal(one(`SELECT search_doc FROM courses WHERE id = ${ids.titled.id}`), other, 'the other course is back to its own document');
	one(`UPDATE courses SET status = 'draft' WHERE id = ${c.id}`);
	assert.ok(!(await found(W('modword'))));
	// The GIN index over the documents exists (tests/bench/web_catalog.sh
	// shows the planner using it on a 10,000-course catalog).
	assert.match(one(`SELECT indexdef FROM pg_indexes WHERE indexname = 'courses_search'`), /USING gin \(search_doc\) WHERE \(status = 'published'::text\)/);
});

test('search parses each course in its language: a French course by an inflected French word, an English one by its stem', async () => {
	const fr = course({ title: `Chorale ${RUN}`, language: 'fr', summary: 'Un cours de musique.',
		modules: [[['Histoire', `Les chanteurs ${RUN} chantaient des chansons anciennes.`]]] });
	const en = course({ title: `Floods ${RUN}`, language: 'en', summary: 'Water.',
		modules: [[['Rivers', `The rivers ${RUN} were flooding the valley.`]]] });
	// French text in a course labelled English: parsed as English.
	const mislabelled = course({ title: `Mislabelled ${RUN}`, language: 'en', summary: 'x',
		modules: [[['Texte', `Ils chantaient ${RUN} encore.`]]] });
	const found = async (p) => (await search(p)).courses.map((c) => c.id);

	// "chanter" stems to "chant" in French, as "chantaient" does; not in English.
	let r = await found({ q: `chanter ${RUN}` });
	assert.ok(r.includes(fr.id), `French course found by "chanter": ${r}`);
	assert.ok(!r.includes(mislabelled.id), 'the English-labelled course is parsed as English');
	assert.deepEqual(await found({ q: `chanter ${RUN}`, language: 'fr' }), [fr.id]);
	const hit = (await search({ q: `chanter ${RUN}`, language: 'fr' })).courses[0];
	assert.match(hit.snippet_html, /<mark>chantaient<\/mark>/, 'the snippet marks the inflected word');
	// English stems as before: "flooded" finds "flooding".
	r = await found({ q: `flooded ${RUN}` });
	assert.ok(r.includes(en.id), `English course found by "flooded": ${r}`);
	assert.deepEqual(await found({ q: `flooded ${RUN}`, language: 'en' }), [en.id]);
	assert.deepEqual(await found({ q: `flooded ${RUN}`, language: 'fr' }), []);
	// The French query with the English filter finds nothing (not French).
	assert.deepEqual(await found({ q: `chanter ${RUN}`, language: 'en' }), []);

	// Relabelling the course French re-parses it and its lessons.
	one(`UPDATE courses SET language = 'fr' WHERE id = ${mislabelled.id}`);
	r = await found({ q: `chanter ${RUN}`, language: 'fr' });
	assert.deepEqual(r.sort(), [fr.id, mislabelled.id].sort());
	assert.equal(sql(`SELECT l.search_doc @@ to_tsquery('french', 'chant') FROM lessons l JOIN modules m ON m.id = l.module_id WHERE m.course_id = ${mislabelled.id}`), 't');
	// A lesson added later to a French course is parsed as French.
	const mod = sql(`SELECT id FROM modules WHERE course_id = ${en.id}`);
	one(`UPDATE courses SET language = 'fr-CA' WHERE id = ${en.id}`);
	one(`INSERT INTO lessons (module_id, position, title, body_md, estimated_minutes) VALUES (${mod}, 2, 'Deux', 'Ils nageaient ${RUN} ensemble.', 5)`);
	assert.deepEqual(await found({ q: `nager ${RUN}`, language: 'fr-CA' }), [en.id]);
	// A language without a stemmer is parsed as is ('simple').
	const other = course({ title: `Kursus ${RUN}`, language: 'ms', summary: 'x', modules: [[['Satu', `Pelajaran ${RUN} berenang.`]]] });
	assert.deepEqual(await found({ q: `berenang ${RUN}`, language: 'ms' }), [other.id]);
	assert.ok((await found({ q: `berenang ${RUN}` })).includes(other.id), 'found without a filter too');

	// Only words English ignores, no language filter: the clear notice, not
	// every course whose French or Malay parse keeps "the" (the relabelled
	// course above says "The rivers ... the valley").
	assert.equal(sql(`SELECT search_doc @@ to_tsquery('french', 'the') FROM courses WHERE id = ${en.id}`), 't',
		'a French parse keeps "the"');
	const j = await search({ q: 'the' });
	assert.equal(j.courses.length, 0);
	assert.match(j.message, /no words we can look for/);
	assert.match((await new Client().get('/catalog?q=the')).text, /no words we can look for/);
});

// Search pages are cached under the catalog's version (migration 032);
// each kind of change below must reach the very next identical search.
test('cached search pages: served again from the cache, and never stale after a publish, an edit or a delete', async () => {
	const word = W('kiwi');
	const cached = () => num(`SELECT count(*) FROM catalog_search_cache e, catalog_version v
		WHERE e.key LIKE ${q('%' + word)} AND e.version = v.version`);
	const ids_ = async () => (await search({ q: word })).courses.map((x) => x.id);
	const a = course({ title: `Cached one ${word}`, modules: [[['L', 'text']]] });
	const b = course({ title: `Cached two`, status: 'draft', modules: [[['L', `body ${word}`]]] });
	assert.deepEqual(await ids_(), [a.id]);
	assert.equal(cached(), 1, 'the page is stored under the current version');
	// Served from the cache: a row changed behind the version's back (no
	// trigger fires for catalog_search_cache itself) is what comes back.
	// (The HTML page: the JSON one may be kept by the thread that served
	// it, catalog.c, which would not ask the cache.)
	one(`UPDATE catalog_search_cache SET total = 7 WHERE key LIKE ${q('%' + word)}`);
	assert.match((await new Client().get('/catalog?q=' + word)).text, /7 courses match/,
		'the second search is the cached page');
	one(`UPDATE courses SET status = 'published', published_at = now() WHERE id = ${b.id}`);
	let j = await search({ q: word });
	assert.deepEqual(j.courses.map((x) => x.id).sort(), [a.id, b.id].sort(), 'publish shows at once');
	assert.equal(j.total, 2);
	one(`UPDATE lessons SET body_md = ${q('changed ' + word + ' text')} WHERE id = ${b.lessons[0]}`);
	j = await search({ q: word });
	assert.match(j.courses.find((x) => x.id === b.id).snippet_html, /changed <mark>/, 'a lesson edit renews the snippet');
	one(`UPDATE courses SET title = 'Renamed cached' WHERE id = ${a.id}`);
	assert.deepEqual(await ids_(), [b.id], 'a title edit that drops the word drops the course');
	one(`UPDATE users SET full_name = 'Renamed Instructor' WHERE id = ${instructor.id}`);
	assert.equal((await search({ q: word })).courses[0].instructor, 'Renamed Instructor',
		'course columns and the instructor are read fresh, not cached');
	one(`UPDATE users SET full_name = 'Cat instructor' WHERE id = ${instructor.id}`);
	one(`DELETE FROM courses WHERE id = ${b.id}`);
	assert.deepEqual(await ids_(), [], 'delete shows at once');
	one(`UPDATE courses SET title = ${q('Back ' + word)} WHERE id = ${a.id}`);
	one(`UPDATE courses SET status = 'draft' WHERE id = ${a.id}`);
	assert.deepEqual(await ids_(), [], 'unpublish shows at once');
	// The cache is direct-mapped: 4,096 slots at most, whatever is searched.
	assert.ok(num(`SELECT count(*) FROM catalog_search_cache`) <= 4096);
});

// Each FastCGI thread keeps the pages it rendered under the catalog's
// version (catalog.c, migration 036) and knows the version from
// notifications.  The edits below go through the site, as instructors and
// admins make them: each must show on the very next search, whichever
// thread serves it, in the HTML page and in the JSON twin.
test('kept catalog pages: served again without a statement, and a published edit shows on the very next search', async () => {
	const word = W('emu');
	const T = await signIn(instructor.email, 'catalog pass 1');
	const A = await signIn(admin.email, 'catalog pass 1');
	const tt = await token(T), ta = await token(A);
	const post = async (c, t, path, fields = {}) => {
		const r = await c.post(path, { csrf: t, ...fields });
		assert.equal(r.status, 303, `${path}: ${r.text.slice(0, 500)}`);
		return r;
	};
	const publish = async (title) => {
		const r = await post(T, tt, '/teach/courses/new', { title, summary: `About the ${word}.`,
			level: 'beginner', language: 'en', estimated_hours: '2' });
		const id = Number(r.headers.get('location').match(/\/teach\/courses\/(\d+)/)[1]);
		const m = await post(T, tt, `/teach/courses/${id}/modules`, { title: 'M' });
		const mid = Number(m.headers.get('location').match(/#module-(\d+)/)[1]);
		await post(T, tt, `/teach/modules/${mid}/lessons/new`, { title: 'L', kind: 'text',
			estimated_minutes: '5', body: 'Text.' });
		await post(T, tt, `/teach/courses/${id}/submit`);
		await post(A, ta, `/admin/reviews/${id}/approve`);
		assert.equal(one(`SELECT status FROM courses WHERE id = ${id}`), 'published');
		return id;
	};
	// Enough requests that every thread serves (and keeps) the pages.
	const N = 16;
	const pages = async () => {
		const out = [];
		for (let i = 0; i < N; i++) {
			const h = await new Client().get('/catalog?q=' + word);
			assert.equal(h.status, 200);
			out.push(h.text);
			out.push(JSON.stringify(await search({ q: word })));
		}
		return out;
	};
	const a = await publish(`Kept first ${RUN}`);
	for (const p of await pages())
		assert.match(p, new RegExp(`Kept first ${RUN}`));

	// Kept, not rendered again: a title changed with the version's trigger
	// off (so no notification either) stays as it was on the kept pages,
	// while a page rendered afresh shows it (titles are never in the search
	// cache of migration 032).  Without kept pages no answer is stale.
	one(`BEGIN; ALTER TABLE courses DISABLE TRIGGER catalog_version_courses;
		UPDATE courses SET title = 'Sneaked ${RUN}' WHERE id = ${a};
		ALTER TABLE courses ENABLE TRIGGER catalog_version_courses; COMMIT`);
	const stale = (await pages()).filter((p) => p.includes(`Kept first ${RUN}`)).length;
	assert.ok(stale > 0, 'pages are kept and served again');

	// A title edit through the site: every next page shows it.
	await post(T, tt, `/teach/courses/${a}`, { title: `Retitled ${RUN}`, summary: `About the ${word}.`,
		level: 'beginner', language: 'en', estimated_hours: '2' });
	for (const p of await pages()) {
		assert.match(p, new RegExp(`Retitled ${RUN}`), 'a title edit shows at once');
		assert.doesNotMatch(p, new RegExp(`(Kept first|Sneaked) ${RUN}`));
	}
	// A new course published (approved by an admin): on the next page.
	const b = await publish(`Kept second ${RUN}`);
	for (const p of await pages())
		assert.match(p, new RegExp(`Kept second ${RUN}`), 'a newly published course shows at once');
	// Unpublished (here from psql, as an operator would) and deleted.
	one(`UPDATE courses SET status = 'draft' WHERE id = ${b}`);
	for (const p of await pages()) {
		assert.doesNotMatch(p, new RegExp(`Kept second ${RUN}`), 'an unpublished course goes at once');
		assert.match(p, new RegExp(`Retitled ${RUN}`));
	}
	await post(T, tt, `/teach/courses/${a}/delete`, { confirm: '1' });
	for (const p of await pages())
		assert.doesNotMatch(p, new RegExp(`Retitled ${RUN}`), 'a deleted course goes at once');

	// A notification lost: the version moves unannounced.  Kept pages may
	// be stale for at most KEPT_TTL (10) seconds, after which each thread
	// reads the version before serving them again.
	const c = await publish(`Kept third ${RUN}`);
	await pages();
	one(`BEGIN; ALTER TABLE catalog_version DISABLE TRIGGER catalog_version_notify;
		UPDATE courses SET title = 'Unannounced ${RUN}' WHERE id = ${c};
		SET CONSTRAINTS ALL IMMEDIATE;
		ALTER TABLE catalog_version ENABLE TRIGGER catalog_version_notify; COMMIT`);
	await new Promise((res) => setTimeout(res, 11000));
	for (const p of await pages()) {
		assert.match(p, new RegExp(`Unannounced ${RUN}`), 'confirmed against the version after 10 s');
		assert.doesNotMatch(p, new RegExp(`Kept third ${RUN}`));
	}
});

test('the filters\' choices follow new skills and the languages of published courses', async () => {
	const lang = `x${RUN % 1000}`.slice(0, 8);
	const page = async () => (await new Client().get('/catalog')).text;
	const sk = Number(one(`INSERT INTO skills (name) VALUES (${q('Choice ' + RUN)}) RETURNING id`).split('\n')[0]);
	assert.match(await page(), new RegExp(`<option value="${sk}">Choice ${RUN}</option>`));
	assert.doesNotMatch(await page(), new RegExp(`<option value="${lang}">`));
	const c = course({ title: `Lang ${RUN}`, language: lang, modules: [[['L', 'text']]] });
	assert.match(await page(), new RegExp(`<option value="${lang}">${lang}</option>`), 'a published course brings its language');
	one(`UPDATE courses SET status = 'draft' WHERE id = ${c.id}`);
	assert.doesNotMatch(await page(), new RegExp(`<option value="${lang}">`), 'and takes it away when unpublished');
	one(`UPDATE skills SET name = ${q('Choice renamed ' + RUN)} WHERE id = ${sk}`);
	assert.match(await page(), new RegExp(`<option value="${sk}">Choice renamed ${RUN}</option>`));
	one(`DELETE FROM skills WHERE id = ${sk}`);
	assert.doesNotMatch(await page(), new RegExp(`<option value="${sk}">`));
});

// Kept catalog pages show instructors' names, so an author's rename moves
// the catalogue's version (dropping every kept page and the planner's
// copy); a learner's rename, the common case, does not (migration 040).
test('only an author\'s rename moves the catalog version', async () => {
	const version = () => num('SELECT version FROM catalog_version');
	const l = await learner();
	let v = version();
	one(`UPDATE users SET full_name = ${q('Renamed learner ' + RUN)} WHERE id = ${l.id}`);
	assert.equal(version(), v, 'a learner\'s rename leaves the version');
	one(`UPDATE users SET full_name = 'Cat instructor renamed' WHERE id = ${instructor.id}`);
	assert.equal(version(), v + 1, 'an author\'s rename moves it');
	v = version();
	one(`UPDATE users SET full_name = 'Cat instructor' WHERE id = ${instructor.id}`);
	assert.equal(version(), v + 1);
});
