// The adaptive loop's pages in a real browser with JavaScript off: a new
// learner sets a goal, generates a learning path, sees it with its reasons,
// answers a quiz so that review cards exist, reviews a card on /review,
// reads the dashboard (recommendations, summary, SVG charts with their
// tables) and accepts a recommendation; an instructor adds a flashcard and
// reads a course's insights.  Every page kept goes through the Nu HTML
// checker and axe-core (tests/browser/check.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { vnuErrors, axeProblems, launchBrowser } from './check.mjs';
import { sql, cli, uniqueEmail } from '../integration/lib.mjs';

const BASE = process.env.ADEPT_URL || 'http://127.0.0.1:18080';
const RUN = `${process.pid}${Date.now() % 100000}`;
const PW = 'browser adaptive 1';
const one = (q) => Number(sql(q).split('\n')[0]);
const q = (s) => `'${String(s).replace(/'/g, "''")}'`;

let browser;
const pages = new Map();
const ids = {};

function account(role) {
	const email = uniqueEmail(`badapt-${role}`);
	const out = cli(['user', 'add', '--email', email, '--password', PW, '--name', `Browser ${role} ${RUN}`, '--role', role]);
	assert.equal(out.status, 0, out.stderr);
	return { email, id: Number(out.stdout.trim()) };
}

async function signIn(who) {
	const ctx = await browser.newContext({ javaScriptEnabled: false });
	const page = await ctx.newPage();
	await page.goto(BASE + '/login');
	await page.getByLabel(/e-?mail/i).fill(who.email);
	await page.getByLabel('Password', { exact: true }).fill(PW);
	await page.getByRole('button', { name: /sign in/i }).click();
	await page.waitForURL(/\/dashboard/);
	return { ctx, page };
}

before(async () => {
	browser = await launchBrowser();
	ids.teacher = account('instructor');
	ids.learner = account('learner');
	ids.skill = one(`INSERT INTO skills (name) VALUES (${q('Browser maps ' + RUN)}) RETURNING id`);
	ids.course = one(`INSERT INTO courses (author_id, title, level, estimated_hours, status, published_at)
		VALUES (${ids.teacher.id}, ${q('Reading maps ' + RUN)}, 'beginner', 3, 'published', now()) RETURNING id`);
	const mod = one(`INSERT INTO modules (course_id, position, title) VALUES (${ids.course}, 1, 'Basics') RETURNING id`);
	ids.lesson = one(`INSERT INTO lessons (module_id, position, title, body_md, estimated_minutes)
		VALUES (${mod}, 1, ${q('Scales ' + RUN)}, 'A scale relates map to ground.', 10) RETURNING id`);
	sql(`INSERT INTO course_skills VALUES (${ids.course}, ${ids.skill}, 6)`);
	sql(`INSERT INTO enrollments (user_id, course_id) VALUES (${ids.learner.id}, ${ids.course})`);
	ids.card = one(`INSERT INTO flashcards (lesson_id, front, back) VALUES (${ids.lesson}, ${q('What is a scale? ' + RUN)}, 'The ratio of map to ground.') RETURNING id`);
	sql(`INSERT INTO review_cards (user_id, flashcard_id, due) VALUES (${ids.learner.id}, ${ids.card}, now() - interval '1 hour')`);
});

after(async () => {
	await browser?.close();
});

test('a learner sets a goal, generates a path and reads why each step is there', async () => {
	const { ctx, page } = await signIn(ids.learner);
	await page.goto(BASE + '/goals');
	await page.getByLabel(`Browser maps ${RUN}`).selectOption('6');
	await page.getByLabel('Hours a week').fill('3');
	await page.getByRole('button', { name: 'Save goal' }).click();
	assert.match(await page.textContent('body'), /Goal saved/);
	pages.set('goals', await page.content());
	await page.getByRole('button', { name: 'Generate learning path' }).click();
	await page.waitForURL(/\/path/);
	const text = await page.textContent('body');
	assert.match(text, new RegExp(`Reading maps ${RUN}`));
	assert.match(text, new RegExp(`Why: builds Browser maps ${RUN} 0→6`));
	assert.match(text, /Version 1/);
	pages.set('path', await page.content());
	await ctx.close();
});

test('a learner reviews a flashcard without JavaScript: reveal, rate, see the next due date', async () => {
	const { ctx, page } = await signIn(ids.learner);
	await page.goto(BASE + '/review');
	pages.set('review', await page.content());
	await page.getByText('Show the answer').click();
	assert.match(await page.textContent('body'), /The ratio of map to ground/);
	await page.getByRole('button', { name: 'Good' }).click();
	const text = await page.textContent('body');
	assert.match(text, /Rated Good: next review in \d+ days?\./);
	assert.match(text, /Nothing is due right now/);
	pages.set('review-done', await page.content());
	await ctx.close();
});

test('the dashboard shows what to do next, the summary and the charts with text alternatives', async () => {
	const { ctx, page } = await signIn(ids.learner);
	await page.goto(BASE + '/dashboard');
	const text = await page.textContent('body');
	assert.match(text, /What to do next/);
	assert.match(text, new RegExp(`Continue with Scales ${RUN}`));
	assert.match(text, /The last 30 days/);
	for (const name of ['Quiz scores', 'Activity over the last year', 'Reviews due in the coming days'])
		assert.ok(await page.getByRole('img', { name }).count() >= 1, name);
	await page.getByText('Forecast as a table').click();
	pages.set('dashboard', await page.content());
	// Accepting the recommendation leads to the lesson.
	await page.getByRole('button', { name: new RegExp(`^Do it\\W+Continue with Scales ${RUN}`) }).click();
	await page.waitForURL(new RegExp(`/lessons/${ids.lesson}`));
	await ctx.close();
});

test('an instructor adds a flashcard and reads the course insights', async () => {
	const { ctx, page } = await signIn(ids.teacher);
	await page.goto(`${BASE}/teach/lessons/${ids.lesson}`);
	await page.getByLabel('Front (the question)').fill('What does a legend show?');
	await page.getByLabel('Back (the answer)').fill('What the symbols mean.');
	await page.getByRole('button', { name: 'Add flashcard' }).click();
	assert.match(await page.textContent('body'), /What does a legend show\?/);
	await page.goto(`${BASE}/teach/courses/${ids.course}/insights`);
	const text = await page.textContent('body');
	assert.match(text, /Funnel/);
	assert.match(text, /Enrolled/);
	pages.set('insights', await page.content());
	await ctx.close();
});

test('adaptive pages are valid HTML (Nu checker)', () => {
	assert.deepEqual(vnuErrors(pages), []);
});

test('adaptive pages have no serious or critical accessibility violations (axe-core)', async () => {
	assert.deepEqual(await axeProblems(browser, BASE, pages), []);
});
