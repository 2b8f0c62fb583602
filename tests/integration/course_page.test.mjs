// The course page's kept shared part (src/pages/course_shared.c, migration
// 037): each FastCGI thread keeps what every visitor sees alike, keyed by
// the course's content version, and reads the visitor's own part on every
// request.  These tests prove that an edit shows on the very next request
// whichever thread serves it (each check asks ROUNDS times after the edit,
// with every thread warmed with the old version first: the stack runs
// 2 workers x 2 threads), and that nothing of one visitor reaches another.
// Edits go through the authoring pages where the site has one, and
// through SQL for the rest (unpublish, renames, quizzes), as an admin or
// another tool would make them.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { Client, registerUser, sql, addUser, signIn } from './lib.mjs';

const RUN = `${process.pid}x${Date.now() % 1000000}`;
const ROUNDS = 12;
const q = (s) => `'${String(s).replace(/'/g, "''")}'`;
const num = (query) => Number(sql(query));

let alice, admin;	// the course's instructor, an admin

async function learner(name) {
	const c = new Client();
	const u = await registerUser(c, { name });
	c.id = num(`SELECT id FROM users WHERE lower(email) = lower(${q(u.email)})`);
	c.token = await c.csrf('/account');
	return c;
}

function post(c, path, fields = []) {
	const pairs = Array.isArray(fields) ? fields : Object.entries(fields);
	return c.post(path, [['csrf', c.token], ...pairs.map(([k, v]) => [k, String(v)])]);
}

const idFrom = (r, re) => Number(r.headers.get('location').match(re)[1]);

async function newCourse(title, extra = []) {
	const r = await post(alice, '/teach/courses/new', [['title', title], ['summary', 'About it'],
		['level', 'beginner'], ['language', 'en'], ['estimated_hours', '2'], ...extra]);
	assert.equal(r.status, 303, r.text.slice(0, 1500));
	return idFrom(r, /\/teach\/courses\/(\d+)/);
}

