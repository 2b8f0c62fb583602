// The adaptive loop (issue 6) through real nginx, the real worker and
// PostgreSQL: goals, learning paths (prerequisites first, reasons, totals,
// versions and comparison), recommendations with reasons and actions,
// struggle detection firing once on the answer that shows it, spaced review
// (FSRS-6 at the learner's retention, idempotent, daily limit), the
// analytics dashboard and its JSON twin, instructor insights, and the bad
// input of each.  A scripted learner plays a few simulated weeks: time is
// simulated by moving rows into the past with SQL (said where it happens).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { Client, cli, sql, uniqueEmail } from './lib.mjs';

const RUN = `${process.pid}${Date.now() % 100000}`;
const PW = 'adaptive pass 1';
const q = (s) => `'${String(s).replace(/'/g, "''")}'`;
const num = (s) => Number(sql(s));
const first = (s) => Number(sql(s).split('\n')[0]);
let T, T2, L, L2;	// { c, tok, id }
const ids = {};

async function account(role) {
	const email = uniqueEmail(`adapt-${role}`);
	const out = cli(['user', 'add', '--email', email, '--password', PW, '--name', `Adaptive ${role} ${RUN}`, '--role', role]);
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

function course(title, level, hours, lessons) {
	const id = first(`INSERT INTO courses (author_id, title, summary, level, estimated_hours, status, published_at)
		VALUES (${T.id}, ${q(title)}, 'About it.', ${q(level)}, ${hours}, 'published', now()) RETURNING id`);
	const mid = first(`INSERT INTO modules (course_id, position, title) VALUES (${id}, 1, 'Module 1') RETURNING id`);
	const ls = lessons.map((t, i) => first(`INSERT INTO lessons (module_id, position, title, body_md, estimated_minutes)
		VALUES (${mid}, ${i + 1}, ${q(t)}, 'Read this.', 10) RETURNING id`));
	return { id, mid, lessons: ls };
}

before(async () => {
	T = await account('instructor');
	T2 = await account('instructor');
	L = await account('learner');
	L2 = await account('learner');
	ids.sql = first(`INSERT INTO skills (name) VALUES (${q('Querying ' + RUN)}) RETURNING id`);
	ids.stats = first(`INSERT INTO skills (name) VALUES (${q('Statistics ' + RUN)}) RETURNING id`);
	ids.orphan = first(`INSERT INTO skills (name) VALUES (${q('Juggling ' + RUN)}) RETURNING id`);
	// Basics (beginner, sql to 5) <- Advanced (intermediate, sql to 8,
	// requires Basics); Stats (beginner, statistics to 6).
	ids.basics = course(`SQL basics ${RUN}`, 'beginner', 4, ['Select', 'Where', 'Group by']);
	ids.adv = course(`SQL in depth ${RUN}`, 'intermediate', 6, ['Joins', 'Windows']);
	ids.stat = course(`Statistics ${RUN}`, 'beginner', 3, ['Means']);
	sql(`INSERT INTO course_skills VALUES (${ids.basics.id}, ${ids.sql}, 5), (${ids.adv.id}, ${ids.sql}, 8), (${ids.stat.id}, ${ids.stats}, 6)`);
	sql(`INSERT INTO course_prereq_courses VALUES (${ids.adv.id}, ${ids.basics.id})`);
	sql(`INSERT INTO lesson_skills (lesson_id, skill_id) SELECT l, ${ids.sql} FROM unnest(ARRAY[${ids.basics.lessons}]::bigint[]) l`);
	// A quiz on the first lesson: three true/false questions on sql.
	ids.qs = [];
	for (const stem of ['SELECT reads rows.', 'WHERE sorts rows.', 'NULL equals NULL.']) {
		const r = await api(T, '/api/v1/bank/questions', { kind: 'truefalse', stem, difficulty: 4, correct: 1, skills: String(ids.sql), explanation: 'See the lesson.' });
		assert.equal(r.status, 201, r.text);
		ids.qs.push(r.json());
	}
	const qz = await api(T, '/api/v1/assessments', { title: `Check ${RUN}`, pass_mark: 60, lesson_id: ids.basics.lessons[0] });
	assert.equal(qz.status, 201, qz.text);
	ids.quiz = qz.json().id;
	for (const x of ids.qs) {
		const a = await api(T, `/api/v1/assessments/${ids.quiz}/questions`, { question_id: x.id });
		assert.equal(a.status, 200, a.text);
	}
});

test('a goal is saved whole, and bad targets change nothing', async () => {
	let r = await api(L, '/api/v1/goals');
	assert.equal(r.status, 200);
	assert.equal(r.json().set, false);
	r = await api(L, '/api/v1/goals', { hours_per_week: 5, retention: 90, daily_limit: 2, [`target_${ids.sql}`]: 7, [`target_${ids.stats}`]: 5, [`target_${ids.orphan}`]: 4 });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json().targets.length, 3);
	assert.equal(r.json().daily_limit, 2);
	const before = sql(`SELECT string_agg(skill_id || ':' || target_level, ',' ORDER BY skill_id) FROM learner_goal_skills WHERE user_id = ${L.id}`);
	for (const [body, status, msg] of [
		[{ target_999999999: 5 }, 404, /skill that does not exist/],
		[{ [`target_${ids.sql}`]: 11 }, 400, /whole number from 1 to 10/],
		[{ [`target_${ids.sql}`]: 'seven' }, 400, /whole number/],
		[{ deadline: '2001-01-01' }, 400, /past/],
		[{ deadline: '2027-02-30x' }, 400, /Deadline/],
		[{ deadline: '2027-13-01' }, 400, /date like/],
		[{ retention: 99 }, 400, /retention/i],
		[{ hours_per_week: 0 }, 400, /Hours a week/],
	]) {
		r = await api(L, '/api/v1/goals', body);
		assert.equal(r.status, status, `${JSON.stringify(body)}: ${r.text}`);
		assert.match(r.text, msg);
	}
	assert.equal(sql(`SELECT string_agg(skill_id || ':' || target_level, ',' ORDER BY skill_id) FROM learner_goal_skills WHERE user_id = ${L.id}`), before);
	// The HTML form shows the error beside the field.
	const tok = await L.c.csrf('/goals');
	r = await L.c.post('/goals', { csrf: tok, deadline: '1999-12-31', hours_per_week: '5', retention: '90', daily_limit: '50' });
	assert.equal(r.status, 400);
	assert.match(r.text, /Deadline is in the past/);
});

