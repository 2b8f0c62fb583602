// Regrade of typed questions (issue 5): a numeric, a short-text and an
// ordering question are published with a wrong key, answered in a quiz by
// two learners, fixed by the instructor (a new version, since answers
// lock the old one) and regraded.  Each time the answers flip as the fixed
// key says, the attempts' scores and pass flags follow, the learners'
// models (BKT mastery, Elo ability) move the right way, and a second
// regrade changes nothing.  Then the question page's regrade button:
// CSRF, what it did, owner only.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { Client, cli, sql, uniqueEmail } from './lib.mjs';

const PW = 'regrade password 1';
const TAG = `rg${process.pid}${Date.now()}`;
let T, other, skill, good;

async function account(role) {
	const email = uniqueEmail(`regrade-${role}`);
	const out = cli(['user', 'add', '--email', email, '--password', PW, '--name', `Regrade ${role}`, '--role', role]);
	assert.equal(out.status, 0, out.stderr);
	const t = await new Client().postJSON('/api/v1/auth/login', { email, password: PW });
	assert.equal(t.status, 200, t.text);
	return { email, tok: t.json().access_token, id: Number(out.stdout.trim()) };
}

const api = (who, path, body) => body === undefined
	? new Client().get(path, { headers: { authorization: `Bearer ${who.tok}` } })
	: new Client().postJSON(path, body, { authorization: `Bearer ${who.tok}` });

async function question(body) {
	const r = await api(T, '/api/v1/bank/questions', { difficulty: 5, skills: String(skill), ...body });
	assert.equal(r.status, 201, r.text);
	return r.json();
}

// A quiz of q and the plain question `good`; the learner answers q with
// answer (an API body) and good right, and submits.
async function take(L, quiz, q, answer) {
	const a = (await api(L, `/api/v1/assessments/${quiz}/attempts`, {})).json();
	let r = await api(L, `/api/v1/attempts/${a.id}/answers/${q.id}`, answer);
	assert.equal(r.status, 200, r.text);
	r = await api(L, `/api/v1/attempts/${a.id}/answers/${good.id}`, { option: good.options[1].id });
	assert.equal(r.status, 200, r.text);
	assert.equal((await api(L, `/api/v1/attempts/${a.id}/submit`, {})).status, 200);
	return a.id;
}

async function quizOf(q) {
	const r = await api(T, '/api/v1/assessments', { title: `Regrade ${TAG} ${q.id}`, pass_mark: 60 });
	assert.equal(r.status, 201, r.text);
	for (const x of [q, good])
		assert.equal((await api(T, `/api/v1/assessments/${r.json().id}/questions`, { question_id: x.id })).status, 200);
	return r.json().id;
}

const model = (u) => sql(`SELECT p_known || '|' || theta || '|' || n FROM learner_skill_state
	WHERE user_id = ${u} AND skill_id = ${skill}`).split('|').map(Number);
const ability = (u) => Number(sql(`SELECT theta FROM learner_ability WHERE user_id = ${u}`));
// The learner's level and mastery for the skill, as the profile API says.
const profile = async (L) => {
	const s = (await api(L, '/api/v1/profile/skills')).json().skills.find((x) => x.skill_id === skill);
	return { level: s.level, mastery: Math.round(s.mastery * 1e9) / 1e9, answers: s.answers };
};
const attempt = async (L, id) => {
	const j = (await api(L, `/api/v1/attempts/${id}`)).json();
	return [j.score, j.passed];
};
// Everything a regrade may touch, for "a regrade that changes nothing".
const state = (q, users) => sql(`SELECT string_agg(r.attempt_id || ':' || r.seq || ':' || r.correct, ',' ORDER BY r.attempt_id, r.seq)
	FROM responses r JOIN question_versions v ON v.id = r.version_id WHERE v.question_id = ${q}`)
	+ sql(`SELECT string_agg(id || ':' || score || ':' || passed, ',' ORDER BY id) FROM attempts WHERE user_id IN (${users})`)
	+ sql(`SELECT string_agg(user_id || ':' || skill_id || ':' || p_known || ':' || theta || ':' || n || ':' || level, ',' ORDER BY user_id, skill_id)
		FROM learner_skill_state WHERE user_id IN (${users})`)
	+ sql(`SELECT string_agg(user_id || ':' || theta || ':' || n, ',' ORDER BY user_id) FROM learner_ability WHERE user_id IN (${users})`)
	+ sql(`SELECT string_agg(user_id || ':' || skill_levels::text, ',' ORDER BY user_id) FROM learner_profiles WHERE user_id IN (${users})`);

