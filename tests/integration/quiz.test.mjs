// Assessments (issue 5, quiz): quizzes, attempts through the JSON twins and
// the pages (no JavaScript), idempotent answers, the learner model updated
// once per answer, submit exactly once, time limits, attempts allowed,
// random draws, bad input (forged options, non-numbers, questions not in
// the attempt, another learner's attempt), the diagnostic CAT, the skill
// profile and the item analytics.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { Client, cli, sql, uniqueEmail, registerUser } from './lib.mjs';

const PW = 'quiz password 1';
let teacher, other, L1, L2;	// { c, tok, id }
let skill, skill2, quizId, qs = {};

async function account(role) {
	const email = uniqueEmail(`quiz-${role}`);
	const out = cli(['user', 'add', '--email', email, '--password', PW, '--name', `Quiz ${role}`, '--role', role]);
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
const n = (q) => Number(sql(q));

async function question(body) {
	const r = await api(teacher, '/api/v1/bank/questions', { difficulty: 5, skills: String(skill), ...body });
	assert.equal(r.status, 201, r.text);
	return r.json();
}

async function newQuiz(extra = {}, questions = Object.values(qs)) {
	const r = await api(teacher, '/api/v1/assessments', { title: `Quiz ${Date.now()}`, pass_mark: 50, ...extra });
	assert.equal(r.status, 201, r.text);
	const id = r.json().id;
	for (const q of questions) {
		const a = await api(teacher, `/api/v1/assessments/${id}/questions`, { question_id: q.id });
		assert.equal(a.status, 200, a.text);
	}
	return id;
}

const opt = (q, text) => q.options.find((o) => o.text === text).id;

before(async () => {
	teacher = await account('instructor');
	other = await account('instructor');
	L1 = await account('learner');
	L2 = await account('learner');
	const tag = `${process.pid}-${Date.now()}`;
	skill = Number(sql(`INSERT INTO skills (name) VALUES ('Quiz arithmetic ${tag}') RETURNING id`).split('\n')[0]);
	skill2 = Number(sql(`INSERT INTO skills (name) VALUES ('Quiz geometry ${tag}') RETURNING id`).split('\n')[0]);
	qs.single = await question({ kind: 'single', stem: '2 + 2 = ?', option_1: '3', option_2: '4', feedback_1: 'Count again.', correct: 2, explanation: 'Two and two make four.' });
	qs.multi = await question({ kind: 'multiple', stem: 'Even numbers?', option_1: '2', option_2: '3', option_3: '8', correct_1: true, correct_3: true });
	qs.num = await question({ kind: 'numeric', stem: 'Pi to two places?', value_1: 3.14, tolerance_1: 0.005, correct_1: true });
	qs.short = await question({ kind: 'short', stem: 'Capital of France?', option_1: 'Paris' });
	qs.order = await question({ kind: 'ordering', stem: 'Smallest first', option_1: 'one', option_2: 'two', option_3: 'three' });
	quizId = await newQuiz();
});

test('a learner starts once; a second start returns the open attempt; no right answer is sent', async () => {
	const r = await api(L1, `/api/v1/assessments/${quizId}/attempts`, {});
	assert.equal(r.status, 201, r.text);
	const a = r.json();
	assert.equal(a.status, 'open');
	assert.equal(a.items.length, 5);
	assert.doesNotMatch(r.text, /"correct"|"feedback"|explanation|Two and two/);
	// The start describes the new attempt without reading it back: what
	// it says must be what the attempt reads as afterwards.
	const { created, ...fresh } = a;
	assert.equal(created, true);
	assert.deepEqual(fresh, (await api(L1, `/api/v1/attempts/${a.id}`)).json());
	const again = await api(L1, `/api/v1/assessments/${quizId}/attempts`, {});
	assert.equal(again.status, 200);
	assert.equal(again.json().id, a.id);
	assert.equal(again.json().created, false);
	assert.deepEqual({ ...again.json(), created: true }, a);
	assert.equal(n(`SELECT count(*) FROM attempts WHERE assessment_id = ${quizId} AND user_id = ${L1.id}`), 1);
	// Concurrent starts by another learner: still one attempt.
	const rs = await Promise.all([1, 2, 3, 4, 5].map(() => api(L2, `/api/v1/assessments/${quizId}/attempts`, {})));
	assert.equal(new Set(rs.map((x) => x.json().id)).size, 1);
	assert.equal(n(`SELECT count(*) FROM attempts WHERE assessment_id = ${quizId} AND user_id = ${L2.id}`), 1);
});

test('an item keeps a version of its own question, a response its item\'s version', async () => {
	// Migration 039's keys: the rows the answer path writes cannot point
	// at a version they did not show.
	const aid = sql(`SELECT id FROM attempts WHERE assessment_id = ${quizId} AND user_id = ${L2.id}`);
	const items = sql(`SELECT seq, question_id, version_id FROM attempt_items WHERE attempt_id = ${aid} ORDER BY seq`)
		.split('\n').map((l) => l.split('|').map(Number));
	const [[seq1, , v1], [, , v2]] = items;
	const q = (await question({ kind: 'truefalse', stem: 'Not in that quiz.', correct: 1 })).id;
	sql(`UPDATE questions SET archived_at = now() WHERE id = ${q}`);	// out of later draws
	const v = sql(`SELECT id FROM question_versions WHERE question_id = ${q}`);
	const response = (v) => `BEGIN; INSERT INTO responses (attempt_id, seq, version_id, answer, correct, response_ms)
		VALUES (${aid}, ${seq1}, ${v}, 'x', false, 1); ROLLBACK;`;
	assert.doesNotThrow(() => sql(response(v1)));
	assert.throws(() => sql(response(v2)), /responses_item_fkey/);
	const item = (ver) => `BEGIN; INSERT INTO attempt_items (attempt_id, seq, question_id, version_id)
		VALUES (${aid}, 99, ${q}, ${ver}); ROLLBACK;`;
	assert.doesNotThrow(() => sql(item(v)));
	assert.throws(() => sql(item(v1)), /attempt_items_version_fkey/);
	assert.equal(n(`SELECT count(*) FROM responses WHERE attempt_id = ${aid}`), 0);
});

test('bad answers are refused with clear messages and change nothing', async () => {
	const a = (await api(L1, `/api/v1/assessments/${quizId}/attempts`, {})).json();
	const before = n(`SELECT count(*) FROM responses WHERE attempt_id = ${a.id}`);
	let r = await api(L1, `/api/v1/attempts/${a.id}/answers/${qs.single.id}`, { option: qs.multi.options[0].id });
	assert.equal(r.status, 400);
	assert.match(r.text, /not one of this question's options/);
	r = await api(L1, `/api/v1/attempts/${a.id}/answers/${qs.single.id}`, { option: '12abc' });
	assert.equal(r.status, 400);
	r = await api(L1, `/api/v1/attempts/${a.id}/answers/${qs.num.id}`, { value: 'three point one four' });
	assert.equal(r.status, 400);
	assert.match(r.text, /must be a number/);
	r = await api(L1, `/api/v1/attempts/${a.id}/answers/${qs.multi.id}`, { options: `${qs.multi.options[0].id},999999999` });
	assert.equal(r.status, 400);
	r = await api(L1, `/api/v1/attempts/${a.id}/answers/${qs.order.id}`, { order: `${qs.order.options[0].id},${qs.order.options[0].id},${qs.order.options[1].id}` });
	assert.equal(r.status, 400);
	const stray = await question({ kind: 'truefalse', stem: 'Not in the quiz', correct: 1 });
	r = await api(L1, `/api/v1/attempts/${a.id}/answers/${stray.id}`, { option: stray.options[0].id });
	assert.equal(r.status, 404);
	assert.match(r.text, /not part of this attempt/);
	// Another learner's attempt: 404 for reading and answering.
	assert.equal((await api(L2, `/api/v1/attempts/${a.id}`)).status, 404);
	r = await api(L2, `/api/v1/attempts/${a.id}/answers/${qs.single.id}`, { option: opt(qs.single, '4') });
	assert.equal(r.status, 404);
	assert.equal((await api(L2, `/api/v1/attempts/${a.id}/submit`, {})).status, 404);
	assert.equal(n(`SELECT count(*) FROM responses WHERE attempt_id = ${a.id}`), before);
	assert.equal(n(`SELECT count(*) FROM item_stats WHERE version_id = ${qs.single.version_id}`), 0);
	assert.equal(sql(`SELECT locked FROM question_versions WHERE id = ${qs.single.version_id}`), 'f');
});

test('answers are saved once, scored, lock the version and update the learner model once', async () => {
	const a = (await api(L1, `/api/v1/assessments/${quizId}/attempts`, {})).json();
	const url = `/api/v1/attempts/${a.id}/answers/${qs.single.id}`;
	// A double click: five identical answers at once, then a changed one.
	const rs = await Promise.all([1, 2, 3, 4, 5].map(() => api(L1, url, { option: opt(qs.single, '4') })));
	assert.ok(rs.every((x) => x.status === 200), rs.map((x) => x.text).join('\n'));
	assert.equal(rs.filter((x) => !x.json().duplicate).length, 1);
	const late = await api(L1, url, { option: opt(qs.single, '3') });
	assert.equal(late.status, 200);
	assert.equal(late.json().duplicate, true);
	assert.equal(late.json().correct, true, 'the first answer stands');
	assert.equal(n(`SELECT count(*) FROM responses WHERE attempt_id = ${a.id}`), 1);
	assert.equal(sql(`SELECT attempts || '/' || correct FROM item_stats WHERE version_id = ${qs.single.version_id}`), '1/1');
	assert.equal(sql(`SELECT locked FROM question_versions WHERE id = ${qs.single.version_id}`), 't');
	assert.equal(n(`SELECT n FROM learner_skill_state WHERE user_id = ${L1.id} AND skill_id = ${skill}`), 1);
	assert.equal(n(`SELECT n FROM learner_ability WHERE user_id = ${L1.id}`), 1);
	const pk = Number(sql(`SELECT p_known FROM learner_skill_state WHERE user_id = ${L1.id} AND skill_id = ${skill}`));
	assert.ok(pk > 0.3, `BKT mastery rose after a right answer (${pk})`);
	assert.ok(n(`SELECT (skill_levels ->> '${skill}')::int FROM learner_profiles WHERE user_id = ${L1.id}`) >= 1);
	assert.ok(n(`SELECT response_ms FROM responses WHERE attempt_id = ${a.id}`) >= 0);

	let r = await api(L1, `/api/v1/attempts/${a.id}/answers/${qs.multi.id}`, { options: `${opt(qs.multi, '2')},${opt(qs.multi, '8')}` });
	assert.equal(r.json().correct, true, r.text);
	r = await api(L1, `/api/v1/attempts/${a.id}/answers/${qs.num.id}`, { value: '3,141' });
	assert.equal(r.json().correct, true, r.text);
	r = await api(L1, `/api/v1/attempts/${a.id}/answers/${qs.short.id}`, { text: '  paris ' });
	assert.equal(r.json().correct, true, r.text);
	const o = qs.order.options.map((x) => x.id);
	r = await api(L1, `/api/v1/attempts/${a.id}/answers/${qs.order.id}`, { order: `${o[1]},${o[0]},${o[2]}` });
	assert.equal(r.json().correct, false, r.text);
	assert.equal(n(`SELECT n FROM learner_skill_state WHERE user_id = ${L1.id} AND skill_id = ${skill}`), 5);

	const view = (await api(L1, `/api/v1/attempts/${a.id}`)).json();
	assert.equal(view.answered, 5);
	assert.ok(!('explanation' in view.items[0]), 'no explanation before the submit');

	const s = await api(L1, `/api/v1/attempts/${a.id}/submit`, {});
	assert.equal(s.status, 200, s.text);
	assert.equal(s.json().score, 80);
	assert.equal(s.json().passed, true);
	assert.equal(s.json().items[0].explanation, 'Two and two make four.');
	const again = await api(L1, `/api/v1/attempts/${a.id}/submit`, {});
	assert.equal(again.status, 409);
	r = await api(L1, `/api/v1/attempts/${a.id}/answers/${qs.order.id}`, { order: o.join(',') });
	assert.equal(r.status, 409);
	assert.match(r.text, /submitted/);
	// A new attempt after the submit is a new one.
	const next = await api(L1, `/api/v1/assessments/${quizId}/attempts`, {});
	assert.equal(next.status, 201);
	assert.notEqual(next.json().id, a.id);
});

test('the item statistics count concurrent answers from many learners exactly once each', async () => {
	// Six learners answer the same question at the same moment, each twice
	// (a double click): the statistics (per-connection shards summed by the
	// item_stats view) hold six answers, the right ones and their times.
	const q = await question({ kind: 'single', stem: 'Shared item: 1 + 1 = ?', option_1: '2', option_2: '3', correct: 1 });
	const quiz = await newQuiz({}, [q]);
	const ls = await Promise.all([1, 2, 3, 4, 5, 6].map(() => account('learner')));
	const as = await Promise.all(ls.map((l) => api(l, `/api/v1/assessments/${quiz}/attempts`, {})));
	const rs = await Promise.all(ls.flatMap((l, i) => [0, 1].map(() => api(l, `/api/v1/attempts/${as[i].json().id}/answers/${q.id}`,
		{ option: opt(q, i % 3 ? '2' : '3') }))));
	assert.ok(rs.every((x) => x.status === 200), rs.map((x) => x.text).join('\n'));
	assert.equal(rs.filter((x) => x.json().saved && !x.json().duplicate).length, 6);
	const v = q.version_id;
	assert.equal(sql(`SELECT attempts || '/' || correct || '/' || sum_ms FROM item_stats WHERE version_id = ${v}`),
		sql(`SELECT count(*) || '/' || count(*) FILTER (WHERE correct) || '/' || sum(response_ms) FROM responses WHERE version_id = ${v}`));
	assert.equal(n(`SELECT attempts FROM item_stats WHERE version_id = ${v}`), 6);
	assert.equal(n(`SELECT correct FROM item_stats WHERE version_id = ${v}`), 4);
	assert.ok(n(`SELECT count(*) FROM item_stat_shards WHERE version_id = ${v}`) >= 1);
});

test('one learner answering a question in two quizzes at once gets one review card reviewed twice', async () => {
	// The first answer makes the card already reviewed; a concurrent one
	// finds it made and reviews it as an existing card.
	const q = await question({ kind: 'truefalse', stem: 'Shared card: the sky is blue', correct: 1 });
	const [qa, qb] = [await newQuiz({}, [q]), await newQuiz({}, [q])];
	const l = await account('learner');
	const [a, b] = await Promise.all([qa, qb].map((z) => api(l, `/api/v1/assessments/${z}/attempts`, {})));
	const rs = await Promise.all([a, b].map((x) => api(l, `/api/v1/attempts/${x.json().id}/answers/${q.id}`, { option: q.options[0].id })));
	assert.ok(rs.every((x) => x.status === 200 && x.json().saved), rs.map((x) => x.text).join('\n'));
	assert.equal(n(`SELECT count(*) FROM review_cards WHERE user_id = ${l.id} AND question_id = ${q.id}`), 1);
	assert.equal(n(`SELECT count(*) FROM review_log g JOIN review_cards c ON c.id = g.card_id WHERE c.user_id = ${l.id} AND c.question_id = ${q.id}`), 2);
	assert.equal(n(`SELECT reps FROM review_cards WHERE user_id = ${l.id} AND question_id = ${q.id}`), 2);
});

test('concurrent submits: exactly one succeeds', async () => {
	const id = await newQuiz({}, [qs.single]);
	const a = (await api(L2, `/api/v1/assessments/${id}/attempts`, {})).json();
	await api(L2, `/api/v1/attempts/${a.id}/answers/${qs.single.id}`, { option: opt(qs.single, '3') });
	const rs = await Promise.all([1, 2, 3, 4].map(() => api(L2, `/api/v1/attempts/${a.id}/submit`, {})));
	assert.deepEqual(rs.map((x) => x.status).sort(), [200, 409, 409, 409]);
	const ok = rs.find((x) => x.status === 200).json();
	assert.equal(ok.score, 0);
	assert.equal(ok.passed, false);
});

test('time limit: answers past it are refused; a late submit is labelled and scored on time', async () => {
	const id = await newQuiz({ time_limit_minutes: 10 }, [qs.single, qs.short]);
	const a = (await api(L1, `/api/v1/assessments/${id}/attempts`, {})).json();
	assert.ok(a.deadline > Date.now() / 1000 + 500);
	const { created, ...fresh } = a;
	assert.deepEqual(fresh, (await api(L1, `/api/v1/attempts/${a.id}`)).json());
	let r = await api(L1, `/api/v1/attempts/${a.id}/answers/${qs.single.id}`, { option: opt(qs.single, '4') });
	assert.equal(r.status, 200);
	sql(`UPDATE attempts SET deadline = now() - interval '1 minute' WHERE id = ${a.id}`);
	r = await api(L1, `/api/v1/attempts/${a.id}/answers/${qs.short.id}`, { text: 'Paris' });
	assert.equal(r.status, 409);
	assert.match(r.text, /time limit has passed/);
	assert.equal(n(`SELECT count(*) FROM responses WHERE attempt_id = ${a.id}`), 1);
	const s = await api(L1, `/api/v1/attempts/${a.id}/submit`, {});
	assert.equal(s.status, 200, s.text);
	assert.equal(s.json().late, true);
	assert.equal(s.json().score, 50);
});

test('attempts allowed, random draws, empty quizzes', async () => {
	const id = await newQuiz({ attempts_allowed: 1 }, [qs.single]);
	const a = (await api(L1, `/api/v1/assessments/${id}/attempts`, {})).json();
	assert.equal((await api(L1, `/api/v1/attempts/${a.id}/submit`, {})).status, 200);
	const r = await api(L1, `/api/v1/assessments/${id}/attempts`, {});
	assert.equal(r.status, 409);
	assert.match(r.text, /every attempt/);

	const rid = await newQuiz({ mode: 'random', skill_id: skill, draw_count: 2, draw_min: 1, draw_max: 10 }, []);
	const d = (await api(L2, `/api/v1/assessments/${rid}/attempts`, {})).json();
	assert.equal(d.items.length, 2);
	assert.equal(new Set(d.items.map((x) => x.question_id)).size, 2);

	const empty = await newQuiz({}, []);
	const e = await api(L2, `/api/v1/assessments/${empty}/attempts`, {});
	assert.equal(e.status, 409);
	assert.equal(n(`SELECT count(*) FROM attempts WHERE assessment_id = ${empty}`), 0);
	assert.equal((await api(L2, '/api/v1/assessments/999999999/attempts', {})).status, 404);
});

test('quiz creation: bad input, roles and ownership', async () => {
	let r = await api(teacher, '/api/v1/assessments', { title: '' });
	assert.equal(r.status, 400);
	r = await api(teacher, '/api/v1/assessments', { title: 'x', draw_min: 8, draw_max: 2 });
	assert.equal(r.status, 400);
	r = await api(teacher, '/api/v1/assessments', { title: 'x', pass_mark: 140 });
	assert.equal(r.status, 400);
	assert.equal((await api(L1, '/api/v1/assessments', { title: 'x' })).status, 403);
	r = await api(other, `/api/v1/assessments/${quizId}/questions`, { question_id: qs.single.id });
	assert.equal(r.status, 404);
	// Another instructor's question cannot be added to one's own quiz.
	const mine = (await api(other, '/api/v1/assessments', { title: 'Other quiz' })).json().id;
	r = await api(other, `/api/v1/assessments/${mine}/questions`, { question_id: qs.single.id });
	assert.equal(r.status, 400);
	assert.equal((await api(other, `/api/v1/assessments/${quizId}/items`)).status, 404);
	assert.equal((await L1.c.get(`/teach/quizzes/${quizId}`)).status, 403);
});

test('a quiz attached to a lesson is for that course\'s learners only', async () => {
	const course = (await api(teacher, '/api/v1/courses', { title: `Quiz course ${Date.now()}` })).json().id;
	const mod = (await api(teacher, `/api/v1/courses/${course}/modules`, { title: 'M' })).json().id;
	const lesson = (await api(teacher, `/api/v1/modules/${mod}/lessons`, { title: 'L' })).json().id;
	assert.ok(course && mod && lesson);
	// Not the instructor's lesson: refused.
	let r = await api(other, '/api/v1/assessments', { title: 'x', lesson_id: lesson });
	assert.equal(r.status, 400);
	const id = await newQuiz({ lesson_id: lesson }, [qs.single]);
	assert.equal(Number(sql(`SELECT lesson_id FROM assessments WHERE id = ${id}`)), lesson);
	r = await api(L2, `/api/v1/assessments/${id}/attempts`, {});
	assert.equal(r.status, 404);
	assert.equal((await L2.c.get(`/quizzes/${id}`)).status, 404);
	assert.equal(n(`SELECT count(*) FROM attempts WHERE assessment_id = ${id}`), 0);
	sql(`INSERT INTO enrollments (user_id, course_id) VALUES (${L2.id}, ${course})`);
	r = await api(L2, `/api/v1/assessments/${id}/attempts`, {});
	assert.equal(r.status, 201, r.text);
	assert.equal((await L2.c.get(`/quizzes/${id}`)).status, 200);
});

test('pages without JavaScript: take a quiz one question per page, see the result', async () => {
	const id = await newQuiz({ per_page: 'question' }, [qs.single, qs.short, qs.order]);
	const reviewCourse = (await api(teacher, '/api/v1/courses', { title: `Review course ${Date.now()}` })).json().id;
	const rm = (await api(teacher, `/api/v1/courses/${reviewCourse}/modules`, { title: 'M' })).json().id;
	const reviewLesson = (await api(teacher, `/api/v1/modules/${rm}/lessons`, { title: 'Fractions, again' })).json().id;
	sql(`INSERT INTO lesson_skills (lesson_id, skill_id) VALUES (${reviewLesson}, ${skill})`);
	sql(`UPDATE courses SET status = 'published' WHERE id = ${reviewCourse}`);
	const c = L2.c;
	const intro = await c.get(`/quizzes/${id}`);
	assert.equal(intro.status, 200);
	const csrf = intro.text.match(/name="csrf" value="([^"]+)"/)[1];
	let r = await c.post(`/quizzes/${id}/start`, { csrf });
	assert.equal(r.status, 303);
	const loc = r.headers.get('location');
	assert.match(loc, /^\/attempts\/\d+$/);
	const aid = Number(loc.split('/')[2]);
	let page = await c.get(loc);
	assert.equal(page.status, 200);
	assert.match(page.text, /2 \+ 2/);
	assert.doesNotMatch(page.text, /Capital of France/, 'one question per page');
	assert.doesNotMatch(page.text, /Count again|right answer/i);
	r = await c.post(`${loc}/answers/${qs.single.id}`, { csrf, option: String(opt(qs.single, '4')) });
	assert.equal(r.status, 303);
	page = await c.get(loc);
	assert.match(page.text, /Capital of France/);
	// A bad answer shows the page again with the message.
	r = await c.post(`${loc}/answers/${qs.short.id}`, { csrf, text: '' });
	assert.equal(r.status, 400);
	assert.match(r.text, /Type an answer/);
	r = await c.post(`${loc}/answers/${qs.short.id}`, { csrf, text: 'Lyon' });
	assert.equal(r.status, 303);
	page = await c.get(loc);
	const o = qs.order.options.map((x) => x.id);
	assert.match(page.text, new RegExp(`name="rank_${o[0]}"`));
	r = await c.post(`${loc}/answers/${qs.order.id}`, { csrf, [`rank_${o[0]}`]: '1', [`rank_${o[1]}`]: '2', [`rank_${o[2]}`]: '3' });
	assert.equal(r.status, 303);
	r = await c.post(`${loc}/submit`, { csrf });
	assert.equal(r.status, 303);
	page = await c.get(loc);
	assert.match(page.text, /Score: <strong>67%<\/strong>/);
	assert.match(page.text, /Two and two make four/);
	assert.match(page.text, /What to review next/);
	// The short-text answer was wrong: its skill is weak (2 of 3), and a
	// published lesson teaching it is offered.
	assert.match(page.text, new RegExp(`<a href="/courses/${reviewCourse}/lessons/${reviewLesson}">Fractions, again</a>`));
	assert.equal(sql(`SELECT status FROM attempts WHERE id = ${aid}`), 'submitted');
	r = await c.post(`${loc}/submit`, { csrf });
	assert.equal(r.status, 409);
	// Another learner's attempt page: 404.
	assert.equal((await L1.c.get(loc)).status, 404);
});

test('pages without JavaScript: one page for the whole quiz, checkboxes for several answers', async () => {
	const id = await newQuiz({ per_page: 'quiz' }, [qs.multi, qs.num]);
	const c = L1.c;
	const csrf = await c.csrf(`/quizzes/${id}`);
	const loc = (await c.post(`/quizzes/${id}/start`, { csrf })).headers.get('location');
	let page = await c.get(loc);
	assert.match(page.text, /Even numbers/);
	assert.match(page.text, /Pi to two places/);
	const body = new URLSearchParams([['csrf', csrf], ['options', String(opt(qs.multi, '2'))], ['options', String(opt(qs.multi, '8'))]]);
	let r = await c.post(`${loc}/answers/${qs.multi.id}`, body.toString());
	assert.equal(r.status, 303, r.text);
	r = await c.post(`${loc}/answers/${qs.num.id}`, { csrf, value: 'pi' });
	assert.equal(r.status, 400);
	assert.match(r.text, /must be a number/);
	r = await c.post(`${loc}/answers/${qs.num.id}`, { csrf, value: '3.2' });
	assert.equal(r.status, 303);
	const aid = Number(loc.split('/')[2]);
	assert.equal(sql(`SELECT string_agg(correct::text, ',' ORDER BY seq) FROM responses WHERE attempt_id = ${aid}`), 'true,false');
	page = await c.get(loc);
	assert.match(page.text, /2 of 2 questions answered/);
	assert.match(page.text, /\(saved\)/);
});

test('diagnostic: adaptive test by skill ends with levels, gaps and an updated profile', async () => {
	for (let d = 1; d <= 10; d++)
		await question({ kind: 'truefalse', stem: `Geometry item ${d}`, difficulty: d, skills: String(skill2), correct: 1 });
	let r = await api(L1, '/api/v1/diagnostics', { skills: `${skill2}`, target: 9, max_items: 4 });
	assert.equal(r.status, 201, r.text);
	let d = r.json();
	const first = d.next.question_id;
	let answered = 0;
	while (d.status === 'open') {
		const a = (await api(L1, `/api/v1/attempts/${d.id}`)).json();
		const item = a.items.find((x) => !x.answered);
		assert.equal(item.question_id, d.next.question_id);
		assert.ok(!item.options.some((x) => 'correct' in x), 'no right answer before answering');
		assert.deepEqual(d.next.options, item.options);
		const t = d.next.options.find((x) => x.text === 'True').id;
		r = await api(L1, `/api/v1/diagnostics/${d.id}/answers/${item.question_id}`, { option: t });
		assert.equal(r.status, 200, r.text);
		d = r.json();
		answered++;
		assert.ok(answered <= 4);
	}
	assert.equal(answered, 4);
	assert.equal(d.skills.length, 1);
	assert.ok(d.skills[0].level >= 6, `all right: a high level (${d.skills[0].level})`);
	assert.equal(d.skills[0].target, 9);
	assert.equal(d.skills[0].gap, Math.max(0, 9 - d.skills[0].level));
	// The first item is the most informative at theta 0: difficulty 5 or 6.
	const fd = n(`SELECT v.difficulty FROM questions q JOIN question_versions v ON v.question_id = q.id WHERE q.id = ${first}`);
	assert.ok(fd === 5 || fd === 6, `first item difficulty ${fd}`);
	// Answering a finished diagnostic: 409.
	r = await api(L1, `/api/v1/diagnostics/${d.id}/answers/${first}`, { option: 1 });
	assert.equal(r.status, 409);
	const p = (await api(L1, '/api/v1/profile/skills')).json();
	const s = p.skills.find((x) => x.skill_id === skill2);
	assert.equal(s.level, d.skills[0].level);
	assert.equal(s.target, 9);
	assert.equal(n(`SELECT (skill_levels ->> '${skill2}')::int FROM learner_profiles WHERE user_id = ${L1.id}`), s.level);
	const page = await L1.c.get('/profile/skills');
	assert.equal(page.status, 200);
	assert.match(page.text, /Knowledge gaps/);
	// Bad diagnostic input.
	assert.equal((await api(L1, '/api/v1/diagnostics', { skills: '' })).status, 400);
	assert.equal((await api(L1, '/api/v1/diagnostics', { skills: 'abc' })).status, 400);
	assert.equal((await api(L1, '/api/v1/diagnostics', { skills: '999999999' })).status, 400);
	assert.equal((await api(L2, `/api/v1/diagnostics/${d.id}`)).status, 404);
});

test('item analytics: attempts, proportion right, distractors, flags', async () => {
	const r = await api(teacher, `/api/v1/assessments/${quizId}/items`);
	assert.equal(r.status, 200, r.text);
	const items = r.json().items;
	const single = items.find((x) => x.question_id === qs.single.id);
	assert.ok(single.attempts >= 1);
	assert.ok(single.p_correct >= 0 && single.p_correct <= 1);
	const four = single.options.find((x) => x.text === '4');
	assert.equal(four.chosen, single.correct);
	assert.equal(single.irt.calibrated, false);
	assert.ok(Math.abs(single.irt.b - (5 - 5.5) / 1.5) < 1e-6);
	const page = await teacher.c.get(`/teach/quizzes/${quizId}/items`);
	assert.equal(page.status, 200);
	assert.match(page.text, /Point-biserial/);
	const list = await teacher.c.get('/teach/quizzes');
	assert.equal(list.status, 200);
	// The form creates a quiz and the quiz page adds a question.
	let f = await teacher.c.submit('/teach/quizzes', { title: 'Form quiz', pass_mark: '70' });
	assert.equal(f.status, 303, f.text);
	const qurl = f.headers.get('location');
	f = await teacher.c.submit(qurl, { question_id: String(qs.single.id) });
	assert.equal(f.status, 303, f.text);
	f = await teacher.c.submit(qurl, { question_id: '999999999' });
	assert.equal(f.status, 400);
	assert.match(f.text, /No such question/);
});

test('PUT saves an answer as POST does, once per attempt and item; other methods get 405 with Allow', async () => {
	const L = await account('learner');
	const a = (await api(L, `/api/v1/assessments/${quizId}/attempts`, {})).json();
	const url = `/api/v1/attempts/${a.id}/answers/${qs.single.id}`;
	const put = (who, path, body, headers = {}) => new Client().req('PUT', path, { body: JSON.stringify(body), type: 'application/json', headers: { ...auth(who.tok), ...headers } });
	const stats = () => sql(`SELECT attempts FROM item_stats WHERE version_id = ${qs.single.version_id}`);
	const before = Number(stats());
	const rs = await Promise.all([1, 2, 3].map(() => put(L, url, { option: opt(qs.single, '4') })));
	assert.ok(rs.every((x) => x.status === 200), rs.map((x) => x.text).join('\n'));
	assert.equal(rs.filter((x) => !x.json().duplicate).length, 1);
	assert.ok(rs.every((x) => x.json().correct === true));
	// A retry by PUT or POST with another answer: the first one stands.
	let r = await put(L, url, { option: opt(qs.single, '3') });
	assert.equal(r.json().duplicate, true);
	r = await api(L, url, { option: opt(qs.single, '3') });
	assert.equal(r.json().duplicate, true);
	assert.equal(r.json().correct, true);
	assert.equal(n(`SELECT count(*) FROM responses WHERE attempt_id = ${a.id}`), 1);
	assert.equal(Number(stats()), before + 1);
	assert.equal(n(`SELECT n FROM learner_skill_state WHERE user_id = ${L.id} AND skill_id = ${skill}`), 1);
	// Bad input by PUT is refused as by POST.
	r = await put(L, `/api/v1/attempts/${a.id}/answers/${qs.num.id}`, { value: 'pi' });
	assert.equal(r.status, 400);
	r = await put(L2, `/api/v1/attempts/${a.id}/answers/${qs.num.id}`, { value: '3.14' });
	assert.equal(r.status, 404);

	// With the session cookie a PUT needs the CSRF token, as a POST does.
	const c = L.c, numUrl = `/api/v1/attempts/${a.id}/answers/${qs.num.id}`;
	r = await c.req('PUT', numUrl, { body: JSON.stringify({ value: '3.14' }), type: 'application/json' });
	assert.equal(r.status, 403);
	assert.match(r.text, /CSRF/);
	assert.equal(n(`SELECT count(*) FROM responses WHERE attempt_id = ${a.id}`), 1);
	const token = await c.csrf('/account');
	r = await c.req('PUT', numUrl, { body: JSON.stringify({ value: '3.14' }), type: 'application/json', headers: { 'x-csrf-token': token } });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json().correct, true);

	// Methods a path does not take: 405, with what it does take.
	const allow = async (method, path) => {
		const x = await new Client().req(method, path, { headers: auth(L.tok) });
		assert.equal(x.status, 405, `${method} ${path}`);
		return x.headers.get('allow');
	};
	assert.equal(await allow('GET', url), 'POST, PUT');
	assert.equal(await allow('PUT', `/api/v1/attempts/${a.id}/submit`), 'POST');
	assert.equal(await allow('PUT', `/attempts/${a.id}/answers/${qs.single.id}`), 'POST');
	assert.equal(await allow('DELETE', `/api/v1/attempts/${a.id}`), 'GET, HEAD');
	assert.equal(await allow('PUT', '/login'), 'GET, HEAD, POST');
});