test('a learning path puts prerequisites first, says why, skips what is met and names the gaps', async () => {
	let r = await api(L2, '/api/v1/ai/generate-learning-path', {});
	assert.equal(r.status, 409, 'no goal yet');
	assert.match(r.text, /Set a goal first/);
	r = await api(L, '/api/v1/ai/generate-learning-path', {});
	assert.equal(r.status, 201, r.text);
	const p = r.json();
	assert.equal(p.version, 1);
	const order = p.steps.map((s) => s.course_id);
	assert.deepEqual(order.filter((c) => c === ids.basics.id || c === ids.adv.id), [ids.basics.id, ids.adv.id], 'Basics before In depth');
	assert.ok(order.includes(ids.stat.id));
	const basics = p.steps.find((s) => s.course_id === ids.basics.id);
	assert.equal(basics.reason_code, 'prereq_course');
	assert.match(basics.reason, new RegExp(`prerequisite of SQL in depth ${RUN}`));
	const adv = p.steps.find((s) => s.course_id === ids.adv.id);
	assert.match(adv.reason, new RegExp(`builds Querying ${RUN} 0→8`));
	assert.equal(p.total_hours, 13);
	assert.equal(p.weeks, 3, '13 hours at 5 a week');
	assert.equal(p.remaining_gaps.length, 1);
	const html = await L.c.get('/path');
	assert.match(html.text, new RegExp(`no course teaches Juggling ${RUN}`), 'the gap is on the page');
	assert.equal(p.remaining_gaps[0].skill_id, ids.orphan);
	assert.match(p.remaining_gaps[0].text, new RegExp(`Juggling ${RUN}`));
	// The learner completes Basics: the next version skips it with a note
	// and records what changed.
	sql(`INSERT INTO enrollments (user_id, course_id, status, completed_at) VALUES (${L.id}, ${ids.basics.id}, 'completed', now())`);
	r = await api(L, '/api/v1/ai/generate-learning-path', {});
	assert.equal(r.status, 201, r.text);
	const p2 = r.json();
	assert.equal(p2.version, 2);
	assert.ok(!p2.steps.some((s) => s.course_id === ids.basics.id));
	assert.ok(p2.notes.some((n) => n.kind === 'skipped' && /already completed/.test(n.text)), JSON.stringify(p2.notes));
	assert.ok(p2.notes.some((n) => n.kind === 'removed' && n.course_id === ids.basics.id));
	// Version 1 is kept and can be read and compared.
	r = await api(L, '/api/v1/ai/learning-path?version=1');
	assert.equal(r.status, 200);
	assert.equal(r.json().steps.length, 3);
	r = await L.c.get('/path?version=2&compare=1');
	assert.equal(r.status, 200);
	assert.match(r.text, /Removed: SQL basics/);
	assert.equal((await api(L, '/api/v1/ai/learning-path?version=99')).status, 404);
	assert.equal((await api(L2, '/api/v1/ai/learning-path')).status, 404, "another learner's path is not visible");
	// Not completed after all: generating again brings it back (v3).
	sql(`DELETE FROM enrollments WHERE user_id = ${L.id} AND course_id = ${ids.basics.id}`);
	r = await api(L, '/api/v1/ai/generate-learning-path', {});
	assert.equal(r.json().version, 3);
	assert.ok(r.json().notes.some((n) => n.kind === 'added' && n.course_id === ids.basics.id));
});

