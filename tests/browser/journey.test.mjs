// A real browser (Debian's chromium, driven by playwright-core) with
// JavaScript disabled: register, sign out, sign in, see the dashboard.
// Every page visited is checked by the Nu HTML checker (vnu-jar) and by
// axe-core (no serious or critical violations).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vnuErrors, axeProblems, launchBrowser } from './check.mjs';

const BASE = process.env.ADEPT_URL || 'http://127.0.0.1:18080';

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

test('register, sign out, sign in and see the dashboard with JavaScript off', async () => {
	const ctx = await browser.newContext({ javaScriptEnabled: false });
	const page = await ctx.newPage();
	const email = `browser-${Date.now()}@example.org`;

	await page.goto(BASE + '/');
	await keep(page, 'landing');
	await page.getByRole('link', { name: /create a free account/i }).click();
	assert.match(page.url(), /\/register$/);
	await keep(page, 'register');
	await page.getByLabel('Name').fill('Ada Lovelace');
	await page.getByLabel(/e-?mail/i).fill(email);
	await page.getByLabel('Password', { exact: true }).fill('analytical engine 1');
	await page.getByLabel(/repeat|confirm/i).fill('analytical engine 1');
	await page.getByRole('button', { name: /create account|register/i }).click();

	assert.match(page.url(), /\/dashboard/);
	await assert.doesNotReject(page.getByRole('heading', { level: 1 }).waitFor());
	const text = await page.textContent('main');
	assert.match(text, /Ada Lovelace/);
	assert.match(text, /Learner/);
	await keep(page, 'dashboard-empty');

	await page.goto(BASE + '/account');
	await keep(page, 'account');

	await page.getByRole('button', { name: /sign out/i }).click();
	await page.goto(BASE + '/dashboard');
	assert.match(page.url(), /\/login/);

	// A wrong password first: the form says so and keeps the e-mail.
	await page.getByLabel(/e-?mail/i).fill(email);
	await page.getByLabel('Password', { exact: true }).fill('wrong');
	await page.getByRole('button', { name: /sign in/i }).click();
	assert.match(await page.textContent('main'), /Wrong e-mail or password/);
	assert.equal(await page.getByLabel(/e-?mail/i).inputValue(), email);
	await keep(page, 'login-error');

	await page.getByLabel('Password', { exact: true }).fill('analytical engine 1');
	await page.getByRole('button', { name: /sign in/i }).click();
	assert.match(page.url(), /\/dashboard/);
	assert.match(await page.textContent('main'), /Ada Lovelace/);

	await page.goto(BASE + '/no-such-page');
	await keep(page, 'not-found');
	await ctx.close();
});

test('the demo learner sees the seeded course with progress; admin sees users', async () => {
	const accounts = readFileSync(join(process.env.ADEPT_VAR, 'demo-accounts.txt'), 'utf8')
		.trim().split('\n').map((l) => l.split(' '));
	const login = async (role, email) => {
		const ctx = await browser.newContext({ javaScriptEnabled: false });
		const page = await ctx.newPage();
		const acct = accounts.find((a) => a[0] === role && (!email || a[1] === email));
		await page.goto(BASE + '/login');
		await page.getByLabel(/e-?mail/i).fill(acct[1]);
		await page.getByLabel('Password', { exact: true }).fill(acct[2]);
		await page.getByRole('button', { name: /sign in/i }).click();
		return { ctx, page };
	};
	let { ctx, page } = await login('learner', 'learner@example.com');
	assert.match(await page.textContent('main'), /Foundations of Statistics/);
	assert.match(await page.textContent('main'), /\d+\s*%/);
	await keep(page, 'dashboard-courses');
	await ctx.close();

	({ ctx, page } = await login('admin'));
	await page.goto(BASE + '/admin/users');
	assert.match(await page.textContent('main'), /learner2@example\.com/);
	await keep(page, 'admin-users');
	await ctx.close();
});

test('pages are valid HTML (Nu checker)', () => {
	assert.ok(pages.size >= 7, `collected ${pages.size} pages`);
	assert.deepEqual(vnuErrors(pages), []);
});

test('pages have no serious or critical accessibility violations (axe-core)', async () => {
	assert.deepEqual(await axeProblems(browser, BASE, pages), []);
});
