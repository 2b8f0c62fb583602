// Load generator for tests/bench/web_events.sh: posts pre-built batches of
// events to POST /api/v1/events over C concurrent connections for D
// seconds, retrying a batch that is not acknowledged (503, network error)
// exactly as a client should, and prints one JSON line of counts.  Batches
// are built before the clock starts, so the figure is the server side's
// (nginx, FastCGI workers, PostgreSQL), not JSON building in node.
import { randomUUID } from 'node:crypto';

const [base, token, conc, secs, batch, prebuilt] = [process.argv[2], process.argv[3],
	+process.argv[4] || 4, +process.argv[5] || 10, +process.argv[6] || 5000,
	+process.argv[7] || 40];

const t0 = Date.now();
function body() {
	const evs = new Array(batch);
	for (let i = 0; i < batch; i++)
		evs[i] = { id: randomUUID(), verb: 'answered',
			object: `/courses/${1 + (i % 7)}/lessons/${1 + (i % 31)}`,
			timestamp: new Date(t0 - (i % 3600) * 1000).toISOString(),
			result: { score: i % 5, success: i % 2 === 0 } };
	return JSON.stringify(evs);
}
const pool = [];
for (let i = 0; i < prebuilt; i++) pool.push(body());
let next = 0;
let acked = 0, stored = 0, dups = 0, retries = 0, errors = 0, batches = 0;
const lat = [];
async function post(b) {
	for (;;) {
		const s = performance.now();
		try {
			const r = await fetch(base + '/api/v1/events', { method: 'POST', body: b,
				headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
			const t = await r.text();
			if (r.status === 200) {
				const j = JSON.parse(t);
				lat.push(performance.now() - s);
				return j;
			}
			if (r.status !== 503 && r.status !== 502 && r.status !== 504) {
				errors++;
				throw new Error(`status ${r.status}: ${t.slice(0, 200)}`);
			}
		} catch (e) {
			if (String(e).includes('status 4')) throw e;
		}
		retries++;
		await new Promise((res) => setTimeout(res, 200));
	}
}
const end = performance.now() + secs * 1000;
const start = performance.now();
const cpu0 = process.cpuUsage();
async function worker(w) {
	while (performance.now() < end) {
		// Each pre-built batch is sent once, fresh ids: re-use would be
		// duplicates.  When the pool runs out, the run ends early.
		const i = next++;
		if (i >= pool.length) return;
		const j = await post(pool[i]);
		pool[i] = null;
		acked += j.received; stored += j.stored; dups += j.duplicates; batches++;
	}
}
await Promise.all(Array.from({ length: conc }, (_, w) => worker(w)));
const el = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpu0);
lat.sort((a, b) => a - b);
const q = (p) => lat.length ? lat[Math.min(lat.length - 1, Math.floor(p * lat.length))].toFixed(1) : 'NaN';
console.log(JSON.stringify({ seconds: +el.toFixed(2), batches, batch, acked, stored, dups, retries, errors,
	events_per_s: Math.round(acked / el),
	gen_cpu_us_per_event: acked ? +((cpu.user + cpu.system) / acked).toFixed(2) : 0,
	gen_cpu_share: +((cpu.user + cpu.system) / 1e6 / el).toFixed(2), p50_ms: +q(0.5), p99_ms: +q(0.99), pool_exhausted: next >= pool.length }));