async function newModule(course, title) {
	const r = await post(alice, `/teach/courses/${course}/modules`, { title });
	assert.equal(r.status, 303, r.text.slice(0, 1500));
	return idFrom(r, /#module-(\d+)/);
}

async function newLesson(module, title) {
	const r = await post(alice, `/teach/modules/${module}/lessons/new`, [['title', title], ['kind', 'text'],
		['estimated_minutes', '10'], ['body', `Body of ${title}`]]);
	assert.equal(r.status, 303, r.text.slice(0, 1500));
	return idFrom(r, /\/teach\/lessons\/(\d+)/);
}

async function newSkill(name) {
	const r = await post(alice, '/skills', { name, description: `About ${name}` });
	assert.equal(r.status, 303, r.text.slice(0, 1500));
	return idFrom(r, /created=(\d+)/);
}

async function publish(course) {
	assert.equal((await post(alice, `/teach/courses/${course}/submit`)).status, 303);
	assert.equal((await post(admin, `/admin/reviews/${course}/approve`)).status, 303);
	assert.equal(sql(`SELECT status FROM courses WHERE id = ${course}`), 'published');
}

// The syllabus's lesson titles, in order.
function syllabus(html) {
	return [...html.matchAll(/<li class="lesson[^"]*"><a href="[^"]+">([^<]*)<\/a>/g)].map((m) => m[1]);
}

// Asks for the page ROUNDS times (so every thread serves it) and hands
// each answer to check.
async function each(c, path, check) {
	for (let i = 0; i < ROUNDS; i++) {
		const r = await c.get(path);
		check(r, i);
	}
}

before(async () => {
	alice = await signIn(addUser('instructor', 'Alice Author'));
	admin = await signIn(addUser('admin', 'Ada Admin'));
});

test('an edit of a course shows on the very next request, on every thread', async () => {
	const skill = await newSkill(`Kept skill ${RUN}`);
	const other = await newSkill(`Other skill ${RUN}`);
	const pre = await newCourse(`Kept prerequisite ${RUN}`);
	await newLesson(await newModule(pre, 'Only'), 'Pre lesson');
	await publish(pre);
	const course = await newCourse(`Kept course ${RUN}`, [['skill', skill], ['skill_level', '4']]);
	const m1 = await newModule(course, 'First part');
	const l1 = await newLesson(m1, 'Alpha lesson');
	const l2 = await newLesson(m1, 'Beta lesson');
	await publish(course);
	const path = `/courses/${course}`;
	const l = await learner('Kept Learner');
	assert.equal((await post(l, `${path}/enroll`)).status, 303);
	assert.equal((await post(l, `${path}/lessons/${l1}/complete`)).status, 303);
	await each(l, path, (r) => {
		assert.equal(r.status, 200);
		assert.deepEqual(syllabus(r.text), ['Alpha lesson', 'Beta lesson']);
		assert.match(r.text, /50% complete \(1 of 2 lessons\)/);
	});
	const version = () => num(`SELECT COALESCE(max(version), 0) FROM course_versions WHERE course_id = ${course}`);

	// A lesson's title.
	let v = version();
	let r = await post(alice, `/teach/lessons/${l2}`, [['title', 'Beta, retitled'], ['kind', 'video'],
		['estimated_minutes', '20'], ['body', 'Body']]);
	assert.equal(r.status, 303, r.text.slice(0, 1500));
	assert.ok(version() > v, 'the version moved');
	await each(l, path, (r) => {
		assert.deepEqual(syllabus(r.text), ['Alpha lesson', 'Beta, retitled']);
		assert.match(r.text, /Beta, retitled<\/a> <span class="meta">video · 20 min/);
		assert.match(r.text, /\(2 lessons, 30 min of lesson time\)/);
	});
	// A lesson's body alone is not on this page: the version stays.
	v = version();
	r = await post(alice, `/teach/lessons/${l2}`, [['title', 'Beta, retitled'], ['kind', 'video'],
		['estimated_minutes', '20'], ['body', 'Another body']]);
	assert.equal(r.status, 303);
	assert.equal(version(), v, 'a body edit keeps the version');

	// A new lesson, in a new module.
	const m2 = await newModule(course, 'Second part');
	const l3 = await newLesson(m2, 'Gamma lesson');
	await each(l, path, (r) => {
		assert.deepEqual(syllabus(r.text), ['Alpha lesson', 'Beta, retitled', 'Gamma lesson']);
		assert.match(r.text, /Module 2: Second part/);
		assert.match(r.text, /33% complete \(1 of 3 lessons\)/);
	});
	// The JSON twin reads the same kept part.
	let j = (await l.get(`/api/v1/courses/${course}`)).json();
	assert.deepEqual(j.modules.map((m) => m.lessons.map((x) => x.id)), [[l1, l2], [l3]]);
	assert.deepEqual(j.modules[0].lessons.map((x) => x.status), ['completed', 'not_started']);

	// Reorder: lessons and modules.
	assert.equal((await post(alice, `/teach/lessons/${l2}/move`, { direction: 'up' })).status, 303);
	await each(l, path, (r) => assert.deepEqual(syllabus(r.text), ['Beta, retitled', 'Alpha lesson', 'Gamma lesson']));
	assert.equal((await post(alice, `/teach/modules/${m2}/move`, { direction: 'up' })).status, 303);
	await each(l, path, (r) => {
		assert.deepEqual(syllabus(r.text), ['Gamma lesson', 'Beta, retitled', 'Alpha lesson']);
		assert.match(r.text, /Module 1: Second part/);
	});

	// The course's own facts, skills and prerequisites (one form).
	r = await post(alice, `/teach/courses/${course}`, [['title', `Kept course ${RUN} v2`], ['summary', 'New summary'],
		['level', 'advanced'], ['language', 'en'], ['estimated_hours', '3'], ['skill', other], ['skill_level', '6'],
		['precourse', pre]]);
	assert.equal(r.status, 303, r.text.slice(0, 1500));
	await each(l, path, (r) => {
		assert.match(r.text, new RegExp(`<h1>Kept course ${RUN} v2</h1>`));
		assert.match(r.text, /<p class="lead">New summary<\/p>/);
		assert.match(r.text, /<dd>Advanced<\/dd>/);
		assert.match(r.text, new RegExp(`Other skill ${RUN} <span class="meta">to level 6 of 10`));
		assert.doesNotMatch(r.text, new RegExp(`Kept skill ${RUN}`));
		assert.match(r.text, new RegExp(`The course “Kept prerequisite ${RUN}”: <strong class="not-met">not yet</strong> — take <a href="/courses/${pre}">`));
	});
	// The prerequisite removed again (the form sends the empty choice).
	r = await post(alice, `/teach/courses/${course}`, [['title', `Kept course ${RUN} v2`], ['summary', 'New summary'],
		['level', 'advanced'], ['language', 'en'], ['estimated_hours', '3'], ['skill', other], ['skill_level', '6'],
		['precourse', '']]);
	assert.equal(r.status, 303);
	await each(l, path, (r) => assert.match(r.text, /None: anyone can start this course/));

	// Deleting a lesson.
	r = await post(alice, `/teach/lessons/${l3}/delete`, { confirm: 1 });
	assert.equal(r.status, 303, r.text.slice(0, 1500));
	await each(l, path, (r) => {
		assert.deepEqual(syllabus(r.text), ['Beta, retitled', 'Alpha lesson']);
		assert.match(r.text, /Module 1: Second part<\/h3>\n<p>No lessons yet\.<\/p>/);
	});

	// Unpublished (no page does it; an admin with SQL): gone for the
	// learner at once, still there for the author with the draft note.
	sql(`UPDATE courses SET status = 'draft' WHERE id = ${course}`);
	await each(l, path, (r) => assert.equal(r.status, 404));
	await each(alice, path, (r) => {
		assert.equal(r.status, 200);
		assert.match(r.text, /This course is a draft: only its author and admins can see it/);
	});
	// Published again through review: the note goes, the learner is back.
	await publish(course);
	await each(alice, path, (r) => assert.doesNotMatch(r.text, /This course is a draft/));
	await each(l, path, (r) => {
		assert.equal(r.status, 200);
		assert.match(r.text, /50% complete \(1 of 2 lessons\)/);
	});
});

test('edits made outside the authoring pages: skill and instructor renamed, a quiz attached, a course deleted', async () => {
	const skill = await newSkill(`Renamed skill ${RUN}`);
	const course = await newCourse(`Outside edits ${RUN}`, [['skill', skill], ['skill_level', '3']]);
	const m = await newModule(course, 'The module');
	await newLesson(m, 'One lesson');
	await publish(course);
	const path = `/courses/${course}`;
	const l = await learner('Outside Learner');
	await each(l, path, (r) => {
		assert.match(r.text, new RegExp(`Renamed skill ${RUN} <span`));
		assert.match(r.text, /<dd>Alice Author<\/dd>/);
		assert.doesNotMatch(r.text, /module-quizzes/);
	});
	sql(`UPDATE skills SET name = ${q(`Skill now ${RUN}`)} WHERE id = ${skill}`);
	await each(l, path, (r) => assert.match(r.text, new RegExp(`Skill now ${RUN} <span`)));
	sql(`UPDATE users SET full_name = 'Alice Renamed' WHERE id = ${alice.user.id}`);
	try {
		await each(l, path, (r) => assert.match(r.text, /<dd>Alice Renamed<\/dd>/));
	} finally {
		sql(`UPDATE users SET full_name = 'Alice Author' WHERE id = ${alice.user.id}`);
	}
	const quiz = num(`INSERT INTO assessments (owner_id, title, module_id) VALUES (${alice.user.id},
		${q(`Module quiz ${RUN}`)}, ${m}) RETURNING id`);
	await each(l, path, (r) => assert.match(r.text, new RegExp(`<a href="/quizzes/${quiz}">Module quiz ${RUN}</a>`)));
	sql(`UPDATE assessments SET title = ${q(`Quiz renamed ${RUN}`)} WHERE id = ${quiz}`);
	await each(l, path, (r) => assert.match(r.text, new RegExp(`<a href="/quizzes/${quiz}">Quiz renamed ${RUN}</a>`)));
	sql(`DELETE FROM courses WHERE id = ${course}`);
	await each(l, path, (r) => assert.equal(r.status, 404));
	assert.equal(num(`SELECT count(*) FROM course_versions WHERE course_id = ${course}`), 0);
});

test("one visitor's part never reaches another: progress, enrolment, prerequisites, drafts", async () => {
	const skill = await newSkill(`Needed skill ${RUN}`);
	const course = await newCourse(`Shared page ${RUN}`, [['preskill', skill], ['preskill_level', '3']]);
	const m = await newModule(course, 'Module');
	const [l1, l2, l3] = [await newLesson(m, 'First'), await newLesson(m, 'Second'), await newLesson(m, 'Third')];
	await publish(course);
	const path = `/courses/${course}`;
	const a = await learner('Learner A'), b = await learner('Learner B'), anon = new Client();
	assert.equal((await post(a, `${path}/enroll`)).status, 303);
	assert.equal((await post(a, `${path}/lessons/${l1}/complete`)).status, 303);
	sql(`INSERT INTO lesson_progress (user_id, lesson_id, status, time_spent_seconds) VALUES (${a.id}, ${l2}, 'started', 150)`);
	sql(`INSERT INTO learner_profiles (user_id, skill_levels) VALUES (${a.id}, '{"${skill}": 5}')
		ON CONFLICT (user_id) DO UPDATE SET skill_levels = EXCLUDED.skill_levels`);
	// B once had progress here and left: kept, shown, not enrolled.
	sql(`INSERT INTO lesson_progress (user_id, lesson_id, status, completed_at) VALUES (${b.id}, ${l3}, 'completed', now())`);

	const checkA = (r) => {
		assert.equal(r.status, 200);
		assert.match(r.text, /First<\/a> <span class="meta">text · 10 min<\/span> <span class="lesson-status">Completed<\/span>/);
		assert.match(r.text, /Second<\/a> <span class="meta">text · 10 min<\/span> <span class="lesson-status">In progress · 2 min spent<\/span>/);
		assert.match(r.text, /Third<\/a> <span class="meta">text · 10 min<\/span> <span class="lesson-status">Not started<\/span>/);
		assert.match(r.text, /33% complete \(1 of 3 lessons\)/);
		assert.match(r.text, /Leave this course/);
		assert.match(r.text, new RegExp(`Level 3 in Needed skill ${RUN}: <strong class="met">met</strong>`));
		assert.match(r.text, /Learner A/);
	};
	const checkB = (r) => {
		assert.equal(r.status, 200);
		assert.match(r.text, /First<\/a> <span class="meta">text · 10 min<\/span> <span class="lesson-status">Not started<\/span>/);
		assert.match(r.text, /Second<\/a> <span class="meta">text · 10 min<\/span> <span class="lesson-status">Not started<\/span>/);
		assert.match(r.text, /Third<\/a> <span class="meta">text · 10 min<\/span> <span class="lesson-status">Completed<\/span>/);
		assert.doesNotMatch(r.text, /In progress|% complete|Leave this course/);
		assert.match(r.text, /Enrol in this course/);
		assert.match(r.text, new RegExp(`Level 3 in Needed skill ${RUN}: <strong class="not-met">not yet</strong>`));
		assert.match(r.text, /Learner B/);
		assert.doesNotMatch(r.text, /Learner A/);
	};
	const checkAnon = (r) => {
		assert.equal(r.status, 200);
		assert.equal((r.text.match(/lesson-status">Not started</g) || []).length, 3);
		assert.doesNotMatch(r.text, /Completed|In progress|Leave this course|Learner [AB]/);
		assert.match(r.text, /Sign in to enrol/);
	};
	for (let i = 0; i < ROUNDS; i++) {
		checkA(await a.get(path));
		checkB(await b.get(path));
		checkAnon(await anon.get(path));
	}
	for (let i = 0; i < 4; i++) {
		const ja = (await a.get(`/api/v1/courses/${course}`)).json();
		const jb = (await b.get(`/api/v1/courses/${course}`)).json();
		assert.deepEqual(ja.modules[0].lessons.map((x) => [x.status, x.time_spent_seconds]),
			[['completed', 0], ['started', 150], ['not_started', 0]]);
		assert.equal(ja.enrollment.lessons_completed, 1);
		assert.deepEqual(jb.modules[0].lessons.map((x) => x.status), ['not_started', 'not_started', 'completed']);
		assert.equal(jb.enrollment, null);
		assert.deepEqual([ja.prerequisites[0].met, jb.prerequisites[0].met], [true, false]);
	}

	// A draft: kept by the threads that served its author, never shown to
	// a learner or a visitor, shown to an admin.
	const draft = await newCourse(`Secret draft ${RUN}`);
	await newLesson(await newModule(draft, 'Hidden module'), 'Hidden lesson');
	await each(alice, `/courses/${draft}`, (r) => assert.match(r.text, /Hidden lesson/));
	for (const c of [a, b, anon])
		await each(c, `/courses/${draft}`, (r) => {
			assert.equal(r.status, 404);
			assert.doesNotMatch(r.text, /Hidden/);
		});
	assert.equal((await a.get(`/api/v1/courses/${draft}`)).status, 404);
	await each(admin, `/courses/${draft}`, (r) => assert.match(r.text, /Hidden lesson/));
});

test("prerequisites: another course renamed or published, the learner's own standing: on the very next request", async () => {
	const skill = await newSkill(`Prereq skill ${RUN}`);
	const pre = await newCourse(`Prereq course ${RUN}`);
	await newLesson(await newModule(pre, 'M'), 'L');
	await publish(pre);
	const teach5 = await newCourse(`Teaches at 5 ${RUN}`, [['skill', skill], ['skill_level', '5']]);
	await newLesson(await newModule(teach5, 'M'), 'L');
	await publish(teach5);
	const course = await newCourse(`Needs both ${RUN}`, [['precourse', pre], ['preskill', skill], ['preskill_level', '3']]);
	await newLesson(await newModule(course, 'M'), 'L');
	await publish(course);
	const path = `/courses/${course}`;
	const l = await learner('Prereq Learner');
	const skillRow = (take) => new RegExp(`Level 3 in Prereq skill ${RUN}: <strong class="not-met">not yet</strong> — take <a href="/courses/${take}">[^<]*</a> first \\(your level in this skill is not known yet\\)`);
	await each(l, path, (r) => {
		assert.match(r.text, new RegExp(`The course “Prereq course ${RUN}”: <strong class="not-met">not yet</strong> — take <a href="/courses/${pre}">`));
		assert.match(r.text, skillRow(teach5));
	});
	// Another course renamed (this course's own version does not move).
	const v = num(`SELECT COALESCE(max(version), 0) FROM course_versions WHERE course_id = ${course}`);
	sql(`UPDATE courses SET title = ${q(`Prereq renamed ${RUN}`)} WHERE id = ${pre}`);
	assert.equal(num(`SELECT COALESCE(max(version), 0) FROM course_versions WHERE course_id = ${course}`), v);
	await each(l, path, (r) => assert.match(r.text, new RegExp(`The course “Prereq renamed ${RUN}”`)));
	// A course teaching the skill at a lower sufficient level is published:
	// it becomes the suggestion.
	const teach4 = await newCourse(`Teaches at 4 ${RUN}`, [['skill', skill], ['skill_level', '4']]);
	await newLesson(await newModule(teach4, 'M'), 'L');
	await each(l, path, (r) => assert.match(r.text, skillRow(teach5)));
	await publish(teach4);
	await each(l, path, (r) => assert.match(r.text, skillRow(teach4)));
	// The learner's own standing: a level by skill name, then by id (the id
	// wins), a completed prerequisite course.
	sql(`INSERT INTO learner_profiles (user_id, skill_levels) VALUES (${l.id}, ${q(JSON.stringify({ [`Prereq skill ${RUN}`]: 2 }))})
		ON CONFLICT (user_id) DO UPDATE SET skill_levels = EXCLUDED.skill_levels`);
	await each(l, path, (r) => assert.match(r.text, /\(your level is 2\)/));
	sql(`UPDATE learner_profiles SET skill_levels = skill_levels || ${q(JSON.stringify({ [skill]: 3.5 }))} WHERE user_id = ${l.id}`);
	await each(l, path, (r) => assert.match(r.text, new RegExp(`Level 3 in Prereq skill ${RUN}: <strong class="met">met</strong>`)));
	sql(`INSERT INTO enrollments (user_id, course_id, status, completed_at) VALUES (${l.id}, ${pre}, 'completed', now())`);
	await each(l, path, (r) => assert.match(r.text, new RegExp(`The course “Prereq renamed ${RUN}”: <strong class="met">met</strong>`)));
	const j = (await l.get(`/api/v1/courses/${course}`)).json();
	assert.deepEqual(j.prerequisites.map((p) => [p.kind, p.met, p.your_level]), [['course', true, undefined], ['skill', true, 3.5]]);
	// Another learner sees none of it.
	const other = await learner('Other Prereq Learner');
	await each(other, path, (r) => {
		assert.doesNotMatch(r.text, /class="met"/);
		assert.match(r.text, skillRow(teach4));
	});
});