test('a prerequisite cycle is refused with a clear message', async () => {
	const a = course(`Cycle A ${RUN}`, 'beginner', 1, ['x']);
	const b = course(`Cycle B ${RUN}`, 'beginner', 1, ['y']);
	const sk = first(`INSERT INTO skills (name) VALUES (${q('Loops ' + RUN)}) RETURNING id`);
	sql(`INSERT INTO course_skills VALUES (${a.id}, ${sk}, 6); INSERT INTO course_prereq_courses VALUES (${a.id}, ${b.id}), (${b.id}, ${a.id})`);
	assert.equal((await api(L2, '/api/v1/goals', { [`target_${sk}`]: 6 })).status, 200);
	const r = await api(L2, '/api/v1/ai/generate-learning-path', {});
	assert.equal(r.status, 422, r.text);
	assert.match(r.text, /require each other in a circle/);
	assert.equal(num(`SELECT count(*) FROM learning_paths WHERE user_id = ${L2.id}`), 0);
	sql(`UPDATE courses SET status = 'draft' WHERE id IN (${a.id}, ${b.id})`);
});

test('every worker\'s copy of the catalogue follows changes: a rename, a dropped prerequisite, an unpublished course', async () => {
	// Several generations, so that each worker process has planned (and
	// kept the catalogue) before it changes and again after.
	const gen = async (n) => {
		const out = [];
		for (let i = 0; i < n; i++) {
			const r = await api(L, '/api/v1/ai/generate-learning-path', {});
			assert.equal(r.status, 201, r.text);
			out.push(r.json());
		}
		return out;
	};
	for (const p of await gen(4))
		assert.match(p.steps.find((s) => s.course_id === ids.basics.id).reason, new RegExp(`prerequisite of SQL in depth ${RUN}`));
	sql(`UPDATE courses SET title = ${q('SQL deeper ' + RUN)} WHERE id = ${ids.adv.id}`);
	for (const p of await gen(4))
		assert.match(p.steps.find((s) => s.course_id === ids.basics.id).reason, new RegExp(`prerequisite of SQL deeper ${RUN}`));
	sql(`DELETE FROM course_prereq_courses WHERE course_id = ${ids.adv.id}`);
	for (const p of await gen(4))
		assert.ok(!p.steps.some((s) => s.reason_code === 'prereq_course'), JSON.stringify(p.steps));
	sql(`UPDATE courses SET status = 'draft' WHERE id = ${ids.stat.id}`);
	for (const p of await gen(4))
		assert.ok(!p.steps.some((s) => s.course_id === ids.stat.id), JSON.stringify(p.steps));
	// As it was, for the tests below.
	sql(`UPDATE courses SET status = 'published' WHERE id = ${ids.stat.id}`);
	sql(`UPDATE courses SET title = ${q('SQL in depth ' + RUN)} WHERE id = ${ids.adv.id}`);
	sql(`INSERT INTO course_prereq_courses VALUES (${ids.adv.id}, ${ids.basics.id})`);
	for (const p of await gen(2))
		assert.ok(p.steps.some((s) => s.course_id === ids.stat.id) && p.steps.some((s) => s.reason_code === 'prereq_course'), JSON.stringify(p.steps));
});

