// The instructor pages in a real browser (Debian's chromium via
// playwright-core) with JavaScript disabled: an instructor adds a skill,
// creates a course with two modules and three lessons (reordering with the
// move buttons, previewing Markdown), submits it; an admin sees it in the
// review queue, approves it and deletes a lesson of the now published
// course through its confirmation page.  Every page visited (forms with and
// without errors included) goes through the Nu HTML checker and axe-core,
// (tests/browser/check.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vnuErrors, axeProblems, launchBrowser } from './check.mjs';

const BASE = process.env.ADEPT_URL || 'http://127.0.0.1:18080';
const RUN = `${process.pid}${Date.now() % 100000}`;

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
	await page.getByLabel('Estimated minutes').fill('15');
	await page.getByLabel('Body (Markdown)').fill(body);
	await page.getByRole('button', { name: 'Save lesson' }).click();
	assert.match(page.url(), /\/teach\/lessons\/\d+\?saved=1/);
	await page.getByRole('link', { name: /Back to/ }).click();
}

test('an instructor builds a course with two modules and three lessons and submits it; an admin approves', async () => {
	const title = `Browser course ${RUN}`;
	let { ctx, page } = await login('instructor');

	await page.getByRole('link', { name: 'Teach', exact: true }).click();
	assert.match(page.url(), /\/teach$/);
	await keep(page, 'teach-list');

	// A skill first (and the duplicate error).
	await page.getByRole('link', { name: 'Skills' }).click();
	await page.getByLabel('Name').fill(`Browsing ${RUN}`);
	await page.getByRole('button', { name: 'Add skill' }).click();
	assert.match(await page.textContent('main'), new RegExp(`Browsing ${RUN}`));
	await keep(page, 'skills');
	await page.getByLabel('Name').fill(`BROWSING ${RUN}`);
	await page.getByRole('button', { name: 'Add skill' }).click();
	assert.match(await page.textContent('main'), /already exists/);
	await keep(page, 'skills-duplicate');

	// The course form, first with an error.
	await page.goto(BASE + '/teach/courses/new');
	await keep(page, 'teach-new');
	await page.getByLabel('Title').fill(title);
	await page.getByLabel('Language').fill('english!');
	await page.getByRole('button', { name: 'Create course' }).click();
	assert.match(await page.textContent('main'), /language code/);
	await keep(page, 'teach-new-error');
	await page.getByLabel('Language').fill('en');
	await page.getByLabel('Summary').fill('Made in a browser without JavaScript.');
	await page.getByLabel('Skill taught 1').selectOption({ label: `Browsing ${RUN}` });
	await page.getByLabel('Target level 1').fill('6');
	await page.getByRole('button', { name: 'Create course' }).click();
	assert.match(page.url(), /\/teach\/courses\/\d+\?created=1/);
	const courseUrl = page.url().replace(/\?.*/, '');
	assert.match(await page.textContent('main'), /Draft/);

	for (const m of ['Getting started', 'Going further']) {
		await page.getByLabel('New module title').fill(m);
		await page.getByRole('button', { name: 'Add module' }).click();
	}
	// A cover image (a real 1x1 PNG), uploaded as multipart.
	await page.getByLabel(/Image file/).setInputFiles({ name: 'cover.png', mimeType: 'image/png',
		buffer: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64') });
	await page.getByRole('button', { name: 'Upload cover' }).click();
	assert.match(await page.textContent('main'), /cover image has been updated/);
	const src = await page.getAttribute('img.cover', 'src');
	assert.match(src, /^\/uploads\/\d+$/);
	const img = await page.request.get(BASE + src);
	assert.equal(img.status(), 200);
	assert.equal(img.headers()['content-type'], 'image/png');
	await addLesson(page, 'Getting started', 'Welcome', '# Welcome\n\nThe word *zebrafish* is here.');
	await addLesson(page, 'Getting started', 'Setup', 'Install things.');
	await addLesson(page, 'Going further', 'Deeper', '- one\n- two');
	await keep(page, 'teach-course');

	// Reorder without JavaScript: move "Setup" up.
	await page.getByRole('button', { name: 'Move lesson Setup up' }).click();
	const outline = await page.textContent('.outline');
	assert.ok(outline.indexOf('Setup') < outline.indexOf('Welcome'), 'Setup now first');
	await page.getByRole('button', { name: 'Move module 2 up' }).click();
	const outline2 = await page.textContent('.outline');
	assert.ok(outline2.indexOf('Going further') < outline2.indexOf('Getting started'));

	// The lesson editor with its preview.
	await page.getByRole('link', { name: 'Welcome' }).click();
	assert.match(await page.innerHTML('.preview'), /<em>zebrafish<\/em>/);
	await page.getByLabel('Body (Markdown)').fill('## Changed\n\nStill *zebrafish*.');
	await page.getByRole('button', { name: 'Preview' }).click();
	assert.match(await page.innerHTML('.preview'), /<h2>Changed<\/h2>/);
	await keep(page, 'teach-lesson');
	await page.goto(`${BASE}/teach/modules/${await page.getByLabel('Module', { exact: true }).inputValue()}`);
	await keep(page, 'teach-module');

	await page.goto(courseUrl);
	await page.getByRole('button', { name: 'Submit for review' }).click();
	assert.match(await page.textContent('main'), /In review/);
	await page.getByRole('link', { name: 'Delete course' }).click();
	await keep(page, 'teach-delete');
	await ctx.close();

	({ ctx, page } = await login('admin'));
	await page.goto(BASE + '/admin/reviews');
	assert.match(await page.textContent('main'), new RegExp(title));
	await keep(page, 'reviews');
	// Blanks pass the browser's "required" but not the server.
	await page.locator('li.card', { hasText: title }).getByLabel(/Note to the author/).fill('   ');
	await page.getByRole('button', { name: `Reject ${title} with this note` }).click();
	assert.match(page.url(), /\/admin\/reviews\/\d+\/reject$/);
	assert.match(await page.textContent('main'), /Note is required/);
	await keep(page, 'reviews-error');
	await page.goto(BASE + '/admin/reviews');
	await page.getByRole('button', { name: `Approve and publish ${title}` }).click();
	assert.match(await page.textContent('main'), /published/i);
	await page.goto(courseUrl);
	assert.match(await page.textContent('main'), /Published/);
	await keep(page, 'teach-course-published');
	// Published: a lesson is deleted through its confirmation page.
	await page.getByRole('link', { name: 'Delete lesson Deeper' }).click();
	assert.match(await page.textContent('main'), /Learners with progress in it: 0\./);
	await keep(page, 'teach-delete-lesson');
	await page.getByLabel(/I understand that learners can see this course/).check();
	await page.getByRole('button', { name: 'Delete lesson' }).click();
	assert.equal(page.url().replace(/\?.*/, ''), courseUrl);
	assert.doesNotMatch(await page.textContent('.outline'), /Deeper/);
	await ctx.close();
});

test('teach pages are valid HTML (Nu checker)', () => {
	assert.ok(pages.size >= 10, `collected ${pages.size} pages`);
	assert.deepEqual(vnuErrors(pages), []);
});

test('teach pages have no serious or critical accessibility violations (axe-core)', async () => {
	assert.deepEqual(await axeProblems(browser, BASE, pages), []);
});
