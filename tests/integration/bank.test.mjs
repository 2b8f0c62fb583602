// Question bank (issue 5): roles, CRUD of the six kinds through the pages
// and the JSON twins, versioning of answered questions, ownership (another
// instructor's ids are 404 with nothing changed), forged option ids,
// delete/archive, GIFT/Aiken import (good and bad files: line-numbered
// errors, nothing imported) and export round trips.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Client, VAR, cli, sql, uniqueEmail, registerUser } from './lib.mjs';

const PW = 'bank password 1';
let A, B, admin, learner;		// cookie clients
let tokA, tokB, tokAdmin, tokLearner;	// bearer tokens
let skill1, skill2;

async function account(role) {
	const email = uniqueEmail(`bank-${role}`);
	const out = cli(['user', 'add', '--email', email, '--password', PW, '--name', `Bank ${role}`, '--role', role]);
	assert.equal(out.status, 0, out.stderr);
	const c = new Client();
	assert.equal((await c.submit('/login', { email, password: PW })).status, 303);
	const t = await new Client().postJSON('/api/v1/auth/login', { email, password: PW });
	assert.equal(t.status, 200, t.text);
	return { c, tok: t.json().access_token, id: Number(out.stdout.trim()) };
}

const auth = (tok) => ({ authorization: `Bearer ${tok}` });
const api = (tok, path, body) => body === undefined
	? new Client().get(path, { headers: auth(tok) })
	: new Client().postJSON(path, body, auth(tok));
const count = (where = 'true') => Number(sql(`SELECT count(*) FROM questions WHERE ${where}`));

before(async () => {
	let x = await account('instructor'); A = x.c; tokA = x.tok;
	x = await account('instructor'); B = x.c; tokB = x.tok;
	x = await account('admin'); admin = x.c; tokAdmin = x.tok;
	learner = new Client();
	const reg = await registerUser(learner);
	tokLearner = (await new Client().postJSON('/api/v1/auth/login', { email: reg.email, password: reg.password })).json().access_token;
	const tag = `${process.pid}-${Date.now()}`;
	skill1 = Number(sql(`INSERT INTO skills (name) VALUES ('Bank fractions ${tag}') RETURNING id`).split('\n')[0]);
	skill2 = Number(sql(`INSERT INTO skills (name) VALUES ('Bank algebra ${tag}') RETURNING id`).split('\n')[0]);
});

test('roles: learners get 403, anonymous visitors are sent to sign in', async () => {
	assert.equal((await learner.get('/teach/bank')).status, 403);
	assert.equal((await learner.get('/teach/bank/new')).status, 403);
	assert.equal((await api(tokLearner, '/api/v1/bank/questions')).status, 403);
	const n = count();
	assert.equal((await api(tokLearner, '/api/v1/bank/questions', { kind: 'truefalse', stem: 'x', difficulty: 3, correct: 1 })).status, 403);
	assert.equal(count(), n);
	const anon = await new Client().get('/teach/bank');
	assert.equal(anon.status, 303);
	assert.match(anon.headers.get('location'), /^\/login/);
});

