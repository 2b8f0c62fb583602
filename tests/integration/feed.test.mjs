// The micro-learning feed (issue 6): cards for an enrolled learner with
// the reason each is there (short lessons only, locked ones left out, due
// reviews first); in-place true/false questions with no right answer on
// the page; an answer recorded (review, response time, rollups, learner
// model) once even when submitted twice; immediate feedback and the next
// card without JavaScript; bad input refused with nothing written;
// another learner's answers are their own; achievements awarded once.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { Client, cli, sql } from './lib.mjs';

const PW = 'feed password 1';
let teacher, L1, L2, L3;	// { c, tok, id }
let skillA, skillB, course, other, lessons = {}, qs = {};

async function account(role) {
	const email = `feed-${role}-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}@example.org`;
	const out = cli(['user', 'add', '--email', email, '--password', PW, '--name', `Feed ${role}`, '--role', role]);
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
const one = (q) => Number(sql(q).split('\n')[0]);
const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

async function question(body, skill = skillA) {
	const r = await api(teacher, '/api/v1/bank/questions', { difficulty: 5, skills: String(skill), ...body });
	assert.equal(r.status, 201, r.text);
	return r.json();
}

function mkCourse(title, author, level = 'beginner') {
	return one(`INSERT INTO courses (author_id, title, level, status, published_at) VALUES (${author}, '${title}', '${level}', 'published', now()) RETURNING id`);
}

function mkLesson(mod, pos, title, kind, minutes, skill) {
	const id = one(`INSERT INTO lessons (module_id, position, title, kind, estimated_minutes) VALUES (${mod}, ${pos}, '${title}', '${kind}', ${minutes}) RETURNING id`);
	sql(`INSERT INTO lesson_skills VALUES (${id}, ${skill})`);
	return id;
}

const card = (feed, lesson) => feed.cards.find((c) => c.lesson_id === lesson);
// Everything an answer writes for a learner.
const written = (who) => sql(`SELECT (SELECT count(*) FROM feed_answers WHERE user_id = ${who.id}),
	(SELECT count(*) FROM review_log WHERE user_id = ${who.id}),
	(SELECT COALESCE(sum(answers), 0) FROM learner_daily WHERE user_id = ${who.id}),
	(SELECT COALESCE(sum(n), 0) FROM learner_skill_state WHERE user_id = ${who.id})`);

before(async () => {
	teacher = await account('instructor');
	L1 = await account('learner');
	L2 = await account('learner');
	L3 = await account('learner');
	const tag = `${process.pid}-${Date.now()}`;
	skillA = one(`INSERT INTO skills (name) VALUES ('Feed fractions ${tag}') RETURNING id`);
	skillB = one(`INSERT INTO skills (name) VALUES ('Feed decimals ${tag}') RETURNING id`);
	course = mkCourse(`Feed course ${tag}`, teacher.id);
	sql(`INSERT INTO course_skills VALUES (${course}, ${skillA}, 6), (${course}, ${skillB}, 6)`);
	const mod = one(`INSERT INTO modules (course_id, position, title) VALUES (${course}, 1, 'Basics') RETURNING id`);
	lessons.intro = mkLesson(mod, 1, 'Halves and quarters', 'text', 5, skillA);
	lessons.video = mkLesson(mod, 2, 'Decimals on video', 'video', 30, skillB);
	lessons.long = mkLesson(mod, 3, 'The long read', 'text', 60, skillA);
	sql(`INSERT INTO lesson_prereqs VALUES (${lessons.video}, ${lessons.intro})`);
	qs.t1 = await question({ kind: 'truefalse', stem: 'One half is two quarters.', correct: 1, explanation: 'SECRET-EXPLANATION: 2/4 = 1/2.', feedback_1: 'Well spotted.' });
	qs.t2 = await question({ kind: 'truefalse', stem: 'One third is bigger than one half.', correct: 2, explanation: 'Thirds are smaller.' });
	qs.t3 = await question({ kind: 'truefalse', stem: 'A quarter is 0.25.', correct: 1 });
	qs.t4 = await question({ kind: 'truefalse', stem: 'A fifth is 0.3.', correct: 2 });
	qs.single = await question({ kind: 'single', stem: 'Which is a half?', option_1: '2/4', option_2: '1/3', correct: 1 });
	qs.tb = await question({ kind: 'truefalse', stem: '0.5 equals 1/2.', correct: 1 }, skillB);
	// A course by someone else the learners do not follow.
	const stranger = await account('instructor');
	other = mkCourse(`Other course ${tag}`, stranger.id);
	const om = one(`INSERT INTO modules (course_id, position, title) VALUES (${other}, 1, 'M') RETURNING id`);
	mkLesson(om, 1, 'Elsewhere', 'text', 5, skillA);
	for (const who of [L1, L2])
		sql(`INSERT INTO enrollments (user_id, course_id) VALUES (${who.id}, ${course})`);
});

test('an enrolled learner gets short, unlocked lessons ranked with reasons and true/false questions without answers', async () => {
	const r = await api(L1, '/api/v1/feed');
	assert.equal(r.status, 200, r.text);
	const f = r.json();
	const c = card(f, lessons.intro);
	assert.ok(c, r.text);
	assert.equal(c.why, 'ready');
	assert.match(c.reason, /Ready to learn next: its prerequisites are done and you are 6 levels below your target\./);
	assert.equal(c.url, `/courses/${course}/lessons/${lessons.intro}`);
	assert.equal(card(f, lessons.long), undefined, 'an hour-long lesson is not a feed card');
	assert.equal(card(f, lessons.video), undefined, 'a lesson whose prerequisite is not done is left out');
	assert.equal(f.cards.filter((x) => x.course_id === other).length, 0);
	// Up to three questions, true/false only, due or new.
	assert.equal(c.questions.length, 3);
	const ids = c.questions.map((q) => q.id);
	assert.deepEqual(ids, [qs.t1.id, qs.t2.id, qs.t3.id]);
	assert.ok(!ids.includes(qs.single.id));
	assert.deepEqual(c.questions[0].options.map((o) => o.text), ['True', 'False']);
	assert.doesNotMatch(r.text, /"correct"|is_correct|SECRET-EXPLANATION|Well spotted|"feedback"/);
	assert.equal(f.current_streak, 0);
	assert.deepEqual(f.achievements, []);
	// The page: a form per question posting the words, with the time shown.
	const page = await L1.c.get('/feed');
	assert.equal(page.status, 200);
	assert.match(page.text, /Why this card:<\/strong> Ready to learn next/);
	assert.match(page.text, new RegExp(`action="/feed/questions/${qs.t1.id}#feed-top"`));
	assert.match(page.text, /name="shown" value="\d{13}"/);
	assert.match(page.text, /<button type="submit" name="answer" value="true">True<\/button>/);
	assert.doesNotMatch(page.text, /SECRET-EXPLANATION|Well spotted/);
	// A learner in no course: an empty feed, not an error.
	const empty = await L3.c.get('/feed');
	assert.equal(empty.status, 200);
	assert.match(empty.text, /Nothing in your feed yet/);
});

test('an answer is scored, timed and recorded once even when submitted twice', async () => {
	const f = (await api(L1, '/api/v1/feed')).json();
	await sleep(300);
	const url = `/api/v1/feed/questions/${qs.t1.id}`;
	const rs = await Promise.all([1, 2, 3].map(() => api(L1, url, { answer: 'true', shown: f.shown })));
	assert.ok(rs.every((x) => x.status === 200), rs.map((x) => x.text).join('\n'));
	assert.equal(rs.filter((x) => !x.json().duplicate).length, 1);
	const a = rs[0].json();
	assert.equal(a.correct, true);
	assert.equal(a.right_answer, true);
	assert.equal(a.feedback, 'Well spotted.');
	assert.match(a.explanation, /SECRET-EXPLANATION/);
	assert.ok(a.response_ms >= 250 && a.response_ms < 60000, String(a.response_ms));
	assert.ok(rs.every((x) => x.json().response_ms === a.response_ms));
	assert.equal(written(L1), '1|1|1|1');
	assert.equal(sql(`SELECT correct, response_ms >= 250 FROM feed_answers WHERE user_id = ${L1.id} AND question_id = ${qs.t1.id}`), 't|t');
	assert.equal(sql(`SELECT l.idem, l.correct, l.response_ms = ${a.response_ms}, c.reps FROM review_log l JOIN review_cards c ON c.id = l.card_id
		WHERE l.user_id = ${L1.id} AND c.question_id = ${qs.t1.id}`), `feed:${f.shown}|t|t|1`);
	assert.equal(sql(`SELECT locked FROM question_versions WHERE id = ${qs.t1.version_id}`), 't');
	// The same card later (a retry): still once.
	const again = await api(L1, url, { answer: 'false', shown: f.shown });
	assert.equal(again.status, 200);
	assert.equal(again.json().duplicate, true);
	assert.equal(again.json().correct, true, 'the first answer stands');
	// Another page shown before that answer is stale: refused, not counted.
	const stale = await api(L1, url, { answer: 'true', shown: f.shown - 1000 });
	assert.equal(stale.status, 409, stale.text);
	assert.equal(written(L1), '1|1|1|1');
	// The answered question is not due, so it leaves the card.
	const next = (await api(L1, '/api/v1/feed')).json();
	assert.deepEqual(card(next, lessons.intro).questions.map((q) => q.id), [qs.t2.id, qs.t3.id, qs.t4.id]);
});

test('without JavaScript: the form answers in place with immediate feedback and the next card', async () => {
	const page = await L1.c.get('/feed');
	const csrf = page.text.match(/name="csrf" value="([^"]+)"/)[1];
	const shown = page.text.match(/name="shown" value="(\d+)"/)[1];
	const r = await L1.c.post(`/feed/questions/${qs.t2.id}`, { csrf, shown, answer: 'true' });
	assert.equal(r.status, 200, r.text);
	assert.match(r.text, /Not quite — the answer is false\./);
	assert.match(r.text, /Thirds are smaller\./);
	assert.match(r.text, /Answered in \d+\.\d s\. The next card is below\./);
	assert.doesNotMatch(r.text, new RegExp(`action="/feed/questions/${qs.t2.id}#`));
	assert.match(r.text, new RegExp(`action="/feed/questions/${qs.t3.id}#`));
	assert.equal(written(L1), '2|2|2|2');
	assert.equal(sql(`SELECT correct FROM feed_answers WHERE user_id = ${L1.id} AND question_id = ${qs.t2.id}`), 'f');
	// A double click on the same form: counted once.
	const dup = await L1.c.post(`/feed/questions/${qs.t2.id}`, { csrf, shown, answer: 'true' });
	assert.equal(dup.status, 200);
	assert.match(dup.text, /already recorded: it counted once/);
	assert.equal(written(L1), '2|2|2|2');
	// Without the CSRF token: refused.
	const forged = await L1.c.post(`/feed/questions/${qs.t3.id}`, { shown, answer: 'true' });
	assert.equal(forged.status, 403);
	assert.equal(written(L1), '2|2|2|2');
});

