// The instructor side of courses through real nginx and the real worker:
// skills, creating and editing courses (skills taught, prerequisite courses
// and skill levels), modules and lessons (create, edit, reorder, move,
// delete, preview), prerequisite cycles refused, submit for review, admin
// approve / reject with a note, delete rules, the JSON twins, and the bad
// input of issue 4: another instructor's ids (404, nothing changed),
// learners (403), script in titles and Markdown (inert), a lesson moved to
// another course's module (refused), a duplicate skill (form error).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { Client, registerUser, uniqueEmail, sql, cli } from './lib.mjs';

const RUN = `${process.pid}x${Date.now() % 1000000}`;
const q = (s) => `'${String(s).replace(/'/g, "''")}'`;
const num = (query) => Number(sql(query));

let alice, bob, admin, learner;	// two instructors, an admin, a learner

function addUser(role, name) {
	const email = uniqueEmail(role), password = 'teach pass 123';
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
	const api = await new Client().postJSON('/api/v1/auth/login', { email: u.email, password: u.password });
	assert.equal(api.status, 200);
	c.bearer = api.json().access_token;
	return c;
}

// A form POST with the session's CSRF token; fields may repeat (pairs).
function post(c, path, fields = []) {
	const pairs = Array.isArray(fields) ? fields : Object.entries(fields);
	return c.post(path, [['csrf', c.token], ...pairs.map(([k, v]) => [k, String(v)])]);
}

function api(c, method, path, body) {
	const headers = { authorization: `Bearer ${c.bearer}` };
	if (method === 'GET')
		return c.req('GET', path, { headers });
	return c.postJSON(path, body ?? {}, headers);
}

const idFrom = (r, re) => Number(r.headers.get('location').match(re)[1]);

async function newCourse(c, title, extra = []) {
	const r = await post(c, '/teach/courses/new', [['title', title], ['summary', 'A summary'],
		['level', 'beginner'], ['language', 'en'], ['estimated_hours', '2'], ...extra]);
	assert.equal(r.status, 303, r.text.slice(0, 2000));
	return idFrom(r, /\/teach\/courses\/(\d+)/);
}