test('pages: write a single-choice question, see it listed and edit it', async () => {
	const form = await A.get('/teach/bank/new?kind=single');
	assert.equal(form.status, 200);
	assert.match(form.text, /New question: Single choice/);
	const r = await A.submit('/teach/bank/new?kind=single', {
		kind: 'single', title: 'Capital', stem: 'What is the capital of *France*?', difficulty: '3',
		option_1: 'Paris', feedback_1: 'Right.', option_2: 'Lyon', feedback_2: 'A city, not the capital.',
		option_3: 'Rome', correct: '1', explanation: 'Paris has been the capital since 987.',
		skill: String(skill1),
	}, '/teach/bank/new');
	assert.equal(r.status, 303, r.text);
	const id = Number(r.headers.get('location').match(/\/teach\/bank\/(\d+)/)[1]);
	assert.equal(sql(`SELECT kind || ' ' || current_version FROM questions WHERE id = ${id}`), 'single 1');
	assert.equal(sql(`SELECT string_agg(body || ':' || is_correct, ',' ORDER BY position) FROM question_options o JOIN question_versions v ON v.id = o.version_id WHERE v.question_id = ${id}`),
		'Paris:true,Lyon:false,Rome:false');
	assert.equal(sql(`SELECT difficulty || ' ' || irt_b || ' ' || irt_a || ' ' || irt_c || ' ' || irt_calibrated FROM question_versions WHERE question_id = ${id}`), `3 ${(3 - 5.5) / 1.5} 1 0 false`);
	assert.equal(sql(`SELECT skill_id FROM question_skills WHERE question_id = ${id}`), String(skill1));
	const list = await A.get('/teach/bank');
	assert.match(list.text, new RegExp(`href="/teach/bank/${id}">Capital<`));
	const filtered = await A.get(`/teach/bank?skill=${skill2}`);
	assert.doesNotMatch(filtered.text, new RegExp(`/teach/bank/${id}"`));
	const page = await A.get(`/teach/bank/${id}`);
	assert.equal(page.status, 200);
	assert.match(page.text, /value="Paris"/);
	assert.match(page.text, /name="correct" type="radio" value="1" checked/);
	const ids = [...page.text.matchAll(/name="optid_(\d+)" value="(\d+)"/g)].map((m) => [m[1], m[2]]);
	assert.equal(ids.length, 3);
	// Edit in place (no answers yet): option ids stay, still version 1.
	const e = await A.submit(`/teach/bank/${id}`, {
		kind: 'single', title: 'Capital', stem: 'What is the capital of France?', difficulty: '4',
		option_1: 'Paris', optid_1: ids[0][1], option_2: 'Marseille', optid_2: ids[1][1], correct: '1',
		skill: String(skill2),
	});
	assert.equal(e.status, 303, e.text);
	assert.equal(sql(`SELECT current_version FROM questions WHERE id = ${id}`), '1');
	assert.equal(sql(`SELECT string_agg(id || ':' || body, ',' ORDER BY position) FROM question_options o WHERE version_id = (SELECT id FROM question_versions WHERE question_id = ${id})`),
		`${ids[0][1]}:Paris,${ids[1][1]}:Marseille`);
	assert.equal(sql(`SELECT skill_id FROM question_skills WHERE question_id = ${id}`), String(skill2));
});

test('pages: a bad form is shown again with its messages and nothing is saved', async () => {
	const n = count();
	const r = await A.submit('/teach/bank/new?kind=multiple', {
		kind: 'multiple', stem: 'Pick the primes', difficulty: '11',
		option_1: '2', option_2: '4', feedback_3: 'orphan feedback',
	}, '/teach/bank/new');
	assert.equal(r.status, 400);
	assert.match(r.text, /Difficulty must be between 1 and 10/);
	assert.match(r.text, /Option 3 has feedback but no text/);
	assert.match(r.text, /value="Pick the primes"|>Pick the primes</);
	const r2 = await A.submit('/teach/bank/new?kind=multiple', {
		kind: 'multiple', stem: 'Pick the primes', difficulty: '5', option_1: '2', option_2: '4',
	}, '/teach/bank/new');
	assert.equal(r2.status, 400);
	assert.match(r2.text, /needs at least one correct option/);
	const r3 = await A.submit('/teach/bank/new?kind=single', {
		kind: 'single', stem: 'Two right', difficulty: '5', option_1: 'a', option_2: 'b', correct_1: '1', correct_2: '1',
	}, '/teach/bank/new');
	assert.equal(r3.status, 400);
	assert.match(r3.text, /exactly one correct option/);
	assert.equal(count(), n);
});