test('due reviews come first, with the count in the reason', async () => {
	sql(`UPDATE review_cards SET due = now() - interval '1 day' WHERE user_id = ${L1.id} AND question_id IN (${qs.t1.id}, ${qs.t2.id})`);
	const f = (await api(L1, '/api/v1/feed')).json();
	assert.equal(f.cards[0].lesson_id, lessons.intro);
	assert.equal(f.cards[0].why, 'due');
	assert.match(f.cards[0].reason, /^2 reviews are due on this lesson's skills/);
	assert.deepEqual(f.cards[0].questions.slice(0, 2).map((q) => q.id).sort(), [qs.t1.id, qs.t2.id].sort());
	// Completing the prerequisite unlocks the video (long, but a video).
	sql(`INSERT INTO lesson_progress (user_id, lesson_id, status, completed_at) VALUES (${L1.id}, ${lessons.intro}, 'completed', now())`);
	const g = (await api(L1, '/api/v1/feed')).json();
	const v = card(g, lessons.video);
	assert.ok(v, JSON.stringify(g.cards));
	assert.equal(v.why, 'ready');
	assert.deepEqual(v.questions.map((q) => q.id), [qs.tb.id]);
	assert.equal(card(g, lessons.intro).why, 'due');
});

test('bad input: unknown or unshown questions 404, malformed answers 400, nothing written', async () => {
	const before = written(L1);
	const shown = (await api(L1, '/api/v1/feed')).json().shown;
	let r = await api(L1, '/api/v1/feed/questions/999999999', { answer: 'true', shown });
	assert.equal(r.status, 404);
	assert.match(r.text, /not in your feed/);
	r = await api(L1, `/api/v1/feed/questions/${qs.single.id}`, { answer: String(qs.single.options[0].id), shown });
	assert.equal(r.status, 404, 'a single-choice question is never a feed question');
	r = await api(L3, `/api/v1/feed/questions/${qs.t3.id}`, { answer: 'true', shown });
	assert.equal(r.status, 404, 'not enrolled: never shown to this learner');
	r = await api(L1, `/api/v1/feed/questions/${qs.t3.id}`, { answer: 'maybe', shown });
	assert.equal(r.status, 400);
	assert.match(r.text, /Answer true or false/);
	r = await api(L1, `/api/v1/feed/questions/${qs.t3.id}`, { answer: String(qs.t1.options[0].id), shown });
	assert.equal(r.status, 400);
	assert.match(r.text, /not one of this question's options/);
	r = await api(L1, `/api/v1/feed/questions/${qs.t3.id}`, { shown });
	assert.equal(r.status, 400);
	assert.match(r.text, /Answer/);
	r = await api(L1, `/api/v1/feed/questions/${qs.t3.id}`, { answer: 'true' });
	assert.equal(r.status, 400);
	assert.match(r.text, /Shown/);
	r = await api(L1, `/api/v1/feed/questions/${qs.t3.id}`, { answer: 'true', shown: 'yesterday' });
	assert.equal(r.status, 400);
	r = await api(L1, `/api/v1/feed/questions/${qs.t3.id}`, { answer: 'true', shown: Date.now() + 3600e3 });
	assert.equal(r.status, 400);
	assert.match(r.text, /shown/);
	r = await api(L1, `/api/v1/feed/questions/${qs.t3.id}`, { answer: 'true', shown: Date.now() - 3 * 86400e3 });
	assert.equal(r.status, 400);
	// The page shows the message with a 400 and the feed.
	const page = await L1.c.get('/feed');
	const csrf = page.text.match(/name="csrf" value="([^"]+)"/)[1];
	r = await L1.c.post(`/feed/questions/${qs.t3.id}`, { csrf, shown: String(shown), answer: 'perhaps' });
	assert.equal(r.status, 400);
	assert.match(r.text, /Answer true or false/);
	assert.match(r.text, /Why this card/);
	r = await L1.c.post('/feed/questions/999999999', { csrf, shown: String(shown), answer: 'true' });
	assert.equal(r.status, 404);
	assert.equal(written(L1), before);
});

test("another learner's answer is their own and cannot be made for you", async () => {
	const before = written(L1);
	const f1 = (await api(L1, '/api/v1/feed')).json();
	// L2 replays L1's card (same question and shown): it is L2's answer.
	const r = await api(L2, `/api/v1/feed/questions/${qs.t3.id}`, { answer: 'true', shown: f1.shown });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json().duplicate, false);
	assert.equal(written(L2), '1|1|1|1');
	assert.equal(written(L1), before);
	// L1's own answer to that card still counts (keys are per learner).
	const mine = await api(L1, `/api/v1/feed/questions/${qs.t3.id}`, { answer: 'false', shown: f1.shown });
	assert.equal(mine.status, 200);
	assert.equal(mine.json().duplicate, false);
	assert.equal(mine.json().correct, false);
	assert.equal(n(`SELECT count(*) FROM feed_answers WHERE question_id = ${qs.t3.id}`), 2);
	// A cookie session without the CSRF token cannot post as L1.
	const forged = await L1.c.postJSON(`/api/v1/feed/questions/${qs.t4.id}`, { answer: 'true', shown: f1.shown });
	assert.equal(forged.status, 403);
});

