// The exam-start spike (issue 5), driven by tests/bench/web_quiz.sh against
// a throwaway stack: N learners (default 1,000) start the same quiz within
// one second (start times spread uniformly over it) and each answers its
// 10 questions through the JSON twins.  Two runs, each on a quiz of its own
// (fresh questions and skill), by the same signed-in learners:
//
//   exam   the workload the target is judged on: before each answer the
//          learner reads the question, a think time drawn uniformly from
//          0 to 2 x SPIKE_THINK_MS (default mean 5 s).  A real exam start
//          is a thousand people clicking "start" within a second, then
//          reading; 5 s for a multiple-choice question is brisk (it errs
//          towards more load, not less), and nobody answers ten questions
//          in the time a server takes to answer one.
//   stress the same with no think time (answers back to back): a
//          throughput figure, not the target's workload.
//
// Measures the wall-clock latency of every request (performance.now()
// around the request, so client queueing is included), reports p50/p99/max
// per kind and overall, requests/s, the server's CPU per request (the
// PostgreSQL cluster, the FastCGI supervisor and its workers, nginx: read
// from /proc, much less load-dependent than latency), then counts in
// PostgreSQL what the clients were acknowledged against what was stored:
// lost answers (acknowledged, not stored), unacknowledged but stored, and
// duplicates (responses per (attempt, seq), the item statistics' totals and
// the learner model's answer counts).  Exit status 1 if any answer is lost
// or duplicated in either run.
//
// Environment: ADEPT_URL, ADEPT_VAR, ADEPT_PGPORT, ADEPT_BIN (as the
// integration tests), SPIKE_LEARNERS (1000), SPIKE_WINDOW_MS (1000),
// SPIKE_CONNS (256), SPIKE_THINK_MS (5000: the exam run's mean think time),
// SPIKE_RUNS ("exam,stress").
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';

const BASE = process.env.ADEPT_URL;
const VAR = process.env.ADEPT_VAR;
const N = Number(process.env.SPIKE_LEARNERS || 1000);
const WINDOW = Number(process.env.SPIKE_WINDOW_MS || 1000);
const CONNS = Number(process.env.SPIKE_CONNS || 256);
const THINK = Number(process.env.SPIKE_THINK_MS ?? 5000);
const RUNS = (process.env.SPIKE_RUNS || 'exam,stress').split(',');
const NQ = 10;
// The learners share CONNS keep-alive connections (as behind a proxy):
// the dev nginx (2 workers x 1,024 connections, one upstream connection
// per request) cannot hold 1,000 client sockets at once.  A request's time
// includes any wait for a free connection.
const agent = new http.Agent({ keepAlive: true, maxSockets: CONNS });
const PW = 'spike password 1';
const TAG = `${process.pid}${Date.now() % 100000}`;

function sql(q) {
	return execFileSync('psql', ['-h', `${VAR}/run`, '-p', process.env.ADEPT_PGPORT, '-U', 'adept', '-d', 'adept',
		'-qAt', '-v', 'ON_ERROR_STOP=1', '-c', q], { encoding: 'utf8' }).trim();
}

function post(path, body, tok) {
	const data = JSON.stringify(body);
	const h = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) };
	if (tok) h.authorization = `Bearer ${tok}`;
	return new Promise((resolve) => {
		const req = http.request(BASE + path, { method: 'POST', headers: h, agent }, (res) => {
			let text = '';
			res.setEncoding('utf8');
			res.on('data', (c) => { text += c; });
			res.on('end', () => resolve({ status: res.statusCode, text }));
			res.on('error', (e) => resolve({ status: 0, text: String(e) }));
		});
		req.on('error', (e) => resolve({ status: 0, text: String(e) }));
		req.end(data);
	});
}

async function login(email) {
	for (let i = 0; i < 5; i++) {
		const r = await post('/api/v1/auth/login', { email, password: PW });
		if (r.status === 200)
			return JSON.parse(r.text).access_token;
		await new Promise((res) => setTimeout(res, 200));
	}
	throw new Error(`login failed for ${email}`);
}

function pct(a, p) {
	if (a.length === 0) return NaN;
	const s = [...a].sort((x, y) => x - y);
	return s[Math.min(s.length - 1, Math.ceil(p / 100 * s.length) - 1)];
}

async function pool(items, width, fn) {
	let i = 0;
	const out = [];
	await Promise.all(Array.from({ length: width }, async () => {
		while (i < items.length) {
			const k = i++;
			out[k] = await fn(items[k], k);
		}
	}));
	return out;
}

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