test('API: every kind is written, read back and checked', async () => {
	const mk = async (body, status = 201) => {
		const r = await api(tokA, '/api/v1/bank/questions', body);
		assert.equal(r.status, status, r.text);
		return r.json();
	};
	const single = await mk({ kind: 'single', stem: 'S?', difficulty: 2, option_1: 'a', option_2: 'b', correct: 2, feedback_2: 'yes' });
	assert.deepEqual(single.options.map((o) => [o.text, o.correct, o.feedback]), [['a', false, ''], ['b', true, 'yes']]);
	assert.equal(single.version, 1);
	assert.equal(single.irt.calibrated, false);
	assert.ok(single.options.every((o) => o.id > 0));
	const multi = await mk({ kind: 'multiple', stem: 'M?', difficulty: 5, option_1: '2', correct_1: true, option_2: '3', correct_2: true, option_3: '4', skills: `${skill1},${skill2}` });
	assert.deepEqual(multi.options.map((o) => o.correct), [true, true, false]);
	assert.equal(multi.skills.length, 2);
	const tf = await mk({ kind: 'truefalse', stem: 'The sun is a star.', difficulty: 1, correct: 1, feedback_1: 'Yes', feedback_2: 'It is one.' });
	assert.deepEqual(tf.options.map((o) => [o.text, o.correct, o.feedback]), [['True', true, 'Yes'], ['False', false, 'It is one.']]);
	const num = await mk({ kind: 'numeric', stem: 'Pi to two places?', difficulty: 6, value_1: '3.14', tolerance_1: '0.005', correct_1: true, value_2: 3, feedback_2: 'Too rough' });
	assert.deepEqual(num.options.map((o) => [o.value, o.tolerance, o.correct]), [[3.14, 0.005, true], [3, 0, false]]);
	const short = await mk({ kind: 'short', stem: 'Who wrote Hamlet?', difficulty: 4, option_1: 'Shakespeare', option_2: 'William Shakespeare' });
	assert.ok(short.options.every((o) => o.correct));
	const ord = await mk({ kind: 'ordering', stem: 'Order by size', difficulty: 7, option_1: 'large', order_1: 3, option_2: 'small', order_2: 1, option_3: 'medium', order_3: 2 });
	assert.deepEqual(ord.options.map((o) => o.text), ['small', 'medium', 'large']);
	// Bad input: each a clear 400, nothing written.
	const n = count();
	let r = await api(tokA, '/api/v1/bank/questions', { kind: 'numeric', stem: 'x', difficulty: 5, value_1: 'three', correct_1: true });
	assert.equal(r.status, 400);
	assert.match(r.json().error.message, /Value 1 must be a number/);
	r = await api(tokA, '/api/v1/bank/questions', { kind: 'essay', stem: 'x', difficulty: 5 });
	assert.equal(r.status, 400);
	r = await api(tokA, '/api/v1/bank/questions', { stem: 'x', difficulty: 5 });
	assert.equal(r.status, 400);
	assert.match(r.json().error.message, /Type is required/);
	r = await api(tokA, '/api/v1/bank/questions', { kind: 'short', stem: 'x', difficulty: 5, option_1: 'a', skills: '999999999' });
	assert.equal(r.status, 400);
	assert.match(r.json().error.message, /skills does not exist/);
	r = await api(tokA, '/api/v1/bank/questions', { kind: 'truefalse', stem: 'x', difficulty: 5 });
	assert.equal(r.status, 400);
	assert.match(r.json().error.message, /one correct answer/);
	r = await api(tokA, '/api/v1/bank/questions', { kind: 'ordering', stem: 'x', difficulty: 5, option_1: 'only one' });
	assert.equal(r.status, 400);
	assert.equal(count(), n);
	// The list twin names them.
	const list = (await api(tokA, '/api/v1/bank/questions')).json();
	for (const q of [single, multi, tf, num, short, ord])
		assert.ok(list.questions.some((x) => x.id === q.id));
	const onlyTf = (await api(tokA, '/api/v1/bank/questions?kind=truefalse')).json();
	assert.ok(onlyTf.questions.every((x) => x.kind === 'truefalse'));
	// A question keeps its type.
	r = await api(tokA, `/api/v1/bank/questions/${tf.id}`, { kind: 'single', stem: 'x', difficulty: 5, option_1: 'a', option_2: 'b', correct: 1 });
	assert.equal(r.status, 409);
});