before(async () => {
	T = await account('instructor');
	other = await account('instructor');
	skill = Number(sql(`INSERT INTO skills (name) VALUES ('Regrade typed ${TAG}') RETURNING id`).split('\n')[0]);
	good = await question({ kind: 'single', stem: '2 + 2 = ?', option_1: '3', option_2: '4', correct: 2 });
});

// The shared story: L1's answer was right but marked wrong, L2's wrong but
// marked right; after the fix and a regrade they swap.
async function story(q, answers, fix) {
	const L1 = await account('learner'), L2 = await account('learner');
	const quiz = await quizOf(q);
	const a1 = await take(L1, quiz, q, answers[0]);
	const a2 = await take(L2, quiz, q, answers[1]);
	assert.deepEqual(await attempt(L1, a1), [50, false]);
	assert.deepEqual(await attempt(L2, a2), [100, true]);
	const m1 = model(L1.id), m2 = model(L2.id), ab1 = ability(L1.id), ab2 = ability(L2.id);
	const prof1 = await profile(L1), prof2 = await profile(L2);
	assert.ok(prof1.level < prof2.level && prof1.mastery < prof2.mastery, `${JSON.stringify([prof1, prof2])}`);

	// A regrade before any fix changes nothing.
	const users = `${L1.id},${L2.id}`;
	let s = state(q.id, users);
	let r = await api(T, `/api/v1/bank/questions/${q.id}/regrade`, {});
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json().responses_changed, 0);
	assert.equal(r.json().attempts_rescored, 0);
	assert.equal(state(q.id, users), s);

	r = await api(T, `/api/v1/bank/questions/${q.id}`, { stem: q.stem, difficulty: 5, skills: String(skill), ...fix });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json().version, 2);
	r = await api(T, `/api/v1/bank/questions/${q.id}/regrade`, {});
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json().responses_changed, 2, r.text);
	assert.equal(r.json().attempts_rescored, 2);
	assert.equal(r.json().learners_replayed, 2);

	assert.deepEqual(await attempt(L1, a1), [100, true]);
	assert.deepEqual(await attempt(L2, a2), [50, false]);
	assert.equal(sql(`SELECT string_agg(correct::text, ',' ORDER BY attempt_id) FROM responses WHERE version_id = ${q.version_id}`), 'true,false');
	assert.equal(sql(`SELECT attempts || '/' || correct FROM item_stats WHERE version_id = ${q.version_id}`), '2/1');
	// The models are replayed: L1 now has (right, right) as L2 had.
	const n1 = model(L1.id), n2 = model(L2.id);
	assert.ok(n1[0] > m1[0] && n1[1] > m1[1], `L1 mastery/theta rose: ${m1} -> ${n1}`);
	assert.ok(n2[0] < m2[0] && n2[1] < m2[1], `L2 mastery/theta fell: ${m2} -> ${n2}`);
	assert.equal(n1[2], 2);
	n1.forEach((x, i) => assert.ok(Math.abs(x - m2[i]) < 1e-9, `L1 ${n1} vs L2 before ${m2}`));
	assert.ok(Math.abs(ability(L1.id) - ab2) < 1e-9 && Math.abs(ability(L2.id) - ab1) < 1e-9);
	// The profile the learners see follows: L1's is now L2's before.
	assert.deepEqual(await profile(L1), prof2);
	assert.deepEqual(await profile(L2), prof1);

	// A second regrade changes nothing.
	s = state(q.id, users);
	r = await api(T, `/api/v1/bank/questions/${q.id}/regrade`, {});
	assert.equal(r.json().responses_changed, 0);
	assert.equal(r.json().attempts_rescored, 0);
	assert.equal(state(q.id, users), s);
	return { L1, L2, a1, a2 };
}

test('numeric: a fixed value and tolerance re-score the typed numbers', async () => {
	// Published as 9.7 +- 0: "9,81" (right) was marked wrong, "9.7" right.
	const q = await question({ kind: 'numeric', stem: `g in m/s2 ${TAG}?`, value_1: 9.7, tolerance_1: 0, correct_1: true });
	await story(q, [{ value: '9,81' }, { value: '9.7' }],
		{ value_1: 9.8, tolerance_1: 0.05, correct_1: true });
});

test('short text: a fixed list of accepted answers re-scores typed answers', async () => {
	// "Ottawa" was accepted by mistake as "Toronto"; the fix lists Ottawa.
	const q = await question({ kind: 'short', stem: `Capital of Canada ${TAG}?`, option_1: 'Toronto' });
	await story(q, [{ text: '  OTTAWA ' }, { text: 'toronto' }], { option_1: 'Ottawa' });
});

