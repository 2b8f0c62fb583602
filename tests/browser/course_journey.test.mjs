// The course journey of issue 4 in a real browser (Debian's chromium via
// playwright-core) with JavaScript disabled: an instructor creates a course
// with two modules and three lessons and submits it; an admin approves it;
// a new learner finds it in the catalog by a word from a lesson body,
// enrols, opens a lesson, marks it complete and sees the progress on the
// lesson, the course page and the dashboard, and finds the module's quiz
// from the syllabus.  Every learner page visited
// goes through the Nu HTML checker and axe-core (tests/browser/check.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vnuErrors, axeProblems, launchBrowser } from './check.mjs';
import { sql } from '../integration/lib.mjs';

const BASE = process.env.ADEPT_URL || 'http://127.0.0.1:18080';
const RUN = `${process.pid}${Date.now() % 100000}`;
// A made-up word that only this run's lesson contains.
const WORD = `axolotl${RUN}`;
const TITLE = `Journey course ${RUN}`;

let browser;
const pages = new Map();	// name -> HTML as served

before(async () => {
	browser = await launchBrowser();
});

after(async () => {
	await browser?.close();
});

async function keep(page, name) {
	pages.set(name, await page.content());
}

function account(role) {
	const accounts = readFileSync(join(process.env.ADEPT_VAR, 'demo-accounts.txt'), 'utf8')
		.trim().split('\n').map((l) => l.split(' '));
	return accounts.find((a) => a[0] === role);
}

async function login(role) {
	const ctx = await browser.newContext({ javaScriptEnabled: false });
	const page = await ctx.newPage();
	const acct = account(role);
	await page.goto(BASE + '/login');
	await page.getByLabel(/e-?mail/i).fill(acct[1]);
	await page.getByLabel('Password', { exact: true }).fill(acct[2]);
	await page.getByRole('button', { name: /sign in/i }).click();
	assert.match(page.url(), /\/dashboard/);
	return { ctx, page };
}

async function addLesson(page, moduleTitle, title, body) {
	await page.locator('li.module', { hasText: moduleTitle }).getByRole('link', { name: 'Add a lesson' }).click();
	await page.getByLabel('Title').fill(title);
	await page.getByLabel('Estimated minutes').fill('10');
	await page.getByLabel('Body (Markdown)').fill(body);
	await page.getByRole('button', { name: 'Save lesson' }).click();
	assert.match(page.url(), /\/teach\/lessons\/\d+\?saved=1/);
	await page.getByRole('link', { name: /Back to/ }).click();
}