test('versioning: a locked (answered) version is kept; saving writes the next version', async () => {
	const q = (await api(tokA, '/api/v1/bank/questions', { kind: 'single', stem: 'Old wording', difficulty: 5, option_1: 'a', option_2: 'b', correct: 1 })).json();
	const v1 = q.version_id;
	// What the attempts work does when it records the first response.
	sql(`UPDATE question_versions SET locked = true WHERE id = ${v1}`);
	const r = await api(tokA, `/api/v1/bank/questions/${q.id}`, {
		stem: 'New wording', difficulty: 6, option_1: 'a', optid_1: q.options[0].id, option_2: 'c', optid_2: q.options[1].id, correct: 2,
	});
	assert.equal(r.status, 200, r.text);
	const q2 = r.json();
	assert.equal(q2.version, 2);
	assert.equal(q2.versions, 2);
	assert.equal(q2.locked, false);
	assert.notEqual(q2.version_id, v1);
	// New option rows; the old version and its options are as answered.
	assert.ok(q2.options.every((o) => !q.options.some((p) => p.id === o.id)));
	assert.equal(sql(`SELECT stem || ' ' || locked FROM question_versions WHERE id = ${v1}`), 'Old wording true');
	assert.equal(sql(`SELECT string_agg(body || ':' || is_correct, ',' ORDER BY position) FROM question_options WHERE version_id = ${v1}`), 'a:true,b:false');
	// The database refuses to rewrite a locked version.
	assert.throws(() => sql(`UPDATE question_versions SET stem = 'tampered' WHERE id = ${v1}`), /locked/);
	assert.throws(() => sql(`UPDATE question_options SET body = 'tampered' WHERE version_id = ${v1}`), /locked/);
	assert.throws(() => sql(`UPDATE question_versions SET locked = false WHERE id = ${v1}`), /locked/);
	// Calibration may still write the IRT parameters.
	sql(`UPDATE question_versions SET irt_a = 1.2, irt_b = 0.3, irt_calibrated = true WHERE id = ${v1}`);
	// The page says what will happen once the current version is answered.
	sql(`UPDATE question_versions SET locked = true WHERE id = ${q2.version_id}`);
	const page = await A.get(`/teach/bank/${q.id}`);
	assert.match(page.text, /Learners have answered version 2\. Saving writes version 3/);
	const e = await A.submit(`/teach/bank/${q.id}`, { kind: 'single', stem: 'Third', difficulty: '6', option_1: 'x', option_2: 'y', correct: '1' });
	assert.equal(e.status, 303);
	assert.match(e.headers.get('location'), /saved=new/);
	assert.equal(sql(`SELECT current_version FROM questions WHERE id = ${q.id}`), '3');
});

test('versioning: a response recorded while an edit is in flight turns the edit into a new version', async () => {
	const q = (await api(tokA, '/api/v1/bank/questions', { kind: 'single', stem: 'Race', difficulty: 5, option_1: 'a', option_2: 'b', correct: 1 })).json();
	// The attempts work's transaction: locks the version and holds it a moment.
	const held = spawn('psql', ['-h', `${VAR}/run`, '-p', process.env.ADEPT_PGPORT || '5499', '-U', 'adept', '-d', 'adept', '-qAt', '-c',
		`BEGIN; UPDATE question_versions SET locked = true WHERE id = ${q.version_id}; SELECT pg_sleep(1.5); COMMIT;`]);
	const done = new Promise((resolve) => held.on('exit', resolve));
	await new Promise((resolve) => setTimeout(resolve, 500));
	const r = await api(tokA, `/api/v1/bank/questions/${q.id}`, { stem: 'Race, edited', difficulty: 5, option_1: 'a', optid_1: q.options[0].id, option_2: 'c', optid_2: q.options[1].id, correct: 1 });
	assert.equal(await done, 0);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json().version, 2);
	assert.equal(sql(`SELECT stem || ' ' || locked FROM question_versions WHERE id = ${q.version_id}`), 'Race true');
	assert.equal(sql(`SELECT string_agg(body, ',' ORDER BY position) FROM question_options WHERE version_id = ${q.version_id}`), 'a,b');
});

test('ownership: another instructor gets 404 and changes nothing; admins see all', async () => {
	const q = (await api(tokA, '/api/v1/bank/questions', { kind: 'short', stem: 'Mine', difficulty: 5, option_1: 'yes' })).json();
	const before = sql(`SELECT stem FROM question_versions WHERE question_id = ${q.id}`);
	assert.equal((await B.get(`/teach/bank/${q.id}`)).status, 404);
	assert.equal((await api(tokB, `/api/v1/bank/questions/${q.id}`)).status, 404);
	const csrf = await B.csrf('/teach/bank/new');
	assert.equal((await B.post(`/teach/bank/${q.id}`, { csrf, kind: 'short', stem: 'Stolen', difficulty: '5', option_1: 'no' })).status, 404);
	assert.equal((await api(tokB, `/api/v1/bank/questions/${q.id}`, { stem: 'Stolen', difficulty: 5, option_1: 'no' })).status, 404);
	assert.equal((await B.post(`/teach/bank/${q.id}/delete`, { csrf })).status, 404);
	assert.equal((await api(tokB, `/api/v1/bank/questions/${q.id}/delete`, {})).status, 404);
	assert.equal(sql(`SELECT stem FROM question_versions WHERE question_id = ${q.id}`), before);
	assert.equal(count(`id = ${q.id} AND archived_at IS NULL`), 1);
	assert.ok(!(await api(tokB, '/api/v1/bank/questions')).json().questions.some((x) => x.id === q.id));
	const ex = (await api(tokB, '/api/v1/bank/export?format=gift')).json();
	assert.doesNotMatch(ex.text, /Mine/);
	// Admins see and may edit anyone's question.
	assert.equal((await admin.get(`/teach/bank/${q.id}`)).status, 200);
	assert.match((await admin.get('/teach/bank')).text, /All questions/);
	assert.equal((await api(tokAdmin, `/api/v1/bank/questions/${q.id}`)).status, 200);
	// Unknown ids are 404 too.
	assert.equal((await A.get('/teach/bank/999999999')).status, 404);
});