test('ordering: a fixed order re-scores the orders given, items matched by text', async () => {
	// Published as two, one, three; the right order is one, two, three.
	const q = await question({ kind: 'ordering', stem: `Smallest first ${TAG}`, option_1: 'two', option_2: 'one', option_3: 'three' });
	const id = (t) => q.options.find((o) => o.text === t).id;
	await story(q, [{ order: `${id('one')},${id('two')},${id('three')}` }, { order: `${id('two')},${id('one')},${id('three')}` }],
		{ option_1: 'one', option_2: 'two', option_3: 'three' });
});

test('ordering: answers whose items were reworded are left as scored', async () => {
	const q = await question({ kind: 'ordering', stem: `Alphabet ${TAG}`, option_1: 'b', option_2: 'a' });
	const L = await account('learner');
	const quiz = await quizOf(q);
	const ids = q.options.map((o) => o.id);
	const a = await take(L, quiz, q, { order: `${ids[1]},${ids[0]}` });
	assert.deepEqual(await attempt(L, a), [50, false]);
	// The fix renames an item: nothing says which one the learner meant.
	let r = await api(T, `/api/v1/bank/questions/${q.id}`, { stem: q.stem, difficulty: 5, skills: String(skill), option_1: 'A', option_2: 'b' });
	assert.equal(r.status, 200, r.text);
	const s = state(q.id, String(L.id));
	r = await api(T, `/api/v1/bank/questions/${q.id}/regrade`, {});
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json().responses_changed, 0);
	assert.equal(state(q.id, String(L.id)), s);
});

test('the question page has a regrade button: CSRF, what it did, owner only', async () => {
	const q = await question({ kind: 'numeric', stem: `Boiling point ${TAG}?`, value_1: 90, correct_1: true });
	const L = await account('learner');
	const quiz = await quizOf(q);
	await take(L, quiz, q, { value: '100' });
	const page = `/teach/bank/${q.id}`;
	const c = new Client();
	assert.equal((await c.submit('/login', { email: T.email, password: PW })).status, 303);
	// Version 1 only: nothing to regrade, no button.
	let r = await c.get(page);
	assert.equal(r.status, 200);
	assert.doesNotMatch(r.text, /action="\/teach\/bank\/\d+\/regrade"/);
	assert.match(r.text, /nothing to regrade/);

	r = await api(T, page.replace('/teach/bank', '/api/v1/bank/questions'), { stem: q.stem, difficulty: 5, skills: String(skill), value_1: 100, correct_1: true });
	assert.equal(r.status, 200, r.text);
	r = await c.get(page);
	assert.match(r.text, new RegExp(`<form method="post" action="/teach/bank/${q.id}/regrade">`));
	const csrf = r.text.match(/name="csrf" value="([^"]+)"/)[1];

	// Without the CSRF token: refused, nothing done.
	r = await c.post(`${page}/regrade`, {});
	assert.equal(r.status, 403);
	assert.equal(sql(`SELECT count(*) FROM regrades WHERE question_id = ${q.id}`), '0');
	// Another instructor: not found; a learner: refused by role.
	const o = new Client();
	assert.equal((await o.submit('/login', { email: other.email, password: PW })).status, 303);
	r = await o.post(`${page}/regrade`, { csrf: await o.csrf('/teach/bank') });
	assert.equal(r.status, 404);
	const l = new Client();
	assert.equal((await l.submit('/login', { email: L.email, password: PW })).status, 303);
	r = await l.post(`${page}/regrade`, { csrf: await l.csrf('/account') });
	assert.equal(r.status, 403);
	assert.equal(sql(`SELECT count(*) FROM regrades WHERE question_id = ${q.id}`), '0');

	r = await c.post(`${page}/regrade`, { csrf });
	assert.equal(r.status, 303);
	assert.match(r.headers.get('location'), new RegExp(`^/teach/bank/${q.id}\\?regraded=1`));
	r = await c.get(r.headers.get('location').replace(/#.*/, ''));
	assert.equal(r.status, 200);
	assert.match(r.text, /Regrade done, [^<]* UTC by Regrade instructor: 1 answer re-scored, 1 attempt changed\./);
	assert.match(r.text, /Last regrade: [^<]*1 answer re-scored, 1 attempt changed\./);
	assert.equal(sql(`SELECT responses_changed || '/' || attempts_changed FROM regrades WHERE question_id = ${q.id}`), '1/1');
	assert.equal(sql(`SELECT correct FROM responses WHERE version_id = ${q.version_id}`), 't');
});