test('instructor creates and submits, admin approves, a learner finds the course by a lesson word, enrols, completes a lesson and sees progress', async () => {
	// The instructor's part (the authoring pages' own labels).
	let { ctx, page } = await login('instructor');
	await page.goto(BASE + '/teach/courses/new');
	await page.getByLabel('Title').fill(TITLE);
	await page.getByLabel('Language').fill('en');
	await page.getByLabel('Summary').fill('A course built in a browser for the catalog journey.');
	await page.getByRole('button', { name: 'Create course' }).click();
	assert.match(page.url(), /\/teach\/courses\/\d+\?created=1/);
	const courseId = page.url().match(/\/teach\/courses\/(\d+)/)[1];
	for (const m of ['First steps', 'Next steps']) {
		await page.getByLabel('New module title').fill(m);
		await page.getByRole('button', { name: 'Add module' }).click();
	}
	await addLesson(page, 'First steps', 'Hello', '# Hello\n\nWelcome to the course.');
	await addLesson(page, 'First steps', 'Creatures', `The **${WORD}** can regrow its limbs.`);
	await addLesson(page, 'Next steps', 'Goodbye', 'That is all.');
	await page.getByRole('button', { name: 'Submit for review' }).click();
	assert.match(await page.textContent('main'), /In review/);
	await ctx.close();

	// Not in the catalog while in review.
	({ ctx, page } = await login('learner'));
	await page.goto(BASE + '/catalog?q=' + WORD);
	assert.doesNotMatch(await page.textContent('main'), new RegExp(TITLE));
	await ctx.close();

	({ ctx, page } = await login('admin'));
	await page.goto(BASE + '/admin/reviews');
	await page.getByRole('button', { name: `Approve and publish ${TITLE}` }).click();
	assert.match(await page.textContent('main'), /published/i);
	await ctx.close();

	// A new learner.
	ctx = await browser.newContext({ javaScriptEnabled: false });
	page = await ctx.newPage();
	await page.goto(BASE + '/register');
	await page.getByLabel('Name').fill('Journey Learner');
	await page.getByLabel(/e-?mail/i).fill(`journey-${RUN}@example.org`);
	await page.getByLabel('Password', { exact: true }).fill('journey password 1');
	await page.getByLabel(/repeat|confirm/i).fill('journey password 1');
	await page.getByRole('button', { name: /create account|register/i }).click();
	assert.match(page.url(), /\/dashboard/);

	await page.getByRole('link', { name: 'Catalog', exact: true }).click();
	assert.match(page.url(), /\/catalog$/);
	await keep(page, 'catalog');
	// Typing most of the word is enough: the last word is a prefix.
	await page.getByLabel('Search courses').fill(WORD.slice(0, -2));
	await page.getByRole('button', { name: 'Search' }).click();
	assert.match(page.url(), /\/catalog\?q=/);
	const results = await page.textContent('.catalog-results');
	assert.match(results, new RegExp(TITLE));
	assert.match(results, /In the lesson “Creatures”/);
	assert.equal(await page.locator('.catalog-results mark').first().textContent(), WORD);
	await keep(page, 'catalog-search');

	// A quiz attached to module 2 (written in SQL: the quiz editor is
	// tested elsewhere) is linked from the syllabus.
	const quiz = sql(`INSERT INTO assessments (owner_id, title, module_id)
		SELECT c.author_id, 'Next steps quiz', m.id FROM courses c JOIN modules m ON m.course_id = c.id
		WHERE c.id = ${courseId} ORDER BY m.position DESC LIMIT 1 RETURNING id`).split('\n')[0];
	await page.getByRole('link', { name: TITLE }).click();
	assert.match(page.url(), new RegExp(`/courses/${courseId}$`));
	let main = await page.textContent('main');
	assert.match(main, /Module 1: First steps[\s\S]*Hello[\s\S]*Creatures[\s\S]*Module 2: Next steps[\s\S]*Goodbye/);
	assert.match(main, /Ivan Instructor/);
	await keep(page, 'course');
	await page.getByRole('button', { name: 'Enrol in this course' }).click();
	assert.match(await page.textContent('main'), /You are enrolled/);
	assert.match(await page.textContent('main'), /0% complete \(0 of 3 lessons\)/);
	await keep(page, 'course-enrolled');
	await page.getByRole('link', { name: 'Next steps quiz' }).click();
	assert.match(page.url(), new RegExp(`/quizzes/${quiz}$`));
	await page.goBack();

	await page.getByRole('link', { name: 'Start: Hello' }).click();
	assert.match(await page.textContent('main'), /Lesson 1 of 3/);
	assert.equal(await page.textContent('h1'), 'Hello');
	await keep(page, 'lesson');
	await page.getByRole('button', { name: 'Mark complete' }).click();
	main = await page.textContent('main');
	assert.match(main, /Lesson marked complete/);
	assert.match(main, /33% of the course complete \(1 of 3 lessons\)/);
	assert.match(main, /You have completed this lesson/);
	await keep(page, 'lesson-done');
	await page.getByRole('link', { name: 'Next: Creatures' }).click();
	assert.match(await page.innerHTML('.lesson-body'), new RegExp(`<strong>${WORD}</strong>`));

	await page.goto(BASE + `/courses/${courseId}`);
	main = await page.textContent('main');
	assert.match(main, /33% complete \(1 of 3 lessons\)/);
	assert.match(main, /Hello text · 10 min Completed/);
	assert.match(main, /Creatures text · 10 min In progress/);
	await page.getByRole('link', { name: 'Resume where you left off: Creatures' }).waitFor();

	await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
	main = await page.textContent('main');
	assert.match(main, new RegExp(`${TITLE}\\s*33% complete`));
	await keep(page, 'dashboard-enrolled');
	await page.getByRole('link', { name: `Resume ${TITLE}` }).click();
	assert.equal(await page.textContent('h1'), 'Creatures');

	// The catalog's other states: no match, bad input, filters.
	await page.goto(BASE + '/catalog?q=the');
	assert.match(await page.textContent('main'), /no words we can look for/);
	await keep(page, 'catalog-stopwords');
	await page.goto(BASE + '/catalog?q=' + 'x'.repeat(201));
	assert.match(await page.textContent('[role=alert]'), /Search/);
	await keep(page, 'catalog-error');
	await page.goto(BASE + '/catalog');
	await page.getByLabel('Level').selectOption('advanced');
	await page.getByLabel('Duration').selectOption('10plus');
	await page.getByRole('button', { name: 'Search' }).click();
	assert.match(page.url(), /level=advanced/);
	await keep(page, 'catalog-filtered');
	await ctx.close();
});

