// The page checks every browser test runs on the pages it collected: the
// Nu HTML checker (vnu-jar, errors only) and axe-core (serious and critical
// violations).  Each returns a list of problems, empty when all is well,
// so a test asserts deepEqual(list, []) and the failure lists them all.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const modules = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules');

// pages: Map name -> HTML as served.  "file:line: message" per error.
export function vnuErrors(pages) {
	const dir = mkdtempSync(join(tmpdir(), 'adept-vnu-'));
	const files = [];
	for (const [name, html] of pages) {
		const f = join(dir, `${name}.html`);
		writeFileSync(f, html);
		files.push(f);
	}
	let out = '';
	try {
		execFileSync('java', ['-jar', join(modules, 'vnu-jar', 'build', 'dist', 'vnu.jar'),
			'--errors-only', '--format', 'json', ...files], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
	} catch (e) {
		out = e.stderr || e.stdout || String(e);
	}
	const messages = out ? JSON.parse(out).messages.filter((m) => m.type === 'error') : [];
	return messages.map((m) => `${m.url.split('/').pop()}:${m.lastLine}: ${m.message}`);
}

// Serves each captured page from base's origin (so its CSS loads) and runs
// axe-core on it.  "name: rule (impact): help — targets" per violation.
export async function axeProblems(browser, base, pages) {
	const axe = readFileSync(join(modules, 'axe-core', 'axe.min.js'), 'utf8');
	const ctx = await browser.newContext({ bypassCSP: true });
	const page = await ctx.newPage();
	const problems = [];
	for (const [name, html] of pages) {
		await page.route(base + '/__axe__', (route) => route.fulfill({ contentType: 'text/html', body: html }));
		await page.goto(base + '/__axe__');
		await page.addScriptTag({ content: axe });
		const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
		for (const v of result.violations)
			if (v.impact === 'serious' || v.impact === 'critical')
				problems.push(`${name}: ${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
		await page.unroute(base + '/__axe__');
	}
	await ctx.close();
	return problems;
}

// Debian's chromium, headless, with the flags this closed network needs
// (no background fetches that would be refused at every start).
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	'--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchBrowser() {
	return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}