test('recommendations: next lesson of the path, with reason, actions recorded once', async () => {
	const tok = await L.c.csrf(`/courses/${ids.basics.id}`);
	assert.equal((await L.c.post(`/courses/${ids.basics.id}/enroll`, { csrf: tok })).status, 303);
	let r = await api(L, `/api/v1/lessons/${ids.basics.lessons[0]}/progress`, { completed: true, seconds: 300 });
	assert.equal(r.status, 200, r.text);
	assert.equal(num(`SELECT lessons_completed FROM learner_daily WHERE user_id = ${L.id}`), 1, 'the rollup counted the lesson');
	r = await api(L, '/api/v1/ai/recommendations');
	assert.equal(r.status, 200, r.text);
	const recs = r.json().recommendations;
	const next = recs.find((x) => x.kind === 'next_lesson');
	assert.ok(next, JSON.stringify(recs));
	assert.equal(next.lesson_id, ids.basics.lessons[1]);
	assert.match(next.reason, /next in your path/);
	assert.ok(next.model_version);
	assert.equal(typeof next.inputs, 'object');
	assert.ok(recs.some((x) => x.featured));
	// Another learner cannot act on it; bad actions are refused.
	assert.equal((await api(L2, `/api/v1/ai/recommendations/${next.id}/action`, { action: 'accept' })).status, 404);
	assert.equal((await api(L, `/api/v1/ai/recommendations/${next.id}/action`, { action: 'maybe' })).status, 400);
	r = await api(L, `/api/v1/ai/recommendations/${next.id}/action`, { action: 'accept' });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json().status, 'accepted');
	assert.equal((await api(L, `/api/v1/ai/recommendations/${next.id}/action`, { action: 'dismiss' })).status, 409);
	assert.equal(num(`SELECT count(*) FROM recommendation_actions WHERE recommendation_id = ${next.id}`), 1);
	// Completing the lesson is the later success that rewards the bandit.
	const alpha = Number(sql(`SELECT alpha FROM recommendation_bandit WHERE kind = 'next_lesson'`));
	r = await api(L, `/api/v1/lessons/${ids.basics.lessons[1]}/progress`, { completed: true });
	assert.equal(r.status, 200);
	assert.equal((await api(L, '/api/v1/ai/recommendations')).status, 200);
	assert.equal(sql(`SELECT succeeded FROM recommendations WHERE id = ${next.id}`), 't');
	assert.ok(Number(sql(`SELECT alpha FROM recommendation_bandit WHERE kind = 'next_lesson'`)) >= alpha + 1 - 1e-9);
});

test('struggle detection fires once, on the third wrong answer in a row', async () => {
	const start = await api(L, `/api/v1/assessments/${ids.quiz}/attempts`, {});
	assert.ok(start.status === 201 || start.status === 200, start.text);
	const a = start.json();
	const countStruggles = () => num(`SELECT count(*) FROM recommendations WHERE user_id = ${L.id} AND kind = 'struggling'`);
	const before = countStruggles();
	for (let i = 0; i < a.items.length; i++) {
		const it = a.items[i];
		const wrong = it.options.find((o) => /false/i.test(o.text)) || it.options[1];
		const r = await api(L, `/api/v1/attempts/${a.id}/answers/${it.question_id}`, { option: wrong.id });
		assert.equal(r.status, 200, r.text);
		assert.equal(countStruggles(), before + (i >= 2 ? 1 : 0), `after answer ${i + 1}`);
	}
	const s = sql(`SELECT reason FROM recommendations WHERE user_id = ${L.id} AND kind = 'struggling' ORDER BY id DESC LIMIT 1`);
	assert.match(s, new RegExp(`3 wrong answers in a row on Querying ${RUN}`));
	assert.equal(num(`SELECT count(*) FROM notifications WHERE user_id = ${L.id} AND kind = 'recommendation'`), 1);
	// Every answer became a review card, reviewed once (rated Again).
	assert.equal(num(`SELECT count(*) FROM review_cards WHERE user_id = ${L.id} AND question_id IS NOT NULL`), 3);
	assert.equal(num(`SELECT count(*) FROM review_log WHERE user_id = ${L.id} AND rating = 1 AND inferred`), 3);
	assert.equal((await api(L, `/api/v1/attempts/${a.id}/submit`, {})).status, 200);
	assert.equal(num(`SELECT quizzes FROM learner_daily WHERE user_id = ${L.id}`), 1);
});