// ---- server CPU (clock ticks of the stack's process trees) -------------
function firstLine(f) {
	try { return Number(readFileSync(f, 'utf8').split('\n')[0]); } catch { return 0; }
}

function serverTicks() {
	const kids = new Map();
	const ticks = new Map();
	for (const d of readdirSync('/proc')) {
		if (!/^\d+$/.test(d)) continue;
		let st;
		try { st = readFileSync(`/proc/${d}/stat`, 'utf8'); } catch { continue; }
		const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
		const pid = Number(d), ppid = Number(f[1]);
		ticks.set(pid, Number(f[11]) + Number(f[12]));
		if (!kids.has(ppid)) kids.set(ppid, []);
		kids.get(ppid).push(pid);
	}
	const tree = (pid) => {
		if (!pid || !ticks.has(pid)) return 0;
		return ticks.get(pid) + (kids.get(pid) || []).reduce((s, k) => s + tree(k), 0);
	};
	return {
		pg: tree(firstLine(`${VAR}/run/.s.PGSQL.${process.env.ADEPT_PGPORT}.lock`)),
		fcgi: tree(firstLine(`${VAR}/run/adept.pid`)),
		nginx: tree(firstLine(`${VAR}/run/nginx.pid`)),
	};
}

// ---- set-up -----------------------------------------------------------
const teacherEmail = `spike-teacher-${TAG}@example.com`;
execFileSync(process.env.ADEPT_BIN, ['user', 'add', '--email', teacherEmail, '--password', PW, '--name', 'Spike teacher',
	'--role', 'instructor'], { encoding: 'utf8', env: process.env });
sql(`INSERT INTO users (email, full_name, password_hash)
     SELECT 'spike-${TAG}-' || g || '@example.com', 'Spike ' || g, u.password_hash
     FROM generate_series(1, ${N}) g, users u WHERE u.email = '${teacherEmail}'`);
const t0 = performance.now();
const teacher = await login(teacherEmail);

// A quiz of NQ single-choice questions on a skill of its own.
async function makeQuiz(name) {
	const skill = JSON.parse((await post('/api/v1/skills', { name: `Spike skill ${name} ${TAG}` }, teacher)).text).id;
	const questions = [];
	for (let i = 1; i <= NQ; i++) {
		const r = await post('/api/v1/bank/questions', { kind: 'single', stem: `Spike ${name} question ${i}`,
			difficulty: 1 + (i % 10), skills: String(skill), option_1: 'right', option_2: 'wrong',
			option_3: 'also wrong', correct: 1 }, teacher);
		if (r.status !== 201) throw new Error(r.text);
		questions.push(JSON.parse(r.text));
	}
	const quiz = JSON.parse((await post('/api/v1/assessments', { title: `Spike ${name} ${TAG}`,
		time_limit_minutes: 30 }, teacher)).text).id;
	for (const q of questions)
		await post(`/api/v1/assessments/${quiz}/questions`, { question_id: q.id }, teacher);
	return { quiz, questions, skill };
}

