// The micro-learning feed in a real browser with JavaScript off: the demo
// learner, enrolled in a short course of the demo instructor, sees a card
// with the reason it is there, answers its true/false question with one
// button, reads the feedback and the next card in place.  Every page kept
// goes through the Nu HTML checker and axe-core (tests/browser/check.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vnuErrors, axeProblems, launchBrowser } from './check.mjs';
import { sql } from '../integration/lib.mjs';

const BASE = process.env.ADEPT_URL || 'http://127.0.0.1:18080';
const RUN = `${process.pid}${Date.now() % 100000}`;

let browser, tok;
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

const one = (q) => Number(sql(q).split('\n')[0]);

before(async () => {
	browser = await launchBrowser();
	const acct = account('instructor');
	const t = await fetch(BASE + '/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email: acct[1], password: acct[2] }) });
	tok = (await t.json()).access_token;
	const skill = (await api('/api/v1/skills', { name: `Browser feed skill ${RUN}` })).id;
	for (const [stem, correct] of [[`Feed fact one ${RUN} is true.`, 1], [`Feed fact two ${RUN} is false.`, 2]])
		await api('/api/v1/bank/questions', { kind: 'truefalse', stem, correct, difficulty: 4, skills: String(skill), explanation: 'Because the lesson says so.' });
	const author = one(`SELECT id FROM users WHERE email = '${acct[1]}'`);
	const learner = one(`SELECT id FROM users WHERE email = '${account('learner')[1]}'`);
	const course = one(`INSERT INTO courses (author_id, title, level, status, published_at) VALUES (${author}, 'Browser feed course ${RUN}', 'beginner', 'published', now()) RETURNING id`);
	const mod = one(`INSERT INTO modules (course_id, position, title) VALUES (${course}, 1, 'One') RETURNING id`);
	const lesson = one(`INSERT INTO lessons (module_id, position, title, kind, estimated_minutes) VALUES (${mod}, 1, 'Feed lesson ${RUN}', 'text', 5) RETURNING id`);
	sql(`INSERT INTO lesson_skills VALUES (${lesson}, ${skill})`);
	sql(`INSERT INTO enrollments (user_id, course_id) VALUES (${learner}, ${course}) ON CONFLICT DO NOTHING`);
});

after(async () => {
	await browser?.close();
});

test('a learner answers a feed question in place with JavaScript off', async () => {
	const acct = account('learner');
	const ctx = await browser.newContext({ javaScriptEnabled: false });
	const page = await ctx.newPage();
	await page.goto(BASE + '/login');
	await page.getByLabel(/e-?mail/i).fill(acct[1]);
	await page.getByLabel('Password', { exact: true }).fill(acct[2]);
	await page.getByRole('button', { name: /sign in/i }).click();
	await page.goto(BASE + '/feed');
	pages.set('feed', await page.content());
	const card = page.locator('article', { hasText: `Feed lesson ${RUN}` });
	await card.getByText(/Why this card:/).waitFor();
	const form = card.locator('form', { hasText: `Feed fact one ${RUN}` });
	await form.getByRole('button', { name: 'True' }).click();
	const text = await page.textContent('body');
	assert.match(text, /Right — the answer is true\./);
	assert.match(text, /Because the lesson says so\./);
	assert.match(text, new RegExp(`Feed fact two ${RUN}`), 'the next question is there');
	assert.doesNotMatch(text, new RegExp(`Feed fact one ${RUN}`));
	pages.set('feed-answered', await page.content());
	await ctx.close();
});

test('feed pages are valid HTML (Nu checker)', () => {
	assert.deepEqual(vnuErrors(pages), []);
});

test('feed pages have no serious or critical accessibility violations (axe-core)', async () => {
	assert.deepEqual(await axeProblems(browser, BASE, pages), []);
});