test('spaced review: due cards, FSRS rating, a double submit counts once, the daily limit holds', async () => {
	// Simulated time: the cards fell due a day ago.
	sql(`UPDATE review_cards SET due = now() - interval '1 day', last_review = now() - interval '2 days' WHERE user_id = ${L.id}`);
	// Realistic item times (the quiz above answered in milliseconds):
	// 20 s on average, so 4 s is fast.
	sql(`UPDATE item_stat_shards SET sum_ms = attempts * 20000 WHERE version_id IN (${ids.qs.map((x) => x.version_id)})`);
	let r = await api(L, '/api/v1/review/due');
	assert.equal(r.status, 200, r.text);
	let d = r.json();
	assert.equal(d.due, 3);
	assert.equal(d.daily_limit, 2);
	assert.equal(d.desired_retention, 0.9);
	assert.ok(d.next && d.next.kind === 'question');
	assert.doesNotMatch(r.text, /"correct"/, 'no right answer before the answer');
	const card = d.next;
	const right = card.options.find((o) => /true/i.test(o.text)) || card.options[0];
	// Two identical submissions at once (same "seen"): one review.
	const rs = await Promise.all([1, 2].map(() => api(L, `/api/v1/review/${card.id}`, { option: right.id, seen: card.seen, response_ms: 4000 })));
	assert.ok(rs.every((x) => x.status === 200), rs.map((x) => x.text).join('\n'));
	assert.equal(rs.filter((x) => x.json().duplicate).length, 1);
	const done = rs.find((x) => !x.json().duplicate).json();
	assert.equal(done.correct, true);
	assert.equal(done.inferred, true);
	assert.equal(done.rating, 'easy', 'right in 4 s');
	assert.ok(done.interval_days >= 1);
	assert.equal(num(`SELECT count(*) FROM review_log WHERE card_id = ${card.id} AND NOT inferred OR card_id = ${card.id} AND idem LIKE 'seen:%'`), 1);
	assert.ok(num(`SELECT extract(epoch FROM due - now()) FROM review_cards WHERE id = ${card.id}`) > 3600);
	// A stale page: the card was reviewed since.
	r = await api(L, `/api/v1/review/${card.id}`, { rating: 'good', seen: card.seen + 5 });
	assert.equal(r.status, 409);
	// Bad input: unknown rating, another learner's card.
	r = await api(L, '/api/v1/review/due');
	d = r.json();
	assert.equal((await api(L, `/api/v1/review/${d.next.id}`, { rating: 'perfect' })).status, 400);
	assert.equal((await api(L2, `/api/v1/review/${d.next.id}`, { rating: 'good' })).status, 404);
	// Explicit rating on the second card: the limit of 2 is then reached.
	r = await api(L, `/api/v1/review/${d.next.id}`, { rating: 'hard', seen: d.next.seen });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json().inferred, false);
	r = await api(L, '/api/v1/review/due');
	assert.equal(r.json().reviewed_today, 2);
	assert.equal(r.json().next, null, 'daily limit reached');
	const page = await L.c.get('/review');
	assert.equal(page.status, 200);
	assert.match(page.text, /reached today's limit of 2/);
	assert.match(page.text, /Cards due in the next 14 days/);
	assert.equal(num(`SELECT reviews FROM learner_daily WHERE user_id = ${L.id}`), 2);
});