async function newModule(c, course, title) {
	const r = await post(c, `/teach/courses/${course}/modules`, { title });
	assert.equal(r.status, 303, r.text.slice(0, 2000));
	return idFrom(r, /#module-(\d+)/);
}

async function newLesson(c, module, title, body = 'Some *text*.', extra = []) {
	const r = await post(c, `/teach/modules/${module}/lessons/new`, [['title', title], ['kind', 'text'],
		['estimated_minutes', '15'], ['body', body], ...extra]);
	assert.equal(r.status, 303, r.text.slice(0, 2000));
	return idFrom(r, /\/teach\/lessons\/(\d+)/);
}

async function newSkill(c, name) {
	const r = await post(c, '/skills', { name, description: `About ${name}` });
	assert.equal(r.status, 303, r.text.slice(0, 2000));
	return idFrom(r, /created=(\d+)/);
}

before(async () => {
	alice = await signIn(addUser('instructor', 'Alice Author'));
	bob = await signIn(addUser('instructor', 'Bob Builder'));
	admin = await signIn(addUser('admin', 'Ada Admin'));
	learner = new Client();
	const u = await registerUser(learner);
	learner.token = await learner.csrf('/account');
	const t = await new Client().postJSON('/api/v1/auth/login', { email: u.email, password: u.password });
	learner.bearer = t.json().access_token;
});

test('learners get 403 on every instructor route, page or API, GET or POST', async () => {
	const course = await newCourse(alice, `Forbidden ${RUN}`);
	const module = await newModule(alice, course, 'M');
	const lesson = await newLesson(alice, module, 'L');
	const before = sql(`SELECT title, status FROM courses WHERE id = ${course}`);
	for (const path of ['/teach', '/teach/courses/new', `/teach/courses/${course}`, `/teach/courses/${course}/delete`,
		`/teach/modules/${module}`, `/teach/modules/${module}/lessons/new`, `/teach/lessons/${lesson}`, '/skills',
		'/admin/reviews'])
		assert.equal((await learner.get(path)).status, 403, `GET ${path}`);
	const posts = [['/teach/courses/new', { title: 'x' }], [`/teach/courses/${course}`, { title: 'Hijacked' }],
		[`/teach/courses/${course}/delete`, { confirm: 1 }], [`/teach/courses/${course}/submit`, {}],
		[`/teach/courses/${course}/modules`, { title: 'x' }], [`/teach/modules/${module}`, { title: 'x' }],
		[`/teach/modules/${module}/move`, { direction: 'up' }], [`/teach/modules/${module}/delete`, {}],
		[`/teach/modules/${module}/lessons/new`, { title: 'x' }], [`/teach/lessons/${lesson}`, { title: 'x' }],
		[`/teach/lessons/${lesson}/move`, { direction: 'up' }], [`/teach/lessons/${lesson}/delete`, {}],
		['/skills', { name: `Nope ${RUN}` }], [`/admin/reviews/${course}/approve`, {}]];
	for (const [path, fields] of posts)
		assert.equal((await post(learner, path, fields)).status, 403, `POST ${path}`);
	for (const path of ['/api/v1/courses', `/api/v1/courses/${course}`, `/api/v1/courses/${course}/submit`,
		`/api/v1/courses/${course}/modules`, `/api/v1/modules/${module}/lessons`, `/api/v1/lessons/${lesson}`,
		`/api/v1/courses/${course}/approve`, '/api/v1/skills'])
		assert.equal((await api(learner, 'POST', path, { title: 'x', name: 'x' })).status, 403, `API POST ${path}`);
	assert.equal((await api(learner, 'GET', '/api/v1/teach/courses')).status, 403);
	assert.equal(sql(`SELECT title, status FROM courses WHERE id = ${course}`), before, 'nothing changed');
	assert.equal(num(`SELECT count(*) FROM lessons WHERE id = ${lesson}`), 1);
	assert.equal(num(`SELECT count(*) FROM skills WHERE name = ${q(`Nope ${RUN}`)}`), 0);
});

test('skills: created by instructors, listed, duplicate names refused whatever the case', async () => {
	const name = `Statistics ${RUN}`;
	const id = await newSkill(alice, name);
	const page = await bob.get('/skills');
	assert.equal(page.status, 200);
	assert.ok(page.text.includes(name));
	for (const dup of [name, name.toUpperCase(), `  ${name.toLowerCase()} `]) {
		const r = await post(bob, '/skills', { name: dup });
		assert.equal(r.status, 409, dup);
		assert.match(r.text, /already exists/);
		assert.match(r.text, /aria-invalid="true"/);
	}
	assert.equal(num(`SELECT count(*) FROM skills WHERE lower(name) = lower(${q(name)})`), 1);
	const j = await api(bob, 'POST', '/api/v1/skills', { name: name.toLowerCase() });
	assert.equal(j.status, 409);
	const list = await api(bob, 'GET', '/api/v1/skills');
	assert.ok(list.json().skills.some((s) => s.id === id && s.name === name));
	assert.equal((await post(alice, '/skills', { name: '' })).status, 400);
});

test('create a course with skills and prerequisites; modules and lessons; reorder; move; preview; delete', async () => {
	const s1 = await newSkill(alice, `Algebra ${RUN}`), s2 = await newSkill(alice, `Probability ${RUN}`);
	const pre = await newCourse(alice, `Basics ${RUN}`);
	const course = await newCourse(alice, `Inference ${RUN}`, [['skill', s1], ['skill_level', '4'], ['skill', s2],
		['skill_level', '7'], ['skill', ''], ['skill_level', ''], ['preskill', s1], ['preskill_level', '2'],
		['precourse', ''], ['precourse', pre]]);
	assert.equal(sql(`SELECT skill_id || ':' || target_level FROM course_skills WHERE course_id = ${course} ORDER BY target_level`),
		`${s1}:4\n${s2}:7`);
	assert.equal(sql(`SELECT skill_id || ':' || min_level FROM course_prereq_skills WHERE course_id = ${course}`), `${s1}:2`);
	assert.equal(sql(`SELECT prereq_id FROM course_prereq_courses WHERE course_id = ${course}`), String(pre));
	assert.equal(sql(`SELECT status FROM courses WHERE id = ${course}`), 'draft');

	// The edit page shows what was saved.
	let page = await alice.get(`/teach/courses/${course}`);
	assert.equal(page.status, 200);
	assert.match(page.text, new RegExp(`<option value="${pre}" selected>`));
	assert.match(page.text, new RegExp(`<option value="${s2}" selected>`));
	assert.match(page.text, /Draft/);

	let bad = await post(alice, `/teach/courses/${course}/modules`, { title: '' });
	assert.equal(bad.status, 400);
	assert.match(bad.text, /Title is required/);
	assert.match(bad.text, /id="module-error"/);
	const m1 = await newModule(alice, course, 'First module');
	const m2 = await newModule(alice, course, 'Second module');
	const l1 = await newLesson(alice, m1, 'Lesson one');
	const l2 = await newLesson(alice, m1, 'Lesson two');
	const l3 = await newLesson(alice, m2, 'Lesson three');
	const order = () => sql(`SELECT string_agg(l.title, ',' ORDER BY m.position, l.position) FROM lessons l
		JOIN modules m ON m.id = l.module_id WHERE m.course_id = ${course}`);
	assert.equal(order(), 'Lesson one,Lesson two,Lesson three');

	// Reorder with the buttons' POSTs.
	assert.equal((await post(alice, `/teach/modules/${m2}/move`, { direction: 'up' })).status, 303);
	assert.equal(order(), 'Lesson three,Lesson one,Lesson two');
	assert.equal((await post(alice, `/teach/lessons/${l2}/move`, { direction: 'up' })).status, 303);
	assert.equal(order(), 'Lesson three,Lesson two,Lesson one');
	// Moving the first one up again is a no-op, not an error.
	assert.equal((await post(alice, `/teach/modules/${m2}/move`, { direction: 'up' })).status, 303);
	assert.equal(order(), 'Lesson three,Lesson two,Lesson one');
	assert.equal((await post(alice, `/teach/modules/${m2}/move`, { direction: 'sideways' })).status, 400);
	page = await alice.get(`/teach/courses/${course}`);
	assert.ok(page.text.indexOf('Second module') < page.text.indexOf('First module'), 'outline in the new order');

	// Edit a lesson: skills, prerequisites, move to the other module.
	let r = await post(alice, `/teach/lessons/${l1}`, [['title', 'Lesson one, revised'], ['kind', 'exercise'],
		['estimated_minutes', '25'], ['body', '# Heading\n\nBody'], ['module_id', m2], ['skill', ''], ['skill', s1],
		['prereq', ''], ['prereq', l2]]);
	assert.equal(r.status, 303, r.text.slice(0, 1500));
	assert.equal(sql(`SELECT title || '|' || kind || '|' || estimated_minutes || '|' || module_id FROM lessons WHERE id = ${l1}`),
		`Lesson one, revised|exercise|25|${m2}`);
	assert.equal(sql(`SELECT skill_id FROM lesson_skills WHERE lesson_id = ${l1}`), String(s1));
	assert.equal(sql(`SELECT prereq_id FROM lesson_prereqs WHERE lesson_id = ${l1}`), String(l2));

	// A lesson prerequisite cycle is refused with the cycle named.
	r = await post(alice, `/teach/lessons/${l2}`, [['title', 'Lesson two'], ['kind', 'text'], ['estimated_minutes', '15'],
		['body', 'x'], ['prereq', ''], ['prereq', l1]]);
	assert.equal(r.status, 409);
	assert.match(r.text, /Prerequisite cycle refused: &quot;Lesson two&quot; requires &quot;Lesson one, revised&quot;, which requires &quot;Lesson two&quot;/);
	assert.equal(num(`SELECT count(*) FROM lesson_prereqs WHERE lesson_id = ${l2}`), 0, 'nothing saved');
	assert.equal(sql(`SELECT body_md FROM lessons WHERE id = ${l2}`), 'Some *text*.');
	// ... and a lesson requiring itself.
	r = await post(alice, `/teach/lessons/${l3}`, [['title', 'Lesson three'], ['body', 'x'], ['estimated_minutes', '5'],
		['prereq', l3]]);
	assert.equal(r.status, 409);
	assert.match(r.text, /requires itself/);
	// A prerequisite from another course is refused.
	const other = await newLesson(alice, await newModule(alice, pre, 'Other'), 'Elsewhere');
	r = await post(alice, `/teach/lessons/${l3}`, [['title', 'Lesson three'], ['body', 'x'], ['estimated_minutes', '5'],
		['prereq', other]]);
	assert.equal(r.status, 400);
	assert.match(r.text, /not a lesson of this course/);

	// Preview renders the Markdown without saving.
	r = await post(alice, `/teach/lessons/${l3}`, [['title', 'Lesson three'], ['body', '## Preview me\n\n*soon*'],
		['estimated_minutes', '5'], ['preview', '1']]);
	assert.equal(r.status, 200);
	assert.match(r.text, /<h2>Preview me<\/h2>/);
	assert.match(r.text, /<em>soon<\/em>/);
	assert.equal(sql(`SELECT body_md FROM lessons WHERE id = ${l3}`), 'Some *text*.');

	// Rename a module; delete a lesson and a module.
	assert.equal((await post(alice, `/teach/modules/${m1}`, { title: 'Renamed module' })).status, 303);
	assert.equal(sql(`SELECT title FROM modules WHERE id = ${m1}`), 'Renamed module');
	assert.equal((await post(alice, `/teach/modules/${m1}`, { title: '' })).status, 400);
	assert.equal((await post(alice, `/teach/lessons/${l3}/delete`)).status, 303);
	assert.equal(num(`SELECT count(*) FROM lessons WHERE id = ${l3}`), 0);
	assert.equal((await post(alice, `/teach/modules/${m1}/delete`)).status, 303);
	assert.equal(num(`SELECT count(*) FROM modules WHERE id = ${m1}`), 0);
	assert.equal(num(`SELECT count(*) FROM lessons WHERE id = ${l2}`), 0, 'its lessons went with it');

	// The course list shows both courses with their status.
	page = await alice.get('/teach');
	assert.equal(page.status, 200);
	assert.ok(page.text.includes(`Inference ${RUN}`) && page.text.includes(`Basics ${RUN}`));
});

test('script in titles and Markdown is rendered inert', async () => {
	const title = `<script>alert("t${RUN}")</script> Course`;
	const course = await newCourse(alice, title);
	const module = await newModule(alice, course, '<img src=x onerror=alert(1)>');
	const body = '<script>alert("b")</script>\n\n[click](javascript:alert(2))\n\n<b onclick="x()">bold</b>';
	const lesson = await newLesson(alice, module, '<script>alert("l")</script>', body);
	for (const path of ['/teach', `/teach/courses/${course}`, `/teach/lessons/${lesson}`, `/teach/modules/${module}`]) {
		const r = await alice.get(path);
		assert.equal(r.status, 200, path);
		assert.doesNotMatch(r.text, /<script>alert/, path);
		assert.doesNotMatch(r.text, /<img src=x/, path);
		assert.doesNotMatch(r.text, /href="javascript:/i, path);
		assert.doesNotMatch(r.text, /<b onclick/, path);
	}
	const page = await alice.get(`/teach/courses/${course}`);
	assert.ok(page.text.includes('&lt;script&gt;alert(&quot;t'), 'title escaped');
	const lp = await alice.get(`/teach/lessons/${lesson}`);
	assert.match(lp.text, /&lt;script&gt;alert\(&quot;b&quot;\)/, 'the Markdown source is shown escaped in the textarea');
	const j = await api(alice, 'GET', `/api/v1/teach/lessons/${lesson}`);
	assert.doesNotMatch(j.json().body_html, /<script|javascript:|onclick/);
});

test("another instructor's course, module and lesson ids are 404 and nothing changes", async () => {
	const course = await newCourse(alice, `Private ${RUN}`);
	const module = await newModule(alice, course, 'Alice module');
	const lesson = await newLesson(alice, module, 'Alice lesson');
	const snap = () => sql(`SELECT c.title, c.status, c.updated_at, m.title, m.position, l.title, l.body_md, l.module_id
		FROM courses c JOIN modules m ON m.course_id = c.id JOIN lessons l ON l.module_id = m.id WHERE c.id = ${course}`);
	const before = snap();
	for (const path of [`/teach/courses/${course}`, `/teach/courses/${course}/delete`, `/teach/modules/${module}`,
		`/teach/modules/${module}/lessons/new`, `/teach/lessons/${lesson}`])
		assert.equal((await bob.get(path)).status, 404, `GET ${path}`);
	const posts = [[`/teach/courses/${course}`, { title: 'Stolen', language: 'en', estimated_hours: 1 }],
		[`/teach/courses/${course}/delete`, { confirm: 1 }], [`/teach/courses/${course}/submit`, {}],
		[`/teach/courses/${course}/modules`, { title: 'Intruder' }], [`/teach/modules/${module}`, { title: 'Stolen' }],
		[`/teach/modules/${module}/move`, { direction: 'down' }], [`/teach/modules/${module}/delete`, {}],
		[`/teach/modules/${module}/lessons/new`, { title: 'Intruder' }],
		[`/teach/lessons/${lesson}`, { title: 'Stolen', body: 'x' }], [`/teach/lessons/${lesson}/move`, { direction: 'up' }],
		[`/teach/lessons/${lesson}/delete`, {}]];
	for (const [path, fields] of posts) {
		const r = await post(bob, path, fields);
		assert.equal(r.status, 404, `POST ${path}`);
	}
	for (const [path, body] of [[`/api/v1/courses/${course}`, { title: 'Stolen' }], [`/api/v1/courses/${course}/delete`, { confirm: true }],
		[`/api/v1/courses/${course}/submit`, {}], [`/api/v1/courses/${course}/modules`, { title: 'x' }],
		[`/api/v1/modules/${module}`, { title: 'x' }], [`/api/v1/modules/${module}/lessons`, { title: 'x' }],
		[`/api/v1/lessons/${lesson}`, { title: 'x' }], [`/api/v1/lessons/${lesson}/delete`, {}]]) {
		const r = await api(bob, 'POST', path, body);
		assert.equal(r.status, 404, `API ${path}`);
		assert.equal(r.json().error.status, 404);
	}
	assert.equal((await api(bob, 'GET', `/api/v1/teach/courses/${course}`)).status, 404);
	// Bob cannot name Alice's draft as a prerequisite either.
	const bobs = await newCourse(bob, `Bob's ${RUN}`);
	const r = await post(bob, `/teach/courses/${bobs}`, [['title', `Bob's ${RUN}`], ['language', 'en'],
		['estimated_hours', '1'], ['precourse', course]]);
	assert.equal(r.status, 400);
	assert.equal(num(`SELECT count(*) FROM course_prereq_courses WHERE course_id = ${bobs}`), 0);
	assert.equal(snap(), before, 'nothing changed');
	assert.equal(num(`SELECT count(*) FROM modules WHERE course_id = ${course}`), 1);
	// The admin sees and may edit any course.
	assert.equal((await admin.get(`/teach/courses/${course}`)).status, 200);
	assert.ok((await admin.get('/teach')).text.includes(`Private ${RUN}`));
	assert.ok(!(await bob.get('/teach')).text.includes(`Private ${RUN}`));
});

test('a lesson cannot move to a module of another course', async () => {
	const c1 = await newCourse(alice, `Home ${RUN}`), c2 = await newCourse(alice, `Away ${RUN}`);
	const m1 = await newModule(alice, c1, 'Home module'), m2 = await newModule(alice, c2, 'Away module');
	const lesson = await newLesson(alice, m1, 'Homebody');
	const bobc = await newCourse(bob, `Bob home ${RUN}`);
	const bobm = await newModule(bob, bobc, 'Bob module');
	for (const target of [m2, bobm, 999999999]) {
		const r = await post(alice, `/teach/lessons/${lesson}`, [['title', 'Homebody'], ['body', 'b'],
			['estimated_minutes', '5'], ['module_id', target]]);
		assert.equal(r.status, 400, `module ${target}`);
		assert.match(r.text, /only move to a module of its own course/);
		const j = await api(alice, 'POST', `/api/v1/lessons/${lesson}`, { module_id: target });
		assert.equal(j.status, 400);
		assert.match(j.json().error.message, /own course/);
	}
	assert.equal(num(`SELECT module_id FROM lessons WHERE id = ${lesson}`), m1, 'still where it was');
	assert.equal(sql(`SELECT body_md FROM lessons WHERE id = ${lesson}`), 'Some *text*.');
});

test('a course prerequisite cycle is refused with the cycle named; nothing saved', async () => {
	const a = await newCourse(alice, `Cycle A ${RUN}`);
	const b = await newCourse(alice, `Cycle B ${RUN}`, [['precourse', a]]);
	const c = await newCourse(alice, `Cycle C ${RUN}`, [['precourse', b]]);
	// A requires C would close A <- B <- C <- A.
	let r = await post(alice, `/teach/courses/${a}`, [['title', `Cycle A ${RUN} edited`], ['language', 'en'],
		['estimated_hours', '3'], ['precourse', c]]);
	assert.equal(r.status, 409);
	assert.match(r.text, new RegExp(`Prerequisite cycle refused: &quot;Cycle A ${RUN}&quot; requires &quot;Cycle C ${RUN}&quot;, which requires &quot;Cycle B ${RUN}&quot;, which requires &quot;Cycle A ${RUN}&quot;`));
	assert.equal(sql(`SELECT title FROM courses WHERE id = ${a}`), `Cycle A ${RUN}`, 'the title was not saved either');
	assert.equal(num(`SELECT count(*) FROM course_prereq_courses WHERE course_id = ${a}`), 0);
	// Through the API too, and a course requiring itself.
	r = await api(alice, 'POST', `/api/v1/courses/${a}`, { prereq_courses: `${c}` });
	assert.equal(r.status, 409);
	assert.match(r.json().error.message, /Prerequisite cycle refused/);
	r = await api(alice, 'POST', `/api/v1/courses/${a}`, { prereq_courses: `${a}` });
	assert.equal(r.status, 409);
	assert.match(r.json().error.message, /requires itself/);
	assert.equal(num(`SELECT count(*) FROM course_prereq_courses WHERE course_id = ${a}`), 0);
	// A chain without a cycle is fine.
	r = await api(alice, 'POST', `/api/v1/courses/${c}`, { prereq_courses: `${a},${b}` });
	assert.equal(r.status, 200);
	assert.equal(num(`SELECT count(*) FROM course_prereq_courses WHERE course_id = ${c}`), 2);
});

test('submit, admin rejects with a note the instructor sees, resubmit, approve; editing published saves at once', async () => {
	const course = await newCourse(alice, `Review me ${RUN}`);
	let r = await post(alice, `/teach/courses/${course}/submit`);
	assert.equal(r.status, 409, 'no lesson yet');
	assert.match(r.text, /at least one lesson/);
	await newLesson(alice, await newModule(alice, course, 'Only module'), 'Only lesson');
	r = await post(alice, `/teach/courses/${course}/submit`);
	assert.equal(r.status, 303);
	assert.equal(sql(`SELECT status || '|' || (submitted_at IS NOT NULL) FROM courses WHERE id = ${course}`), 'review|true');
	assert.equal((await post(alice, `/teach/courses/${course}/submit`)).status, 409, 'already in review');

	let q1 = await admin.get('/admin/reviews');
	assert.equal(q1.status, 200);
	assert.ok(q1.text.includes(`Review me ${RUN}`));
	assert.equal((await alice.get('/admin/reviews')).status, 403, 'instructors do not review');
	r = await post(admin, `/admin/reviews/${course}/reject`, { note: '' });
	assert.equal(r.status, 400);
	assert.match(r.text, /Note is required/);
	const note = `Add exercises <please> ${RUN}`;
	r = await post(admin, `/admin/reviews/${course}/reject`, { note });
	assert.equal(r.status, 303);
	assert.equal(sql(`SELECT status || '|' || review_note FROM courses WHERE id = ${course}`), `rejected|${note}`);
	const list = await alice.get('/teach');
	assert.ok(list.text.includes(`Add exercises &lt;please&gt; ${RUN}`), 'the note shows on /teach, escaped');
	assert.ok((await alice.get(`/teach/courses/${course}`)).text.includes('Rejected'));
	assert.equal((await post(admin, `/admin/reviews/${course}/approve`)).status, 409, 'not in review any more');

	assert.equal((await post(alice, `/teach/courses/${course}/submit`)).status, 303, 'resubmit after rejection');
	r = await post(admin, `/admin/reviews/${course}/approve`);
	assert.equal(r.status, 303);
	assert.equal(sql(`SELECT status || '|' || (published_at IS NOT NULL) || '|' || reviewed_by FROM courses WHERE id = ${course}`),
		`published|true|${admin.user.id}`);
	assert.equal(sql(`SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE object = 'course:${course}'`),
		'course.submit,course.reject,course.submit,course.approve');
	assert.match(sql(`SELECT detail->>'note' FROM audit_log WHERE object = 'course:${course}' AND action = 'course.reject'`), /Add exercises/);

	// Editing a published course: saved immediately, still published.
	r = await post(alice, `/teach/courses/${course}`, [['title', `Review me ${RUN} v2`], ['summary', 'New summary'],
		['level', 'advanced'], ['language', 'fr'], ['estimated_hours', '4.5']]);
	assert.equal(r.status, 303);
	assert.equal(sql(`SELECT title || '|' || status || '|' || level || '|' || language || '|' || estimated_hours FROM courses WHERE id = ${course}`),
		`Review me ${RUN} v2|published|advanced|fr|4.5`);
});

test('delete: a draft at once; a published course only when confirmed; audited', async () => {
	const draft = await newCourse(alice, `Throwaway ${RUN}`);
	assert.equal((await alice.get(`/teach/courses/${draft}/delete`)).status, 200);
	let r = await post(alice, `/teach/courses/${draft}/delete`);
	assert.equal(r.status, 303);
	assert.equal(num(`SELECT count(*) FROM courses WHERE id = ${draft}`), 0);

	const pub = await newCourse(alice, `Keeper ${RUN}`);
	await newLesson(alice, await newModule(alice, pub, 'M'), 'L');
	await post(alice, `/teach/courses/${pub}/submit`);
	await post(admin, `/admin/reviews/${pub}/approve`);
	const page = await alice.get(`/teach/courses/${pub}/delete`);
	assert.match(page.text, /name="confirm"/);
	r = await post(alice, `/teach/courses/${pub}/delete`);
	assert.equal(r.status, 400);
	assert.match(r.text, /confirm/);
	assert.equal(num(`SELECT count(*) FROM courses WHERE id = ${pub}`), 1);
	assert.equal((await api(alice, 'POST', `/api/v1/courses/${pub}/delete`, {})).status, 409);
	r = await post(alice, `/teach/courses/${pub}/delete`, { confirm: 1 });
	assert.equal(r.status, 303);
	assert.equal(num(`SELECT count(*) FROM courses WHERE id = ${pub}`), 0);
	assert.equal(sql(`SELECT detail->>'status' FROM audit_log WHERE object = 'course:${pub}' AND action = 'course.delete'`), 'published');
	assert.equal(num(`SELECT count(*) FROM audit_log WHERE object = 'course:${draft}' AND action = 'course.delete'`), 1);
});

test('deleting a module or lesson of a published course: a page says what goes, and only a confirmed POST does it', async () => {
	const pub = await newCourse(alice, `Live ${RUN}`);
	const m1 = await newModule(alice, pub, 'Basics <b>');
	const m2 = await newModule(alice, pub, 'More');
	const l1 = await newLesson(alice, m1, 'First'), l2 = await newLesson(alice, m1, 'Second');
	const l3 = await newLesson(alice, m2, 'Third');
	await post(alice, `/teach/courses/${pub}/submit`);
	await post(admin, `/admin/reviews/${pub}/approve`);
	assert.equal(sql(`SELECT status FROM courses WHERE id = ${pub}`), 'published');
	// Two learners have progress in module 1, one of them in lesson l2.
	const who = [];
	for (let i = 0; i < 2; i++) {
		const c = new Client();
		const u = await registerUser(c);
		who.push(num(`SELECT id FROM users WHERE email = ${q(u.email)}`));
	}
	sql(`INSERT INTO lesson_progress (user_id, lesson_id, status) VALUES (${who[0]}, ${l1}, 'started'), (${who[0]}, ${l2}, 'started'), (${who[1]}, ${l1}, 'started')`);

	// The outline links to the confirmation page instead of deleting.
	let r = await alice.get(`/teach/courses/${pub}`);
	assert.match(r.text, new RegExp(`<a class="button-secondary" href="/teach/modules/${m1}/delete"`));
	assert.match(r.text, new RegExp(`<a class="button-secondary" href="/teach/lessons/${l2}/delete"`));
	assert.doesNotMatch(r.text, new RegExp(`<form method="post" action="/teach/(modules/${m1}|lessons/${l2})/delete"`));
	r = await alice.get(`/teach/modules/${m1}/delete`);
	assert.equal(r.status, 200);
	assert.match(r.text, /Delete “Basics &lt;b&gt;”\?/);
	assert.match(r.text, /Lessons in it: 2\. Learners with progress in it: 2\./);
	assert.match(r.text, /name="confirm"/);
	assert.match(r.text, new RegExp(`action="/teach/modules/${m1}/delete"`));
	r = await alice.get(`/teach/lessons/${l2}/delete`);
	assert.equal(r.status, 200);
	assert.match(r.text, /Delete “Second”\?/);
	assert.match(r.text, /Learners with progress in it: 1\./);

	// Unconfirmed POSTs are refused with the reason; nothing goes.
	r = await post(alice, `/teach/modules/${m1}/delete`);
	assert.equal(r.status, 400);
	assert.match(r.text, /role="alert">Learners can see this course: confirm the delete/);
	r = await post(alice, `/teach/lessons/${l2}/delete`, { confirm: 0 });
	assert.equal(r.status, 400);
	r = await api(alice, 'POST', `/api/v1/lessons/${l3}/delete`, {});
	assert.equal(r.status, 409);
	assert.match(r.text, /confirm=true/);
	r = await api(alice, 'POST', `/api/v1/modules/${m2}/delete`, {});
	assert.equal(r.status, 409);
	assert.equal(num(`SELECT count(*) FROM lessons WHERE id IN (${l1}, ${l2}, ${l3})`), 3);
	assert.equal(num(`SELECT count(*) FROM lesson_progress WHERE lesson_id IN (${l1}, ${l2})`), 3);
	// Without the CSRF token even a confirmed POST is refused.
	r = await alice.post(`/teach/lessons/${l2}/delete`, { confirm: '1' });
	assert.equal(r.status, 403);
	// Another instructor: 404 on the page and the POST.
	assert.equal((await bob.get(`/teach/modules/${m1}/delete`)).status, 404);
	assert.equal((await post(bob, `/teach/modules/${m1}/delete`, { confirm: 1 })).status, 404);
	assert.equal(num(`SELECT count(*) FROM modules WHERE id = ${m1}`), 1);

	// Confirmed: gone, with the progress in it.
	r = await post(alice, `/teach/lessons/${l2}/delete`, { confirm: 1 });
	assert.equal(r.status, 303);
	assert.equal(num(`SELECT count(*) FROM lessons WHERE id = ${l2}`), 0);
	r = await post(alice, `/teach/modules/${m1}/delete`, { confirm: 1 });
	assert.equal(r.status, 303);
	assert.equal(num(`SELECT count(*) FROM modules WHERE id = ${m1}`), 0);
	assert.equal(num(`SELECT count(*) FROM lesson_progress WHERE lesson_id IN (${l1}, ${l2})`), 0);
	r = await api(alice, 'POST', `/api/v1/lessons/${l3}/delete`, { confirm: true });
	assert.equal(r.status, 200, r.text);
	assert.equal(num(`SELECT count(*) FROM lessons WHERE id = ${l3}`), 0);

	// A draft's modules still go at once, and its page asks nothing.
	const draft = await newCourse(alice, `Draft del ${RUN}`);
	const dm = await newModule(alice, draft, 'Scratch');
	r = await alice.get(`/teach/modules/${dm}/delete`);
	assert.equal(r.status, 200);
	assert.doesNotMatch(r.text, /name="confirm"/);
	assert.equal((await post(alice, `/teach/modules/${dm}/delete`)).status, 303);
	assert.equal(num(`SELECT count(*) FROM modules WHERE id = ${dm}`), 0);
});

test('bad input on the course and lesson forms: clear messages, 400, nothing written', async () => {
	const count = () => num(`SELECT count(*) FROM courses WHERE author_id = ${alice.user.id}`);
	const n = count();
	const cases = [
		[[['title', '']], /Title is required/],
		[[['title', 'x'.repeat(201)]], /Title/],
		[[['title', 'Ok'], ['level', 'expert']], /Level/],
		[[['title', 'Ok'], ['language', 'english!']], /language code/],
		[[['title', 'Ok'], ['estimated_hours', '0']], /at least 0.1/],
		[[['title', 'Ok'], ['estimated_hours', 'lots']], /Estimated hours/],
		[[['title', 'Ok'], ['skill', '999999999'], ['skill_level', '3']], /no skill #999999999/],
		[[['title', 'Ok'], ['skill', 'abc'], ['skill_level', '3']], /chosen from the list/],
		[[['title', 'Ok'], ['skill', '1'], ['skill_level', '11']], /level from 1 to 10/],
		[[['title', 'Ok'], ['precourse', '999999999']], /no course #999999999/],
	];
	for (const [fields, re] of cases) {
		const r = await post(alice, '/teach/courses/new', fields);
		assert.equal(r.status, 400, JSON.stringify(fields));
		assert.match(r.text, re, JSON.stringify(fields));
	}
	assert.equal(count(), n, 'nothing created');
	const s = await newSkill(alice, `Twice ${RUN}`);
	const r = await post(alice, '/teach/courses/new', [['title', 'Ok'], ['skill', s], ['skill_level', '2'], ['skill', s], ['skill_level', '3']]);
	assert.equal(r.status, 400);
	assert.match(r.text, /listed twice/);
	const course = await newCourse(alice, `Lesson input ${RUN}`);
	const module = await newModule(alice, course, 'M');
	for (const [fields, re] of [[[['title', '']], /Title is required/], [[['title', 'x'], ['kind', 'podcast']], /Type/],
		[[['title', 'x'], ['estimated_minutes', '0']], /Estimated minutes/], [[['title', 'x'], ['estimated_minutes', '601']], /Estimated minutes/]]) {
		const r2 = await post(alice, `/teach/modules/${module}/lessons/new`, fields);
		assert.equal(r2.status, 400, JSON.stringify(fields));
		assert.match(r2.text, re);
	}
	assert.equal(num(`SELECT count(*) FROM lessons WHERE module_id = ${module}`), 0);
	const j = await api(alice, 'POST', '/api/v1/courses', { title: 'Ok', prereq_skills: '1-2' });
	assert.equal(j.status, 400);
	assert.match(j.json().error.message, /id:level/);
});

test('JSON API: create, partial update, modules, lessons, move, submit, approve', async () => {
	const s = await newSkill(alice, `Api skill ${RUN}`);
	let r = await api(alice, 'POST', '/api/v1/courses', { title: `Api course ${RUN}`, summary: 'S', level: 'intermediate',
		estimated_hours: 6, skills: `${s}:5`, prereq_skills: `${s}:1` });
	assert.equal(r.status, 201, r.text);
	const c = r.json();
	assert.equal(c.status, 'draft');
	assert.equal(c.language, 'en', 'language defaults to en');
	assert.deepEqual(c.skills, [{ skill_id: s, name: `Api skill ${RUN}`, target_level: 5 }]);
	assert.deepEqual(c.prereq_skills, [{ skill_id: s, name: `Api skill ${RUN}`, min_level: 1 }]);

	// Partial update: only the summary; the rest stays.
	r = await api(alice, 'POST', `/api/v1/courses/${c.id}`, { summary: 'Only this' });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json().summary, 'Only this');
	assert.equal(r.json().title, `Api course ${RUN}`);
	assert.equal(r.json().skills.length, 1, 'skills untouched when not sent');
	r = await api(alice, 'POST', `/api/v1/courses/${c.id}`, { skills: '' });
	assert.equal(r.json().skills.length, 0, 'an empty list clears');

	r = await api(alice, 'POST', `/api/v1/courses/${c.id}/modules`, { title: 'API module 1' });
	assert.equal(r.status, 201);
	const m1 = r.json().id;
	const m2 = (await api(alice, 'POST', `/api/v1/courses/${c.id}/modules`, { title: 'API module 2' })).json().id;
	r = await api(alice, 'POST', `/api/v1/modules/${m1}/lessons`, { title: 'API lesson 1', body: '**hi**', estimated_minutes: 12, skills: `${s}` });
	assert.equal(r.status, 201, r.text);
	const l1 = r.json();
	assert.equal(l1.body_html.trim(), '<p><strong>hi</strong></p>');
	assert.deepEqual(l1.skills, [{ skill_id: s, name: `Api skill ${RUN}` }]);
	const l2 = (await api(alice, 'POST', `/api/v1/modules/${m1}/lessons`, { title: 'API lesson 2' })).json();
	assert.equal(l2.kind, 'text');
	assert.equal(l2.estimated_minutes, 10);
	r = await api(alice, 'POST', `/api/v1/lessons/${l2.id}`, { prereqs: `${l1.id}`, module_id: m2 });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json().module_id, m2);
	assert.deepEqual(r.json().prereqs, [{ lesson_id: l1.id, title: 'API lesson 1' }]);
	assert.equal(r.json().title, 'API lesson 2', 'title kept');
	r = await api(alice, 'POST', `/api/v1/modules/${m2}/move`, { direction: 'up' });
	assert.equal(r.status, 200);
	assert.equal(r.json().position, 1);
	r = await api(alice, 'GET', `/api/v1/teach/courses/${c.id}`);
	assert.deepEqual(r.json().modules.map((m) => [m.title, m.lessons.map((l) => l.title)]),
		[['API module 2', ['API lesson 2']], ['API module 1', ['API lesson 1']]]);
	r = await api(alice, 'GET', '/api/v1/teach/courses');
	assert.ok(r.json().courses.some((x) => x.id === c.id && x.lessons === 2));

	assert.equal((await api(alice, 'POST', `/api/v1/courses/${c.id}/approve`)).status, 403, 'instructors cannot approve');
	r = await api(alice, 'POST', `/api/v1/courses/${c.id}/submit`);
	assert.equal(r.status, 200);
	assert.equal(r.json().status, 'review');
	r = await api(admin, 'GET', '/api/v1/admin/reviews');
	assert.ok(r.json().courses.some((x) => x.id === c.id));
	assert.equal((await api(admin, 'POST', `/api/v1/courses/${c.id}/reject`, {})).status, 400, 'a note is required');
	r = await api(admin, 'POST', `/api/v1/courses/${c.id}/approve`);
	assert.equal(r.status, 200);
	assert.equal(r.json().status, 'published');
	assert.ok(r.json().published_at);

	// Published: deletes need confirm=true.
	assert.equal((await api(alice, 'POST', `/api/v1/lessons/${l1.id}/delete`)).status, 409);
	assert.equal((await api(alice, 'POST', `/api/v1/lessons/${l1.id}/delete`, { confirm: true })).status, 200);
	assert.equal((await api(alice, 'POST', `/api/v1/modules/${m1}/delete`, { confirm: true })).status, 200);
	assert.equal(num(`SELECT count(*) FROM modules WHERE course_id = ${c.id}`), 1);
	// Cookie sessions need the CSRF header on the API.
	const noCsrf = await alice.postJSON(`/api/v1/courses/${c.id}`, { summary: 'x' });
	assert.equal(noCsrf.status, 403);
});

test('cover image: an image is kept and shown; other files, empty forms and other instructors are refused', async () => {
	const course = await newCourse(alice, `Covered ${RUN}`);
	const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64, 1)]);
	const upload = async (c, path, name, bytes, extra = {}) => {
		const fd = new FormData();
		fd.append('csrf', c.token);
		for (const [k, v] of Object.entries(extra))
			fd.append(k, v);
		if (bytes)
			fd.append('cover', new Blob([bytes]), name);
		const r = await fetch(`${process.env.ADEPT_URL || 'http://127.0.0.1:18080'}${path}`,
			{ method: 'POST', body: fd, headers: { cookie: c.cookieHeader() }, redirect: 'manual' });
		return { status: r.status, text: await r.text(), location: r.headers.get('location') };
	};
	const cover = () => sql(`SELECT COALESCE(cover_upload_id::text, '') FROM courses WHERE id = ${course}`);

	let r = await upload(alice, `/teach/courses/${course}/cover`, 'notes.txt', Buffer.from('just text, not an image'));
	assert.equal(r.status, 415);
	assert.match(r.text, /PNG, JPEG, GIF or WebP/);
	r = await upload(alice, `/teach/courses/${course}/cover`, null, null);
	assert.equal(r.status, 400);
	assert.match(r.text, /Choose an image file/);
	assert.equal(cover(), '');

	const bobUploads = num(`SELECT count(*) FROM uploads WHERE owner_id = ${bob.user.id}`);
	r = await upload(bob, `/teach/courses/${course}/cover`, 'x.png', png);
	assert.equal(r.status, 404);
	assert.equal(num(`SELECT count(*) FROM uploads WHERE owner_id = ${bob.user.id}`), bobUploads, 'nothing stored');
	assert.equal(cover(), '');

	r = await upload(alice, `/teach/courses/${course}/cover`, 'cover.png', png);
	assert.equal(r.status, 303, r.text.slice(0, 500));
	const id = cover();
	assert.match(id, /^\d+$/);
	assert.equal(sql(`SELECT content_type || '|' || size_bytes FROM uploads WHERE id = ${id}`), `image/png|${png.length}`);
	const page = await alice.get(`/teach/courses/${course}`);
	assert.ok(page.text.includes(`src="/uploads/${id}"`));
	const img = await alice.get(`/uploads/${id}`);
	assert.equal(img.status, 200);
	assert.equal(img.headers.get('content-type'), 'image/png');

	// Replacing the cover removes the old one, row and file.
	const file = (upload) => `${process.env.ADEPT_VAR}/uploads/${sql(`SELECT storage_key FROM uploads WHERE id = ${upload}`)}`;
	const oldFile = file(id);
	assert.ok(existsSync(oldFile), oldFile);
	r = await upload(alice, `/teach/courses/${course}/cover`, 'cover2.png', Buffer.concat([png, Buffer.alloc(8, 2)]));
	assert.equal(r.status, 303, r.text.slice(0, 500));
	const id2 = cover();
	assert.notEqual(id2, id);
	assert.equal(num(`SELECT count(*) FROM uploads WHERE id = ${id}`), 0, 'the old upload row is gone');
	assert.ok(!existsSync(oldFile), 'the old file is gone');
	assert.equal((await alice.get(`/uploads/${id}`)).status, 404);
	const newFile = file(id2);
	assert.ok(existsSync(newFile));

	// Removing it: an upload still used elsewhere (here, set by SQL, the
	// cover of another course) stays; once nothing uses it, it goes.
	const twin = await newCourse(alice, `Cover twin ${RUN}`);
	sql(`UPDATE courses SET cover_upload_id = ${id2} WHERE id = ${twin}`);
	r = await upload(alice, `/teach/courses/${course}/cover`, null, null, { remove: '1' });
	assert.equal(r.status, 303);
	assert.equal(cover(), '');
	assert.equal(num(`SELECT count(*) FROM uploads WHERE id = ${id2}`), 1);
	assert.ok(existsSync(newFile), 'still used by the other course');
	r = await upload(alice, `/teach/courses/${twin}/cover`, null, null, { remove: '1' });
	assert.equal(r.status, 303);
	assert.equal(num(`SELECT count(*) FROM uploads WHERE id = ${id2}`), 0);
	assert.ok(!existsSync(newFile), 'the removed cover\'s file is gone');

	// The JSON twin takes the same multipart body with a bearer token.
	const fd = new FormData();
	fd.append('cover', new Blob([png]), 'api.png');
	const res = await fetch(`${process.env.ADEPT_URL || 'http://127.0.0.1:18080'}/api/v1/courses/${course}/cover`,
		{ method: 'POST', body: fd, headers: { authorization: `Bearer ${alice.bearer}` } });
	assert.equal(res.status, 200);
	const j = await res.json();
	assert.equal(j.cover_url, `/uploads/${cover()}`);
	const mine = await api(alice, 'GET', `/api/v1/teach/courses/${course}`);
	assert.equal(mine.json().cover_url, j.cover_url);
});

test('a chosen prerequisite course stays in the form even beyond the first 300 candidates', async () => {
	const last = await newCourse(alice, `zzzz Last ${RUN}`);
	sql(`INSERT INTO courses (author_id, title) SELECT ${alice.user.id}, 'aaaa filler ${RUN} ' || n FROM generate_series(1, 301) n`);
	const course = await newCourse(alice, `Needs the last ${RUN}`, [['precourse', last]]);
	const page = await alice.get(`/teach/courses/${course}`);
	assert.match(page.text, new RegExp(`<option value="${last}" selected>zzzz Last ${RUN}</option>`));
	sql(`DELETE FROM courses WHERE title LIKE 'aaaa filler ${RUN} %'`);
});