test('with JavaScript on, the heartbeat reports time on the lesson (optional script, same-origin, CSRF header)', { timeout: 60000 }, async () => {
	const ctx = await browser.newContext({ javaScriptEnabled: true });
	const page = await ctx.newPage();
	page.setDefaultTimeout(15000);
	await page.goto(BASE + '/register');
	await page.getByLabel('Name').fill('Heartbeat Learner');
	await page.getByLabel(/e-?mail/i).fill(`heartbeat-${RUN}@example.org`);
	await page.getByLabel('Password', { exact: true }).fill('journey password 1');
	await page.getByLabel(/repeat|confirm/i).fill('journey password 1');
	await page.getByRole('button', { name: /create account|register/i }).click();
	await page.goto(BASE + '/catalog?q=' + WORD);
	await page.getByRole('link', { name: TITLE }).click();
	await page.getByRole('button', { name: 'Enrol in this course' }).click();
	await page.getByRole('link', { name: 'Start: Hello' }).click();
	const url = await page.getAttribute('#lesson-heartbeat', 'data-url');
	// Hiding the page sends what was seen so far (the 30 s timer does the
	// same while visible); wait a little so there is a second to report.
	await page.waitForTimeout(2200);
	const sent = page.waitForResponse((r) => r.url() === BASE + url && r.request().method() === 'POST', { timeout: 15000 });
	await page.evaluate(() => {
		Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
		document.dispatchEvent(new Event('visibilitychange'));
	});
	const res = await sent;
	assert.equal(res.status(), 200);
	// (The response body of a page's own fetch is not read here: playwright
	// may not keep it.)  The course's JSON twin shows the time recorded.
	const courseUrl = await page.getAttribute('.breadcrumb a', 'href');
	const j = await (await page.request.get(BASE + '/api/v1' + courseUrl)).json();
	const hello = j.modules[0].lessons.find((l) => l.title === 'Hello');
	assert.ok(hello.time_spent_seconds >= 2 && hello.time_spent_seconds <= 5, `time ${hello.time_spent_seconds}`);
	await ctx.close();
});

test('learner pages are valid HTML (Nu checker)', () => {
	assert.ok(pages.size >= 9, `collected ${pages.size} pages`);
	assert.deepEqual(vnuErrors(pages), []);
});

test('learner pages have no serious or critical accessibility violations (axe-core)', async () => {
	assert.deepEqual(await axeProblems(browser, BASE, pages), []);
});