test('flashcards: written by the author only, given to learners who complete the lesson, reviewed by rating', async () => {
	const lesson = ids.basics.lessons[2];
	let r = await api(T, `/api/v1/teach/lessons/${lesson}/flashcards`, { front: 'GROUP BY <b>does</b>?', back: 'Groups rows that share values.' });
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json().flashcards.length, 1);
	const card = r.json().flashcards[0].id;
	assert.equal((await api(T2, `/api/v1/teach/lessons/${lesson}/flashcards`, { front: 'x', back: 'y' })).status, 404);
	assert.equal((await api(T, `/api/v1/teach/lessons/${lesson}/flashcards`, { front: '', back: 'y' })).status, 400);
	assert.equal((await api(T2, `/api/v1/teach/flashcards/${card}/delete`, {})).status, 404);
	const page = await T.c.get(`/teach/lessons/${lesson}`);
	assert.match(page.text, /GROUP BY &lt;b&gt;does&lt;\/b&gt;\?/, 'escaped on the teach page');
	// Completing the lesson gives the learner the card, due now.
	r = await api(L2, `/api/v1/learning/enrollments`, { course_id: ids.basics.id });
	assert.ok(r.status === 201 || r.status === 200, r.text);
	r = await api(L2, `/api/v1/lessons/${lesson}/progress`, { completed: true });
	assert.equal(r.status, 200, r.text);
	r = await api(L2, '/api/v1/review/due');
	const next = r.json().next;
	assert.equal(next.kind, 'flashcard');
	assert.match(next.front, /GROUP BY/);
	assert.equal((await api(L2, `/api/v1/review/${next.id}`, { seen: next.seen })).status, 400, 'a flashcard needs a rating');
	r = await api(L2, `/api/v1/review/${next.id}`, { rating: 'good', seen: next.seen });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json().rating, 'good');
	assert.equal(num(`SELECT reps FROM review_cards WHERE id = ${next.id}`), 1);
	// The HTML review page works without JavaScript: the back is in a
	// <details>, the rating buttons post a form.
	sql(`UPDATE review_cards SET due = now() - interval '1 minute' WHERE id = ${next.id}`);
	const html = await L2.c.get('/review');
	assert.match(html.text, /<details>\s*<summary>Show the answer<\/summary>/);
	assert.match(html.text, /name="rating" value="easy"/);
});

test('the dashboard reads the rollups: summary, streak, trend, pictures with text alternatives', async () => {
	// Simulated weeks: study sessions on the 6 days before today.
	sql(`INSERT INTO learner_sessions (user_id, started_at, last_at)
		SELECT ${L.id}, now() - (d || ' days')::interval, now() - (d || ' days')::interval + interval '20 minutes'
		FROM generate_series(1, 6) d`);
	let r = await api(L, '/api/v1/ai/dashboard');
	assert.equal(r.status, 200, r.text);
	const d = r.json();
	assert.equal(d.performance_summary.lessons_completed, 2);
	assert.equal(d.performance_summary.current_streak, 7, 'six past days and today');
	assert.equal(d.performance_summary.avg_quiz_score, 0);
	assert.ok(['stable', 'improving', 'declining'].includes(d.performance_summary.performance_trend));
	assert.ok(d.ai_insights.personalized_message.length > 10);
	assert.match(d.ai_insights.personalized_message, /7-day streak/);
	assert.ok(d.struggling_topics.some((t) => t.skill === `Querying ${RUN}`) || d.ai_insights.areas_for_improvement.length > 0, r.text);
	assert.equal(d.review_forecast.length, 14);
	assert.ok(Array.isArray(d.recommendations));
	const page = await L.c.get('/dashboard');
	assert.equal(page.status, 200);
	for (const id of ['trend', 'mastery', 'calendar', 'forecast'])
		assert.match(page.text, new RegExp(`<svg[^>]*aria-labelledby="${id}-t ${id}-d"`), id);
	assert.match(page.text, /Scores as a table/);
	assert.match(page.text, /What to do next/);
	assert.match(page.text, /Get unstuck on Querying/);
});

test('the weekly adjustment adds revision after a poor week, as a new path version with its reasons', async () => {
	const v = num(`SELECT max(version) FROM learning_paths WHERE user_id = ${L.id}`);
	const job = sql(`INSERT INTO jobs (kind, payload) VALUES ('path_adjust', '{"user_id": ${L.id}}') RETURNING id`).split('\n')[0];
	const w = cli(['worker', '--once']);
	assert.equal(w.status, 0, w.stderr);
	assert.equal(sql(`SELECT state FROM jobs WHERE id = ${job}`), 'done');
	const r = await api(L, '/api/v1/ai/learning-path');
	assert.equal(r.status, 200, r.text);
	const p = r.json();
	assert.equal(p.version, v + 1);
	assert.equal(p.reason, 'weekly adjustment');
	const rev = p.steps.find((s) => s.kind === 'revision');
	assert.ok(rev, r.text);
	assert.equal(rev.skill_id, ids.sql);
	assert.match(rev.reason, new RegExp(`below 60 %.*revision of Querying ${RUN}`));
	assert.ok(p.notes.some((n) => n.kind === 'adjusted'), JSON.stringify(p.notes));
	// Nothing changes twice: the newest version is now fresh, so the
	// weekly run (no user named) skips this learner.
	sql(`INSERT INTO jobs (kind) VALUES ('path_adjust')`);
	assert.equal(cli(['worker', '--once']).status, 0);
	assert.equal(num(`SELECT max(version) FROM learning_paths WHERE user_id = ${L.id}`), v + 1);
});

