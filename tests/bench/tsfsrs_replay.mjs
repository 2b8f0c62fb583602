// The FSRS replay of tests/bench/bench_fsrs.c in ts-fsrs 5.4.2 on node
// (tests/node_modules/ts-fsrs), for the C / ts-fsrs ratio `make bench`
// prints.  Same work: fsrs_reviews.csv read once into memory (review times
// made Date objects beforehand), every card restarted with createEmptyCard
// at its first review, fsrs.next() per review, default parameters, fuzz off,
// short-term on and off.  Wall clock (performance.now()), one warm-up
// replay batch, best and median of RUNS runs of REPS replays.
// usage: node tsfsrs_replay.mjs path/to/fsrs_reviews.csv
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fsrs, createEmptyCard } from 'ts-fsrs';

const RUNS = 5, REPS = 40;
const lines = readFileSync(process.argv[2], 'utf8').split(/\r?\n/).filter((l) => l !== '');
const hdr = lines[0].split(',');
const [ci, ti, ri] = ['card_id', 'review_unix', 'rating'].map((n) => hdr.indexOf(n));
const rows = lines.slice(1).map((l) => l.split(','));
const first = rows.map((v, i) => i === 0 || v[ci] !== rows[i - 1][ci]);
const when = rows.map((v) => new Date(Number(v[ti]) * 1000));
const rating = rows.map((v) => Number(v[ri]));
const n = rows.length;

function replay(f) {
	let card = null, sum = 0;
	for (let i = 0; i < n; i++) {
		if (first[i]) card = createEmptyCard(when[i]);
		card = f.next(card, when[i], rating[i]).card;
		sum += card.stability;
	}
	return sum;
}

for (const st of [true, false]) {
	const f = fsrs({ enable_short_term: st, enable_fuzz: false });
	let sum = 0;
	for (let k = 0; k < REPS; k++) sum += replay(f);	// warm-up
	const rate = [];
	for (let run = 0; run < RUNS; run++) {
		const t0 = performance.now();
		for (let k = 0; k < REPS; k++) sum += replay(f);
		rate.push(n * REPS / ((performance.now() - t0) / 1000));
	}
	rate.sort((a, b) => a - b);
	console.log(`short_term=${st ? 'on' : 'off'} reviews_per_s=${rate[RUNS - 1].toFixed(0)} ` +
	    `median=${rate[RUNS >> 1].toFixed(0)} (ts-fsrs 5.4.2, node ${process.version}, ` +
	    `${RUNS} runs x ${REPS} replays x ${n} reviews, checksum ${sum.toPrecision(6)})`);
}