const emails = Array.from({ length: N }, (_, i) => `spike-${TAG}-${i + 1}@example.com`);
const tokens = await pool(emails, 16, login);
console.log(`set-up: ${N} learners signed in, ${NQ} questions per quiz, in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

// ---- one run ----------------------------------------------------------
async function run(name, think) {
	const { quiz, questions, skill } = await makeQuiz(name);
	const lat = { start: [], answer: [] };
	let errors = 0;
	const errorSamples = [];
	const acked = new Set();	// "attempt:question"

	async function learner(tok, k) {
		await sleep(Math.random() * WINDOW);
		let t = performance.now();
		let r = await post(`/api/v1/assessments/${quiz}/attempts`, {}, tok);
		lat.start.push(performance.now() - t);
		if (r.status !== 201 && r.status !== 200) {
			errors++;
			if (errorSamples.length < 5) errorSamples.push(`start ${r.status} ${r.text.slice(0, 120)}`);
			return;
		}
		const a = JSON.parse(r.text);
		for (const item of a.items) {
			const right = item.options.find((o) => o.text === 'right').id;
			const wrong = item.options.find((o) => o.text === 'wrong').id;
			if (think > 0)
				await sleep(Math.random() * 2 * think);
			t = performance.now();
			r = await post(`/api/v1/attempts/${a.id}/answers/${item.question_id}`,
				{ option: (k + item.seq) % 3 ? right : wrong }, tok);
			lat.answer.push(performance.now() - t);
			if (r.status === 200 && JSON.parse(r.text).saved)
				acked.add(`${a.id}:${item.question_id}`);
			else {
				errors++;
				if (errorSamples.length < 5) errorSamples.push(`answer ${r.status} ${r.text.slice(0, 120)}`);
			}
		}
	}

	const load0 = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
	const c0 = serverTicks();
	const s0 = performance.now();
	await Promise.all(tokens.map((tok, k) => learner(tok, k)));
	const wall = (performance.now() - s0) / 1000;
	const c1 = serverTicks();
	const load1 = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

	// ---- counting ---------------------------------------------------
	const stored = new Set(sql(`SELECT r.attempt_id || ':' || i.question_id FROM responses r
		JOIN attempt_items i ON i.attempt_id = r.attempt_id AND i.seq = r.seq
		JOIN attempts a ON a.id = r.attempt_id WHERE a.assessment_id = ${quiz}`).split('\n').filter(Boolean));
	const rows = Number(sql(`SELECT count(*) FROM responses r JOIN attempts a ON a.id = r.attempt_id
		WHERE a.assessment_id = ${quiz}`));
	const vids = `SELECT v.id FROM question_versions v WHERE v.question_id IN (${questions.map((q) => q.id).join(',')})`;
	const statSum = Number(sql(`SELECT COALESCE(sum(s.attempts), 0) FROM item_stats s WHERE s.version_id IN (${vids})`));
	const modelN = Number(sql(`SELECT COALESCE(sum(n), 0) FROM learner_skill_state WHERE skill_id = ${skill}`));
	const nattempts = Number(sql(`SELECT count(*) FROM attempts WHERE assessment_id = ${quiz}`));
	let lost = 0, extra = 0;
	for (const k of acked) if (!stored.has(k)) lost++;
	for (const k of stored) if (!acked.has(k)) extra++;
	const dup = rows - stored.size + Math.abs(statSum - rows) + Math.abs(modelN - rows);

	const all = [...lat.start, ...lat.answer];
	const f = (x) => x.toFixed(1);
	const cpu = (k) => ((c1[k] - c0[k]) * 10 / all.length).toFixed(2);	// ticks are 10 ms
	const met = pct(all, 99) <= 50;
	console.log(`\n---- ${name}: ${N} learners starting within ${WINDOW} ms, ${NQ} answers each, `
		+ `${think ? `think time before each answer uniform 0-${2 * think} ms (mean ${think} ms)` : 'no think time (back to back)'}, `
		+ `over ${CONNS} keep-alive connections`);
	console.log(`  load average before ${load0}, after ${load1}`);
	console.log(`  ${all.length} requests in ${wall.toFixed(2)} s wall-clock (${(all.length / wall).toFixed(0)} requests/s)`);
	console.log(`  start  : n=${lat.start.length} p50=${f(pct(lat.start, 50))} ms p99=${f(pct(lat.start, 99))} ms max=${f(Math.max(...lat.start))} ms`);
	console.log(`  answer : n=${lat.answer.length} p50=${f(pct(lat.answer, 50))} ms p99=${f(pct(lat.answer, 99))} ms max=${f(Math.max(...lat.answer))} ms`);
	console.log(`  all    : p50=${f(pct(all, 50))} ms p99=${f(pct(all, 99))} ms`
		+ (think ? ` (target p99 <= 50 ms: ${met ? 'met' : 'NOT met'})` : ' (a stress figure: the target is judged on the exam run)'));
	console.log(`  server CPU per request: PostgreSQL ${cpu('pg')} ms, FastCGI workers ${cpu('fcgi')} ms, nginx ${cpu('nginx')} ms`);
	console.log(`  errors : ${errors}${errorSamples.length ? ' e.g. ' + errorSamples.join(' | ') : ''}`);
	console.log(`  database: attempts=${nattempts} (learners ${N}), responses=${rows}, acknowledged=${acked.size}, `
		+ `lost=${lost}, stored-not-acknowledged=${extra}, duplicated=${dup} (item_stats sum ${statSum}, model answers ${modelN})`);
	return lost === 0 && dup === 0 && nattempts === N;
}

let ok = true;
for (const r of RUNS) {
	if (r === 'exam')
		ok = await run('exam', THINK) && ok;
	else if (r === 'stress')
		ok = await run('stress', 0) && ok;
	else
		throw new Error(`SPIKE_RUNS: unknown run ${r}`);
}
process.exit(ok ? 0 : 1);