test('instructor insights: funnel, at-risk learners with their factors, only for the course author', async () => {
	// Simulated time: L enrolled three weeks ago and went quiet 10 days ago.
	sql(`UPDATE enrollments SET enrolled_at = now() - interval '21 days' WHERE user_id = ${L.id} AND course_id = ${ids.basics.id}`);
	sql(`UPDATE lesson_progress SET last_seen_at = now() - interval '10 days', started_at = now() - interval '20 days' WHERE user_id = ${L.id}`);
	sql(`UPDATE attempts SET submitted_at = now() - interval '10 days' WHERE user_id = ${L.id}`);
	let r = await api(T, `/api/v1/teach/courses/${ids.basics.id}/insights`);
	assert.equal(r.status, 200, r.text);
	const x = r.json();
	assert.deepEqual(x.funnel, { enrolled: 2, started: 2, half: 1, completed: 0 });
	const risk = x.at_risk.find((a) => a.user_id === L.id);
	assert.ok(risk, r.text);
	const texts = risk.factors.map((f) => f.text).join('; ');
	assert.match(texts, /inactive for 10 days/);
	assert.match(texts, /quiz average 0 %/);
	assert.match(texts, /open struggle signal/);
	assert.equal((await api(T2, `/api/v1/teach/courses/${ids.basics.id}/insights`)).status, 404);
	assert.equal((await api(L, `/api/v1/teach/courses/${ids.basics.id}/insights`)).status, 403);
	const page = await T.c.get(`/teach/courses/${ids.basics.id}/insights`);
	assert.equal(page.status, 200);
	assert.match(page.text, /Why at risk/);
});

// Last: its learner's enrolment would change the insights' funnel above.
test('the cached dashboard: one per learner, CSRF per session, retired by answers, lessons, actions and refreshes', async () => {
	const M = await account('learner');
	const M2 = new Client();	// the same learner signed in elsewhere
	assert.equal((await M2.submit('/login', { email: sql(`SELECT email FROM users WHERE id = ${M.id}`), password: PW })).status, 303);
	const tok = await M.c.csrf(`/courses/${ids.basics.id}`);
	assert.equal((await M.c.post(`/courses/${ids.basics.id}/enroll`, { csrf: tok })).status, 303);
	const recForms = (html) => [...html.matchAll(/action="\/recommendations\/(\d+)\/action"><input type="hidden" name="csrf" value="([^"]+)">/g)]
		.map((m) => ({ id: Number(m[1]), csrf: m[2] }));
	const signOutCsrf = (html) => html.match(/name="csrf" value="([^"]+)"/g).pop().match(/value="([^"]+)"/)[1];
	let p1 = (await M.c.get('/dashboard')).text;
	assert.match(p1, /Continue with Select/);
	const f1 = recForms(p1);
	assert.ok(f1.length > 0, p1);
	// A second session gets the same cached list with its own token.
	const p2 = (await M2.get('/dashboard')).text;
	const f2 = recForms(p2);
	assert.deepEqual(f2.map((f) => f.id), f1.map((f) => f.id));
	assert.notEqual(f2[0].csrf, f1[0].csrf);
	for (const f of f1)
		assert.equal(f.csrf, signOutCsrf(p1));
	for (const f of f2)
		assert.equal(f.csrf, signOutCsrf(p2));
	assert.doesNotMatch(p1 + p2, /&lt;csrf&gt;|"<csrf>"/);
	// A dashboard that finds nothing new writes nothing.
	const rows = () => sql(`SELECT d.xmin::text || '/' || s.xmin::text FROM dashboard_cache d
		JOIN learner_rec_state s USING (user_id) WHERE user_id = ${M.id}`);
	const before = rows();
	assert.equal((await M.c.get('/dashboard')).status, 200);
	assert.equal((await api(M, '/api/v1/ai/dashboard')).status, 200);
	assert.equal(rows(), before);
	// Accepting from the other session's form: the next dashboard no
	// longer offers it.
	const next = f2.find((f) => new RegExp(`/recommendations/${f.id}/action[^]*?Continue with Select`).test(p2)) || f2[0];
	assert.equal((await M2.post(`/recommendations/${next.id}/action`, { csrf: next.csrf, action: 'accept' })).status, 303);
	p1 = (await M.c.get('/dashboard')).text;
	assert.ok(!recForms(p1).some((f) => f.id === next.id), 'the accepted recommendation is gone');
	// Completing a lesson shows at once in the summary.
	let d = (await api(M, '/api/v1/ai/dashboard')).json();
	assert.equal(d.performance_summary.lessons_completed, 0);
	assert.equal((await api(M, `/api/v1/lessons/${ids.basics.lessons[0]}/progress`, { completed: true })).status, 200);
	d = (await api(M, '/api/v1/ai/dashboard')).json();
	assert.equal(d.performance_summary.lessons_completed, 1);
	// Three wrong answers: the struggle recommendation is on the next
	// dashboard and its JSON twin, not a minute later.
	assert.doesNotMatch((await M.c.get('/dashboard')).text, /Get unstuck on/);
	const a = (await api(M, `/api/v1/assessments/${ids.quiz}/attempts`, {})).json();
	for (const it of a.items) {
		const wrong = it.options.find((o) => /false/i.test(o.text)) || it.options[1];
		assert.equal((await api(M, `/api/v1/attempts/${a.id}/answers/${it.question_id}`, { option: wrong.id })).status, 200);
	}
	assert.match((await M.c.get('/dashboard')).text, new RegExp(`Get unstuck on Querying ${RUN}`));
	d = (await api(M, '/api/v1/ai/dashboard')).json();
	assert.ok(d.recommendations.some((x) => x.kind === 'struggling'), JSON.stringify(d.recommendations));
	// Recommendations refreshed by another request (simulated time: the
	// last refresh five minutes ago) retire the cached row too.
	const same = () => sql(`SELECT d.gen = s.gen FROM dashboard_cache d JOIN learner_rec_state s USING (user_id) WHERE user_id = ${M.id}`);
	assert.equal(same(), 't');
	sql(`UPDATE learner_rec_state SET refreshed_at = now() - interval '301 seconds' WHERE user_id = ${M.id}`);
	assert.equal((await api(M, '/api/v1/ai/recommendations')).status, 200);
	assert.equal(same(), 'f');
	assert.equal((await M.c.get('/dashboard')).status, 200);
	assert.equal(same(), 't');
});