test('forged option ids: an id from another question is not touched', async () => {
	const mine = (await api(tokA, '/api/v1/bank/questions', { kind: 'single', stem: 'A', difficulty: 5, option_1: 'a1', option_2: 'a2', correct: 1 })).json();
	const theirs = (await api(tokB, '/api/v1/bank/questions', { kind: 'single', stem: 'B', difficulty: 5, option_1: 'b1', option_2: 'b2', correct: 1 })).json();
	const r = await api(tokA, `/api/v1/bank/questions/${mine.id}`, {
		stem: 'A', difficulty: 5, option_1: 'hijack', optid_1: theirs.options[0].id, option_2: 'a2', optid_2: mine.options[1].id, correct: 1,
	});
	assert.equal(r.status, 200, r.text);
	assert.equal(sql(`SELECT body FROM question_options WHERE id = ${theirs.options[0].id}`), 'b1');
	const after = r.json();
	assert.notEqual(after.options[0].id, theirs.options[0].id);
	assert.equal(after.options[1].id, mine.options[1].id);
	// The replaced option of mine is gone.
	assert.equal(sql(`SELECT count(*) FROM question_options WHERE id = ${mine.options[0].id}`), '0');
});

test('delete: unanswered questions are deleted, answered ones archived', async () => {
	const a = (await api(tokA, '/api/v1/bank/questions', { kind: 'short', stem: 'Delete me', difficulty: 5, option_1: 'x' })).json();
	const b = (await api(tokA, '/api/v1/bank/questions', { kind: 'short', stem: 'Archive me', difficulty: 5, option_1: 'x' })).json();
	sql(`UPDATE question_versions SET locked = true WHERE id = ${b.version_id}`);
	let r = await A.submit(`/teach/bank/${a.id}`, {}, `/teach/bank/${a.id}/delete`);
	assert.equal(r.status, 303);
	assert.equal(count(`id = ${a.id}`), 0);
	r = await api(tokA, `/api/v1/bank/questions/${b.id}/delete`, {});
	assert.equal(r.status, 200);
	assert.equal(r.json().result, 'archived');
	assert.equal(count(`id = ${b.id} AND archived_at IS NOT NULL`), 1);
	assert.equal(sql(`SELECT count(*) FROM question_options WHERE version_id = ${b.version_id}`), '1');
	assert.equal((await api(tokA, `/api/v1/bank/questions/${b.id}`)).status, 404);
	assert.ok(!(await api(tokA, '/api/v1/bank/questions')).json().questions.some((x) => x.id === b.id));
});

const GOOD_GIFT = `// A bank for the import test
$CATEGORY: $course$/Imported

// adept-difficulty: 2
// adept-skill: Bank import skill ${process.pid}
::Cap::What is the capital of France? {
	=Paris#Right
	~London#No, England
	####Paris, since 987.
}

Primes? {~%50%2 ~%50%3 ~%-100%4}

The sun is a star. {T#No, it is#Yes}

Pi? {#3.14:0.01}

Between one and five {#1..5}

Who wrote Hamlet? {=Shakespeare =William Shakespeare}

Escapes \\{ \\} \\= \\~ \\# \\: done {=yes ~no}
`;

