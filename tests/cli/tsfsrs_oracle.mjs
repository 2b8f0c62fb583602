// ts-fsrs 5.4.2 (tests/node_modules) replaying a review log in the output
// format of `adept fsrs replay`, so tests/cli/test_fsrs_sm2.sh can check the
// options the reference files do not cover (--retention, --max-interval)
// against the independent implementation.
// usage: node tsfsrs_oracle.mjs [--short-term on|off] [--retention R]
//            [--max-interval D] FILE
import { readFileSync } from 'node:fs';
import { fsrs, createEmptyCard, State } from 'ts-fsrs';

const args = process.argv.slice(2);
const opt = { enable_short_term: true, enable_fuzz: false };
let file = null;
for (let i = 0; i < args.length; i++) {
	if (args[i] === '--short-term') opt.enable_short_term = args[++i] === 'on';
	else if (args[i] === '--retention') opt.request_retention = Number(args[++i]);
	else if (args[i] === '--max-interval') opt.maximum_interval = Number(args[++i]);
	else file = args[i];
}
const f = fsrs(opt);
const lines = readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l !== '');
const hdr = lines[0].split(',');
const col = (n) => hdr.indexOf(n);
const [ci, ii, ti, ri] = ['card_id', 'review_index', 'review_unix', 'rating'].map(col);
const cards = new Map();
const out = ['card_id,review_index,state_before,elapsed_days,r_at_review,stability,' +
    'difficulty,state,learning_steps,scheduled_days,due_unix,reps,lapses'];
for (const line of lines.slice(1)) {
	const v = line.split(',');
	const now = new Date(Number(v[ti]) * 1000);
	let card = cards.get(v[ci]) ?? createEmptyCard(now);
	const { card: next, log } = f.next(card, now, Number(v[ri]));
	const r = card.state === State.New ? '' :
	    f.forgetting_curve(log.elapsed_days, card.stability);
	out.push([v[ci], v[ii], card.state, log.elapsed_days, r, next.stability,
	    next.difficulty, next.state, next.learning_steps, next.scheduled_days,
	    next.due.getTime() / 1000, next.reps, next.lapses].join(','));
	cards.set(v[ci], next);
}
console.log(out.join('\n'));
