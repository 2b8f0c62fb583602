// Course material and the tutor in a real browser with JavaScript off
// (issue 8): the demo instructor uploads two files on the course's
// material page and refreshes until they are ready; the demo learner,
// enrolled, asks the course tutor in the plain form and reads the answer
// with its sources, then a question the material does not cover, which
// is declined.  Every page kept goes through the Nu HTML checker and
// axe-core (tests/browser/check.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vnuErrors, axeProblems, launchBrowser } from './check.mjs';
import { sql } from '../integration/lib.mjs';

const BASE = process.env.ADEPT_URL || 'http://127.0.0.1:18080';
const RUN = `${process.pid}${Date.now() % 100000}`;
const DATA = new URL('../data/course/', import.meta.url).pathname;

let browser, course, tmp;
const pages = new Map();

function account(role) {
	return readFileSync(join(process.env.ADEPT_VAR, 'demo-accounts.txt'), 'utf8')
		.trim().split('\n').map((l) => l.split(' ')).find((a) => a[0] === role);
}

const one = (q) => Number(sql(q).split('\n')[0]);

async function signIn(role) {
	const acct = account(role);
	const ctx = await browser.newContext({ javaScriptEnabled: false });
	const page = await ctx.newPage();
	await page.goto(BASE + '/login');
	await page.getByLabel(/e-?mail/i).fill(acct[1]);
	await page.getByLabel('Password', { exact: true }).fill(acct[2]);
	await page.getByRole('button', { name: /sign in/i }).click();
	return { ctx, page };
}

before(async () => {
	browser = await launchBrowser();
	tmp = mkdtempSync(join(tmpdir(), 'adept-tutor-'));
	const author = one(`SELECT id FROM users WHERE email = '${account('instructor')[1]}'`);
	const learner = one(`SELECT id FROM users WHERE email = '${account('learner')[1]}'`);
	course = one(`INSERT INTO courses (author_id, title, level, status, published_at) VALUES (${author}, 'Browser tutor course ${RUN}', 'beginner', 'published', now()) RETURNING id`);
	sql(`INSERT INTO enrollments (user_id, course_id) VALUES (${learner}, ${course}) ON CONFLICT DO NOTHING`);
});

after(async () => {
	await browser?.close();
	if (tmp)
		rmSync(tmp, { recursive: true, force: true });
});

test('the instructor uploads material and sees it become ready, JavaScript off', async () => {
	const { ctx, page } = await signIn('instructor');
	await page.goto(`${BASE}/teach/courses/${course}`);
	await page.getByRole('link', { name: 'Course material' }).click();
	pages.set('materials-empty', await page.content());
	const empty = join(tmp, 'empty.txt');
	writeFileSync(empty, '');
	await page.getByLabel('Files to upload').setInputFiles([join(DATA, '01_relational_model.md'),
		join(DATA, '03_keys_normalisation.md'), empty]);
	await page.getByRole('button', { name: 'Upload and index' }).click();
	assert.match(await page.textContent('body'), /indexed in the background/);
	for (let i = 0; i < 100; i++) {
		if (!/still being processed/.test(await page.textContent('body')))
			break;
		await new Promise((r) => setTimeout(r, 100));
		await page.reload();
	}
	const text = await page.textContent('body');
	assert.match(text, /3 files, 2 ready/);
	assert.match(text, /The file is empty\./);
	pages.set('materials', await page.content());
	await ctx.close();
});

test('the learner asks the tutor in the plain form and reads the cited answer; an uncovered question is declined', async () => {
	const { ctx, page } = await signIn('learner');
	await page.goto(`${BASE}/courses/${course}`);
	await page.getByRole('link', { name: 'Ask the course tutor' }).click();
	pages.set('tutor-empty', await page.content());
	await page.getByLabel('Your question').fill('What is a primary key?');
	await page.getByRole('button', { name: 'Ask the tutor' }).click();
	let text = await page.textContent('body');
	assert.match(text, /You asked: What is a primary key\?/);
	assert.match(text, /primary key is/);
	assert.match(text, /Sources:/);
	assert.match(text, /0[13]_[a-z_]+\.md/);
	pages.set('tutor-answered', await page.content());
	await page.getByLabel('Your question').fill('Who painted the Mona Lisa?');
	await page.getByRole('button', { name: 'Ask the tutor' }).click();
	text = await page.textContent('body');
	assert.match(text, /I cannot answer this from the course material/);
	assert.ok(text.indexOf('What is a primary key?') < text.indexOf('Who painted the Mona Lisa?'), 'newest last');
	pages.set('tutor-declined', await page.content());
	await ctx.close();
});

test('material and tutor pages are valid HTML (Nu checker)', () => {
	assert.deepEqual(vnuErrors(pages), []);
});

test('material and tutor pages have no serious or critical accessibility violations (axe-core)', async () => {
	assert.deepEqual(await axeProblems(browser, BASE, pages), []);
});