test('import GIFT: a good file (pasted) imports every question, with skills and metadata', async () => {
	const n = count();
	const r = await A.submit('/teach/bank/import', { format: 'gift', text: GOOD_GIFT });
	assert.equal(r.status, 303, r.text);
	assert.match(r.headers.get('location'), /imported=7/);
	assert.equal(count(), n + 7);
	const cap = sql(`SELECT q.id FROM questions q JOIN question_versions v ON v.question_id = q.id WHERE v.title = 'Cap' ORDER BY q.id DESC LIMIT 1`);
	const j = (await api(tokA, `/api/v1/bank/questions/${cap}`)).json();
	assert.equal(j.difficulty, 2);
	assert.equal(j.explanation, 'Paris, since 987.');
	assert.equal(j.skills[0].name, `Bank import skill ${process.pid}`);
	assert.equal(sql(`SELECT stem FROM question_versions WHERE stem LIKE 'Escapes%' ORDER BY id DESC LIMIT 1`), 'Escapes { } = ~ # : done');
	const kinds = sql(`SELECT string_agg(kind, ',' ORDER BY id) FROM (SELECT id, kind FROM questions ORDER BY id DESC LIMIT 7) x`);
	assert.equal(kinds, 'single,multiple,truefalse,numeric,numeric,short,single');
});

test('import: a malformed file lists every error with its line and imports nothing', async () => {
	const bad = 'Good {=a ~b}\n\nMatching {=a -> 1 =b -> 2}\n\nPi {#three}\n\nUnclosed {=a ~b\n';
	const n = count();
	// As an uploaded file (multipart), through the page.
	const csrf = await A.csrf('/teach/bank/import');
	const fd = new FormData();
	fd.set('csrf', csrf);
	fd.set('format', 'gift');
	fd.set('file', new Blob([bad], { type: 'text/plain' }), 'bad.gift');
	const r = await A.req('POST', '/teach/bank/import', { body: fd });
	assert.equal(r.status, 422, r.text.slice(0, 500));
	assert.match(r.text, /3 problems found; nothing was imported/);
	assert.match(r.text, /Line 3: matching questions/);
	assert.match(r.text, /Line 5: &quot;three&quot; is not a number/);
	assert.match(r.text, /Line 7: the answer block opened here is not closed/);
	assert.equal(count(), n);
	// The JSON twin, Aiken, pasted.
	const a = await api(tokA, '/api/v1/bank/import', { format: 'aiken', text: 'Q1\nA. a\nC. c\nANSWER: A\nQ2\nA. a\nB. b\nANSWER: E\n' });
	assert.equal(a.status, 422);
	assert.deepEqual(a.json().errors.map((e) => e.line), [3, 8]);
	assert.match(a.json().errors[1].message, /names no option/);
	assert.equal(count(), n);
	// Neither a file nor text.
	const none = await api(tokA, '/api/v1/bank/import', { format: 'gift' });
	assert.equal(none.status, 400);
	assert.equal((await api(tokA, '/api/v1/bank/import', { format: 'qti', text: 'x' })).status, 400);
	// Not UTF-8, uploaded to the JSON twin.
	const fd2 = new FormData();
	fd2.set('format', 'gift');
	fd2.set('file', new Blob([Buffer.from([0x51, 0x20, 0xff, 0x7b, 0x54, 0x7d])]), 'latin1.gift');
	const u = await new Client().req('POST', '/api/v1/bank/import', { body: fd2, headers: auth(tokA) });
	assert.equal(u.status, 422);
	assert.match(u.json().errors[0].message, /not UTF-8/);
	assert.equal(count(), n);
});

