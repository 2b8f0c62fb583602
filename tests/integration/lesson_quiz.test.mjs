// A lesson page links the quizzes attached to it or to its module, with
// titles escaped; a lesson with none shows no quiz section.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, registerUser, sql } from './lib.mjs';

test('lesson pages link their quizzes', async () => {
	const course = sql(`SELECT id FROM courses WHERE status = 'published' ORDER BY id LIMIT 1`);
	const [lesson, module, other] = sql(`SELECT l.id, l.module_id, (SELECT l2.id FROM lessons l2 JOIN modules m2 ON m2.id = l2.module_id
		WHERE m2.course_id = m.course_id AND l2.module_id <> l.module_id ORDER BY l2.id LIMIT 1)
		FROM lessons l JOIN modules m ON m.id = l.module_id WHERE m.course_id = ${course} ORDER BY m.position, l.position LIMIT 1`).split('|');
	const owner = sql(`SELECT author_id FROM courses WHERE id = ${course}`);
	const onLesson = sql(`INSERT INTO assessments (owner_id, title, lesson_id) VALUES (${owner}, 'Check <one>', ${lesson}) RETURNING id`).split('\n')[0];
	const onModule = sql(`INSERT INTO assessments (owner_id, title, module_id) VALUES (${owner}, 'Module review', ${module}) RETURNING id`).split('\n')[0];
	const c = new Client();
	await registerUser(c);
	const r = await c.get(`/courses/${course}/lessons/${lesson}`);
	assert.equal(r.status, 200);
	assert.match(r.text, new RegExp(`href="/quizzes/${onLesson}">Check &lt;one&gt;</a>`));
	assert.match(r.text, new RegExp(`href="/quizzes/${onModule}">Module review</a>`));
	assert.ok(r.text.indexOf(`/quizzes/${onLesson}"`) < r.text.indexOf(`/quizzes/${onModule}"`), 'the lesson\'s own quiz first');
	const o = await c.get(`/courses/${course}/lessons/${other}`);
	assert.equal(o.status, 200);
	assert.doesNotMatch(o.text, /Check what you have learned/);
	sql(`DELETE FROM assessments WHERE id IN (${onLesson}, ${onModule})`);
});

test('the syllabus lists module quizzes under their module; a learner reaches one from the course page', async () => {
	const course = sql(`SELECT c.id FROM courses c WHERE c.status = 'published'
		AND (SELECT count(*) FROM modules m WHERE m.course_id = c.id) >= 2 ORDER BY c.id LIMIT 1`);
	const [m1, m2] = sql(`SELECT id FROM modules WHERE course_id = ${course} ORDER BY position`).split('\n');
	const m2title = sql(`SELECT title FROM modules WHERE id = ${m2}`);
	const lesson = sql(`SELECT id FROM lessons WHERE module_id = ${m1} ORDER BY position LIMIT 1`);
	const owner = sql(`SELECT author_id FROM courses WHERE id = ${course}`);
	const onModule = sql(`INSERT INTO assessments (owner_id, title, module_id) VALUES (${owner}, 'Module <two> review', ${m2}) RETURNING id`).split('\n')[0];
	const onLesson = sql(`INSERT INTO assessments (owner_id, title, lesson_id) VALUES (${owner}, 'Lesson check', ${lesson}) RETURNING id`).split('\n')[0];
	try {
		const c = new Client();
		await registerUser(c);
		let r = await c.get(`/courses/${course}`);
		assert.equal(r.status, 200);
		const link = `<a href="/quizzes/${onModule}">Module &lt;two&gt; review</a>`;
		assert.ok(r.text.includes(link), 'the module quiz is linked, title escaped');
		// Inside module two's entry, not module one's.
		const items = r.text.split('<li class="module">');
		const esc = m2title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
		const holder = items.find((x) => x.includes(link));
		assert.ok(holder.includes(esc), 'listed under its own module');
		// A lesson's quiz stays on the lesson page, not in the syllabus.
		assert.doesNotMatch(r.text, new RegExp(`/quizzes/${onLesson}"`));
		const j = (await c.get(`/api/v1/courses/${course}`)).json();
		assert.deepEqual(j.modules.find((m) => String(m.id) === m2).quizzes, [{ id: Number(onModule), title: 'Module <two> review' }]);
		assert.deepEqual(j.modules.find((m) => String(m.id) === m1).quizzes, []);
		// Enrolled, the learner follows the link to the quiz.
		const csrf = r.text.match(/name="csrf" value="([^"]+)"/)[1];
		assert.equal((await c.post(`/courses/${course}/enroll`, { csrf })).status, 303);
		r = await c.get(`/quizzes/${onModule}`);
		assert.equal(r.status, 200);
		assert.match(r.text, /Module &lt;two&gt; review/);
	} finally {
		sql(`DELETE FROM assessments WHERE id IN (${onLesson}, ${onModule})`);
	}
});