test('a worker uses its copy of a cached dashboard only while the row is that version, whoever rewrites it, and its page only for the same name', async () => {
	const M = await account('learner');
	const tok = await M.c.csrf(`/courses/${ids.basics.id}`);
	assert.equal((await M.c.post(`/courses/${ids.basics.id}/enroll`, { csrf: tok })).status, 303);
	const text = `Rewritten ${RUN}`;
	// Sequential requests are spread over the workers and their threads:
	// after these, each holds the row's parts.
	const pages = async () => {
		const out = [];
		for (let i = 0; i < 12; i++) {
			out.push((await M.c.get('/dashboard')).text);
			out.push((await api(M, '/api/v1/ai/dashboard')).json().ai_insights.personalized_message);
		}
		return out;
	};
	for (const p of await pages())
		assert.doesNotMatch(p, new RegExp(text));
	const ver = () => sql(`SELECT ver FROM dashboard_cache WHERE user_id = ${M.id}`);
	const v1 = ver();
	// Another writer (psql here) rewrites the still current row: it
	// takes a new version, and every worker serves the new text at once.
	sql(`UPDATE dashboard_cache SET computed_at = now(), message = ${q(text)},
		api_json = regexp_replace(api_json, '"personalized_message":"[^"]*"', ${q(`"personalized_message":"${text}"`)})
		WHERE user_id = ${M.id}`);
	assert.notEqual(ver(), v1);
	for (const p of await pages())
		assert.match(p, new RegExp(text));
	const v2 = ver();
	// The page body kept beside the copy is for one name: a renamed
	// learner is greeted by the new name at once, the row unchanged.
	sql(`UPDATE users SET full_name = ${q(`Renamed ${RUN}`)} WHERE id = ${M.id}`);
	for (const p of await pages())
		if (p.startsWith('<!DOCTYPE'))
			assert.match(p, new RegExp(`Signed in as <strong>Renamed ${RUN}</strong>`));
	assert.equal(ver(), v2);
	// Copies are per learner: another learner's dashboard is their own.
	assert.doesNotMatch((await L2.c.get('/dashboard')).text, new RegExp(text));
	assert.doesNotMatch((await api(L2, '/api/v1/ai/dashboard')).text, new RegExp(text));
});