test('streaks and achievements: first course, 7-day streak, mastery, each awarded once and listed with dates', async () => {
	// Six earlier days of study, plus today's answers: a 7-day streak.
	for (let d = 1; d <= 6; d++)
		sql(`INSERT INTO learner_sessions (user_id, started_at, last_at) VALUES (${L1.id}, now() - interval '${d} days', now() - interval '${d} days' + interval '10 minutes')`);
	sql(`INSERT INTO learner_skill_state (user_id, skill_id, p_known, level) VALUES (${L1.id}, ${skillB}, 0.97, 8)`);
	let f = (await api(L1, '/api/v1/feed')).json();
	assert.equal(f.current_streak, 7);
	assert.equal(f.longest_streak, 7);
	const codes = f.achievements.map((a) => a.code).sort();
	assert.deepEqual(codes, [`mastery:${skillB}`, 'streak_7'].sort());
	const m = f.achievements.find((a) => a.code === `mastery:${skillB}`);
	assert.match(m.title, /^Mastered Feed decimals/);
	assert.match(m.earned_on, /^\d{4}-\d{2}-\d{2}$/);
	// A completed course (L2): first_course, dated at the completion.
	sql(`UPDATE enrollments SET status = 'completed', completed_at = now() - interval '2 days' WHERE user_id = ${L2.id} AND course_id = ${course}`);
	const g = (await api(L2, '/api/v1/feed')).json();
	assert.deepEqual(g.achievements.map((a) => a.code), ['first_course']);
	assert.equal(n(`SELECT count(*) FROM achievements WHERE user_id = ${L2.id} AND earned_at < now() - interval '1 day'`), 1);
	// Once each, however often the feed is read or answered.
	await api(L1, '/api/v1/feed');
	await api(L2, '/api/v1/feed');
	const ans = await api(L1, `/api/v1/feed/questions/${qs.t4.id}`, { answer: 'false', shown: f.shown });
	assert.equal(ans.status, 200, ans.text);
	assert.equal(ans.json().new_achievements, 0);
	assert.equal(n(`SELECT count(*) FROM achievements WHERE user_id = ${L1.id}`), 2);
	assert.equal(n(`SELECT count(*) FROM achievements WHERE user_id = ${L2.id}`), 1);
	// The page lists them with the date earned and shows the streak.
	const page = await L1.c.get('/feed');
	assert.match(page.text, /<strong>7-day streak<\/strong>, earned <time datetime="\d{4}-\d{2}-\d{2}">/);
	assert.match(page.text, /<strong>7<\/strong> days in a row now/);
	// Mastery reached by answering is awarded in the answer's transaction.
	sql(`INSERT INTO learner_skill_state (user_id, skill_id, p_known, level) VALUES (${L1.id}, ${skillA}, 0.949, 5)
		ON CONFLICT (user_id, skill_id) DO UPDATE SET p_known = 0.949`);
	f = (await api(L1, '/api/v1/feed')).json();
	const q = f.cards.flatMap((c) => c.questions).find((x) => [qs.t1.id, qs.t2.id, qs.t3.id, qs.t4.id].includes(x.id));
	assert.ok(q, JSON.stringify(f.cards));
	const truth = { [qs.t1.id]: 'true', [qs.t2.id]: 'false', [qs.t3.id]: 'true', [qs.t4.id]: 'false' };
	const won = await api(L1, `/api/v1/feed/questions/${q.id}`, { answer: truth[q.id], shown: f.shown });
	assert.equal(won.status, 200, won.text);
	assert.equal(won.json().correct, true);
	assert.equal(won.json().new_achievements, 1);
	assert.equal(n(`SELECT count(*) FROM achievements WHERE user_id = ${L1.id} AND code = 'mastery:${skillA}'`), 1);
});
