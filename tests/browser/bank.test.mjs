// The question bank in a real browser with JavaScript off: the demo
// instructor writes a single-choice and an ordering question (the order set
// with number inputs, no dragging), fixes a form error, edits, imports a
// GIFT file with errors (line-numbered report), then a good one, and
// downloads the export; a fixed question is regraded from its page.
// Every page visited (with errors included) goes through the Nu HTML
// checker and axe-core (tests/browser/check.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vnuErrors, axeProblems, launchBrowser } from './check.mjs';
import { sql } from '../integration/lib.mjs';

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

async function login(role) {
	const acct = readFileSync(join(process.env.ADEPT_VAR, 'demo-accounts.txt'), 'utf8')
		.trim().split('\n').map((l) => l.split(' ')).find((a) => a[0] === role);
	const ctx = await browser.newContext({ javaScriptEnabled: false, acceptDownloads: true });
	const page = await ctx.newPage();
	await page.goto(BASE + '/login');
	await page.getByLabel(/e-?mail/i).fill(acct[1]);
	await page.getByLabel('Password', { exact: true }).fill(acct[2]);
	await page.getByRole('button', { name: /sign in/i }).click();
	assert.match(page.url(), /\/dashboard/);
	return { ctx, page };
}

test('an instructor writes, fixes and edits questions with JavaScript off', async () => {
	const { ctx, page } = await login('instructor');
	await page.goto(BASE + '/teach/bank');
	await keep(page, 'bank-list');

	// Single choice, first with a mistake (no right answer chosen).
	await page.getByLabel('Question type').selectOption('single');
	await page.getByRole('button', { name: 'Write a question' }).click();
	assert.match(page.url(), /\/teach\/bank\/new\?kind=single/);
	await keep(page, 'bank-new-single');
	await page.getByLabel('Title (optional)').fill(`Capital ${RUN}`);
	await page.getByLabel('Question text').fill('What is the capital of **France**?');
	await page.locator('#option_1').fill('Paris');
	await page.locator('#feedback_1').fill('Right.');
	await page.locator('#option_2').fill('Lyon');
	await page.getByLabel(/^Difficulty/).fill('3');
	await page.getByRole('button', { name: 'Save question' }).click();
	assert.match(await page.textContent('main'), /exactly one correct option/);
	assert.equal(await page.locator('#option_1').inputValue(), 'Paris');
	await keep(page, 'bank-new-error');
	await page.locator('#correct_1').check();
	await page.getByRole('button', { name: 'Save question' }).click();
	assert.match(page.url(), /\/teach\/bank\/\d+\?saved=1/);
	assert.match(await page.textContent('body'), /The question has been saved/);
	await keep(page, 'bank-edit');

	// Edit: a third option.
	await page.locator('#option_3').fill('Marseille');
	await page.getByRole('button', { name: 'Save question' }).click();
	assert.equal(await page.locator('#option_3').inputValue(), 'Marseille');
	assert.ok(await page.locator('#correct_1').isChecked());

	// Regrade: once learners have answered (the version is locked; set
	// here), a fix writes version 2 and the page offers the regrade.
	const qid = page.url().match(/\/teach\/bank\/(\d+)/)[1];
	sql(`UPDATE question_versions SET locked = true WHERE question_id = ${qid}`);
	await page.locator('#feedback_2').fill('Lyon is not the capital.');
	await page.getByRole('button', { name: 'Save question' }).click();
	assert.match(page.url(), /\?saved=new/);
	await page.getByRole('button', { name: 'Regrade earlier answers' }).click();
	assert.match(page.url(), new RegExp(`/teach/bank/${qid}\\?regraded=1`));
	assert.match(await page.textContent('body'), /Regrade done, .* 0 answers re-scored, 0 attempts changed\./);
	await keep(page, 'bank-regraded');

	// Ordering: positions typed into number inputs give the right order.
	await page.goto(BASE + '/teach/bank/new?kind=ordering');
	await page.getByLabel('Question text').fill(`Order the planets from the Sun ${RUN}`);
	const items = [['Mars', '3'], ['Mercury', '1'], ['Earth', '2']];
	for (let i = 0; i < items.length; i++) {
		await page.locator(`#option_${i + 1}`).fill(items[i][0]);
		await page.locator(`#order_${i + 1}`).fill(items[i][1]);
	}
	await page.getByRole('button', { name: 'Save question' }).click();
	assert.match(page.url(), /\/teach\/bank\/\d+\?saved=1/);
	assert.equal(await page.locator('#option_1').inputValue(), 'Mercury');
	assert.equal(await page.locator('#option_2').inputValue(), 'Earth');
	assert.equal(await page.locator('#option_3').inputValue(), 'Mars');
	await keep(page, 'bank-edit-ordering');

	for (const kind of ['truefalse', 'numeric', 'short', 'multiple']) {
		await page.goto(BASE + `/teach/bank/new?kind=${kind}`);
		await keep(page, `bank-new-${kind}`);
	}
	await page.goto(BASE + '/teach/bank');
	assert.match(await page.textContent('main'), new RegExp(`Capital ${RUN}`));
	await keep(page, 'bank-list-full');
	await ctx.close();
});

test('an instructor imports GIFT (a bad file, then a good one) and exports', async () => {
	const { ctx, page } = await login('instructor');
	const dir = mkdtempSync(join(tmpdir(), 'adept-bank-'));
	const bad = join(dir, 'bad.gift');
	writeFileSync(bad, 'Good {=a ~b}\n\nMatching {=a -> 1}\n\nPi {#three}\n');
	await page.goto(BASE + '/teach/bank/import');
	await keep(page, 'bank-import');
	await page.getByLabel('Format').selectOption('gift');
	await page.getByLabel(/^File/).setInputFiles(bad);
	await page.getByRole('button', { name: 'Import' }).click();
	const text = await page.textContent('main');
	assert.match(text, /2 problems found; nothing was imported/);
	assert.match(text, /Line 3: matching questions/);
	assert.match(text, /Line 5: "three" is not a number/);
	await keep(page, 'bank-import-errors');

	await page.getByLabel('Or paste the questions').fill(`::Imported ${RUN}::2+2? {#4}\n\nSky is blue {T}\n`);
	await page.getByRole('button', { name: 'Import' }).click();
	assert.match(page.url(), /\/teach\/bank\?imported=2/);
	assert.match(await page.textContent('body'), /Imported 2 questions/);
	assert.match(await page.textContent('main'), new RegExp(`Imported ${RUN}`));

	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: 'Export as GIFT' }).click(),
	]);
	assert.equal(download.suggestedFilename(), 'question-bank.gift.txt');
	const gift = readFileSync(await download.path(), 'utf8');
	assert.match(gift, new RegExp(`::Imported ${RUN}::\\[markdown\\]2\\+2\\? \\{#`));
	await ctx.close();
});

test('bank pages are valid HTML (Nu checker)', () => {
	assert.ok(pages.size >= 11, `collected ${pages.size} pages`);
	assert.deepEqual(vnuErrors(pages), []);
});

test('bank pages have no serious or critical accessibility violations (axe-core)', async () => {
	assert.deepEqual(await axeProblems(browser, BASE, pages), []);
});
