// Assessments in a real browser with JavaScript off: the demo learner
// takes a diagnostic (skills chosen with checkboxes, one adaptive question
// per page) and a quiz (one question per page: choice, short text,
// ordering with select controls), fixes a refused answer, submits and
// reads the result and the skill profile; the demo instructor sees the
// quiz pages and the item analysis.  Questions and the quiz are set up
// through the JSON API.  Every page kept goes through the Nu HTML checker
// and axe-core (tests/browser/check.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vnuErrors, axeProblems, launchBrowser } from './check.mjs';

const BASE = process.env.ADEPT_URL || 'http://127.0.0.1:18080';
const RUN = `${process.pid}${Date.now() % 100000}`;

let browser, tok, skill, skill2, quizId;
const qs = {};
const pages = new Map();

function account(role) {
	return readFileSync(join(process.env.ADEPT_VAR, 'demo-accounts.txt'), 'utf8')
		.trim().split('\n').map((l) => l.split(' ')).find((a) => a[0] === role);
}

async function api(path, body) {
	const r = await fetch(BASE + path, {
		method: body === undefined ? 'GET' : 'POST',
		headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await r.text();
	assert.ok(r.status < 300, `${path}: ${r.status} ${text}`);
	return JSON.parse(text);
}

async function keep(page, name) {
	pages.set(name, await page.content());
}

async function login(role) {
	const acct = account(role);
	const ctx = await browser.newContext({ javaScriptEnabled: false });
	const page = await ctx.newPage();
	await page.goto(BASE + '/login');
	await page.getByLabel(/e-?mail/i).fill(acct[1]);
	await page.getByLabel('Password', { exact: true }).fill(acct[2]);
	await page.getByRole('button', { name: /sign in/i }).click();
	assert.match(page.url(), /\/dashboard/);
	return { ctx, page };
}

before(async () => {
	browser = await launchBrowser();
	const acct = account('instructor');
	const t = await fetch(BASE + '/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email: acct[1], password: acct[2] }) });
	tok = (await t.json()).access_token;
	skill = (await api('/api/v1/skills', { name: `Browser quiz skill ${RUN}` })).id;
	skill2 = (await api('/api/v1/skills', { name: `Browser quiz numbers ${RUN}` })).id;
	const q = (body) => api('/api/v1/bank/questions', { difficulty: 5, skills: String(skill2), ...body });
	qs.single = await q({ kind: 'single', stem: `Which is a prime? (${RUN})`, option_1: '4', option_2: '7', correct: 2, explanation: 'Seven has no divisor but 1 and itself.' });
	qs.short = await q({ kind: 'short', stem: 'Name the colour of the clear daytime sky.', option_1: 'blue' });
	qs.order = await q({ kind: 'ordering', stem: 'Put in increasing order.', option_1: 'small', option_2: 'medium', option_3: 'large' });
	for (let d = 2; d <= 9; d += 2)
		await q({ kind: 'truefalse', stem: `Diagnostic statement ${d} is true.`, difficulty: d, correct: 1, skills: String(skill) });
	quizId = (await api('/api/v1/assessments', { title: `Browser quiz ${RUN}`, pass_mark: 60, per_page: 'question' })).id;
	for (const x of [qs.single, qs.short, qs.order])
		await api(`/api/v1/assessments/${quizId}/questions`, { question_id: x.id });
});

after(async () => {
	await browser?.close();
});

test('a learner takes a diagnostic and a quiz with JavaScript off', async () => {
	const { ctx, page } = await login('learner');

	await page.goto(BASE + '/diagnostic');
	await keep(page, 'diagnostic-start');
	await page.getByRole('button', { name: 'Start the diagnostic' }).click();
	assert.match(await page.textContent('main'), /Choose at least one skill/);
	await keep(page, 'diagnostic-start-error');
	await page.getByLabel(new RegExp(`Browser quiz skill ${RUN}`)).check();
	await page.getByLabel('Most questions').fill('3');
	await page.getByRole('button', { name: 'Start the diagnostic' }).click();
	assert.match(page.url(), /\/diagnostic\/\d+$/);
	await keep(page, 'diagnostic-item');
	for (let i = 0; i < 3; i++) {
		const main = await page.textContent('main');
		assert.doesNotMatch(main, /Right answer/);
		await page.getByLabel('True', { exact: true }).check();
		await page.getByRole('button', { name: 'Answer' }).click();
	}
	assert.match(await page.textContent('main'), /Your levels/);
	assert.match(await page.textContent('main'), new RegExp(`Browser quiz skill ${RUN}`));
	await keep(page, 'diagnostic-result');

	await page.goto(`${BASE}/quizzes/${quizId}`);
	await keep(page, 'quiz-start');
	await page.getByRole('button', { name: 'Start the quiz' }).click();
	assert.match(page.url(), /\/attempts\/\d+$/);
	await keep(page, 'attempt-q1');
	assert.doesNotMatch(await page.textContent('main'), /Seven has no divisor/);
	await page.getByLabel('7', { exact: true }).check();
	await page.getByRole('button', { name: 'Save answer' }).click();
	// Short text: submitting blanks is refused by the server (the field
	// is required in the browser too, so fill spaces).
	await page.getByLabel('Your answer').fill('   ');
	await page.getByRole('button', { name: 'Save answer' }).click();
	assert.match(await page.textContent('main'), /Type an answer/);
	await keep(page, 'attempt-error');
	await page.getByLabel('Your answer').fill('Blue');
	await page.getByRole('button', { name: 'Save answer' }).click();
	await keep(page, 'attempt-order');
	await page.getByLabel('small').selectOption('1');
	await page.getByLabel('medium').selectOption('2');
	await page.getByLabel('large').selectOption('3');
	await page.getByRole('button', { name: 'Save answer' }).click();
	assert.match(await page.textContent('main'), /3 of 3 questions answered/);
	await keep(page, 'attempt-done');
	await page.getByRole('button', { name: 'Submit the attempt' }).click();
	const main = await page.textContent('main');
	assert.match(main, /Score: 100%/);
	assert.match(main, /passed/);
	assert.match(main, /Seven has no divisor/);
	await keep(page, 'attempt-result');

	await page.goto(BASE + '/profile/skills');
	assert.match(await page.textContent('main'), new RegExp(`Browser quiz skill ${RUN}`));
	assert.match(await page.textContent('main'), new RegExp(`Browser quiz numbers ${RUN}`));
	await keep(page, 'profile-skills');
	await ctx.close();
});

test('the instructor sees the quiz and its item analysis', async () => {
	const { ctx, page } = await login('instructor');
	await page.goto(BASE + '/teach/quizzes');
	await keep(page, 'quiz-list');
	await page.getByRole('link', { name: `Browser quiz ${RUN}` }).click();
	await keep(page, 'quiz-edit');
	await page.getByRole('link', { name: 'Item analysis' }).click();
	assert.match(await page.textContent('main'), /Which is a prime/);
	await keep(page, 'quiz-items');
	await ctx.close();
});

test('quiz pages are valid HTML (Nu checker)', () => {
	assert.ok(pages.size >= 13, `collected ${pages.size} pages`);
	assert.deepEqual(vnuErrors(pages), []);
});

test('quiz pages have no serious or critical accessibility violations (axe-core)', async () => {
	assert.deepEqual(await axeProblems(browser, BASE, pages), []);
});
