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