test('export then import gives the same questions (GIFT and Aiken)', async () => {
	const x = await account('instructor');
	const mk = async (b) => (await api(x.tok, '/api/v1/bank/questions', b)).json();
	await mk({ kind: 'single', title: 'T: {1}', stem: 'Line one\n\nLine = two #3 ~ {x}', difficulty: 3, option_1: 'a = b', feedback_1: 'fb #1', option_2: '%50 off', option_3: 'say "hi", {x} \\ NULL', feedback_3: 'a,"b"', correct: 1, explanation: 'Because \\ and :', skills: String(skill1) });
	await mk({ kind: 'multiple', stem: 'Primes', difficulty: 4, option_1: '2', correct_1: 1, option_2: '3', correct_2: 1, option_3: '4', feedback_3: 'even' });
	await mk({ kind: 'truefalse', stem: 'False is right', difficulty: 5, correct: 2, feedback_1: 'wrong', feedback_2: 'right' });
	await mk({ kind: 'numeric', stem: 'Pi', difficulty: 9, value_1: '3.14159', tolerance_1: '0.001', correct_1: 1, value_2: '3', feedback_2: 'rough' });
	await mk({ kind: 'short', stem: 'Author', difficulty: 2, option_1: 'Shakespeare', option_2: 'W. S.', feedback_2: 'initials' });
	const ord = await mk({ kind: 'ordering', stem: 'Order', difficulty: 5, option_1: 'a', option_2: 'b' });
	const ex = (await api(x.tok, '/api/v1/bank/export?format=gift')).json();
	assert.equal(ex.questions, 5);
	assert.deepEqual(ex.skipped, [ord.id]);
	assert.match(ex.text, /skipped question 6 \(Ordering\): ordering questions have no GIFT form/);
	// The page export is the same text, as a download.
	const dl = await x.c.get('/teach/bank/export?format=gift');
	assert.equal(dl.status, 200);
	assert.match(dl.headers.get('content-disposition'), /attachment; filename="question-bank.gift.txt"/);
	assert.equal(dl.text, ex.text);
	// Import into a fresh account and compare question by question.
	const y = await account('instructor');
	const im = await api(y.tok, '/api/v1/bank/import', { format: 'gift', text: ex.text });
	assert.equal(im.status, 201, im.text);
	assert.equal(im.json().imported, 5);
	const shape = async (tok, id) => {
		const q = (await api(tok, `/api/v1/bank/questions/${id}`)).json();
		return { kind: q.kind, title: q.title, stem: q.stem, explanation: q.explanation, difficulty: q.difficulty,
			skills: q.skills.map((s) => s.name), options: q.options.map((o) => [o.text, o.correct, o.feedback, o.value, o.tolerance]) };
	};
	const orig = (await api(x.tok, '/api/v1/bank/questions')).json().questions.filter((q) => q.kind !== 'ordering').map((q) => q.id).sort((a, b) => a - b);
	const copy = im.json().ids;
	assert.equal(orig.length, copy.length);
	for (let i = 0; i < orig.length; i++)
		assert.deepEqual(await shape(y.tok, copy[i]), await shape(x.tok, orig[i]));
	// Aiken carries the single-choice question only.
	const ak = (await api(x.tok, '/api/v1/bank/export?format=aiken')).json();
	assert.equal(ak.questions, 0, 'the single-choice stem has a blank line, which Aiken cannot carry');
	const s2 = await mk({ kind: 'single', stem: 'Plain stem', difficulty: 5, option_1: 'x', option_2: 'y', correct: 2 });
	const ak2 = (await api(x.tok, '/api/v1/bank/export?format=aiken')).json();
	assert.equal(ak2.questions, 1);
	assert.equal(ak2.text, 'Plain stem\nA. x\nB. y\nANSWER: B\n\n');
	const z = await account('instructor');
	const im2 = (await api(z.tok, '/api/v1/bank/import', { format: 'aiken', text: ak2.text })).json();
	const back = (await api(z.tok, `/api/v1/bank/questions/${im2.ids[0]}`)).json();
	assert.deepEqual(back.options.map((o) => [o.text, o.correct]), s2.options.map((o) => [o.text, o.correct]));
	assert.equal(back.stem, s2.stem);
});

test('export: a bank larger than one file says so and the file still imports', async () => {
	const x = await account('instructor');
	const file = (from, n) => Array.from({ length: n }, (_, i) => `::Big ${from + i}::${from + i} + 1? {=${from + i + 1} ~${from + i}}\n\n`).join('');
	for (const [from, n] of [[0, 1500], [1500, 501]]) {
		const r = await api(x.tok, '/api/v1/bank/import', { format: 'gift', text: file(from, n) });
		assert.equal(r.status, 201, r.text.slice(0, 300));
	}
	const ex = (await api(x.tok, '/api/v1/bank/export?format=gift')).json();
	assert.equal(ex.truncated, true);
	assert.equal(ex.questions, 2000);
	assert.match(ex.text, /^\/\/ Only the first 2000 questions of the bank are in this file/);
	assert.doesNotMatch(ex.text, /::Big 2000::/);
	const y = await account('instructor');
	const r = await api(y.tok, '/api/v1/bank/import', { format: 'gift', text: ex.text });
	assert.equal(r.status, 201);
	assert.equal(r.json().imported, 2000);
	// One more question than a file holds is refused, with the line.
	const z = await account('instructor');
	const big = await api(z.tok, '/api/v1/bank/import', { format: 'gift', text: file(0, 2001) });
	assert.equal(big.status, 422);
	assert.match(big.json().errors[0].message, /at most 2000 questions/);
	assert.equal(big.json().errors[0].line, 4001);
});
