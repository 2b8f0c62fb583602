// A fake OpenAI-protocol server (POST /v1/chat/completions) for
// tests/cli/test_llm.sh.  It checks the protocol and the fall-backs, not
// model quality: in mode "good" it writes items mechanically from the
// passages in the prompt (one sentence of a passage, its longest word
// blanked), so they are grounded and pass the quality checks; the other
// modes misbehave on purpose.
//
//   node fake_openai.mjs            prints "PORT n" once listening on 127.0.0.1
//   GET /_mode?m=MODE               sets the mode and zeroes the counters
//   GET /_stats                     {"count","auth","model","response_format",
//                                    "task","passages","texts"}: the number of
//                                    requests, the rest of the last one
//
// Modes: good, fenced (good inside a Markdown code fence), invalid (content not JSON), schema (JSON of the wrong shape),
// envelope (a 200 whose body is not a chat completion), ungrounded (the
// right shape, quotes not in the passages), 500 (always), 500once (then
// good), 401 (echoing the key back), hang (never answers).
// node's http module only.
import { createServer } from 'node:http';

let mode = 'good';
let stats = null;
function reset() {
	stats = { count: 0, auth: null, model: null, response_format: null,
		task: null, passages: [], texts: [] };
}
reset();

function passages(user) {
	const at = user.indexOf('Passages:\n');
	if (at < 0) return [];
	const out = [];
	for (const chunk of user.slice(at + 10).split(/\n(?=\[p\d+\])/)) {
		const m = /^\[p(\d+)\](?: \((.*)\))?\n([\s\S]*)$/.exec(chunk.trim());
		if (m) out.push({ id: 'p' + m[1], heading: m[2] || '', text: m[3] });
	}
	return out;
}

function sentences(text) {
	return text.split(/\n\s*\n|(?<=[.!?])\s+(?=[A-Z0-9"])/)
		.map((s) => s.replace(/\s+/g, ' ').trim())
		.filter((s) => /^[A-Z]/.test(s) && /[.!?]$/.test(s) &&
			!/[|`#*_\[\]]/.test(s) && s.split(' ').length >= 6 &&
			s.split(' ').length <= 30);
}

function words(s) {
	return (s.match(/[A-Za-z][a-z]{4,}/g) || []).filter(
		(w) => s.split(new RegExp(`\\b${w}\\b`)).length === 2);
}

const fold = (w) => w.toLowerCase().replace(/s$/, '');

function goodQuiz(ps, n) {
	const cand = [];
	for (const p of ps)
		for (const s of sentences(p.text)) {
			const w = words(s).sort((a, b) => b.length - a.length);
			if (w.length) cand.push({ p, s, answer: w[0] });
		}
	const pool = [...new Set(cand.map((c) => c.answer))];
	const types = ['single', 'truefalse', 'cloze'];
	const items = [];
	for (let i = 0; i < cand.length && items.length < n; i++) {
		const c = cand[i];
		const type = types[items.length % 3];
		const blank = c.s.replace(new RegExp(`\\b${c.answer}\\b`), '____');
		let options = [], question = blank, answer = c.answer;
		if (type === 'single') {
			const d = pool.filter((w) => fold(w) !== fold(c.answer) &&
				!c.s.toLowerCase().includes(w.toLowerCase()));
			const seen = new Set();
			const ds = d.filter((w) => !seen.has(fold(w)) && seen.add(fold(w)));
			if (ds.length < 3) continue;
			options = [c.answer, ...ds.slice(0, 3)];
		} else if (type === 'truefalse') {
			question = c.s;
			options = ['True', 'False'];
			answer = 'True';
		}
		items.push({ type, question, options, answer,
			explanation: `The passage says "${c.s}" [${c.p.id}].`,
			source: c.p.id, quote: c.s });
	}
	return { items };
}

function goodObjectives(ps, n) {
	const seen = new Set(), objectives = [];
	for (const p of ps) {
		if (!p.heading || seen.has(p.heading) || objectives.length >= n)
			continue;
		seen.add(p.heading);
		objectives.push({ objective: `Explain ${p.heading.replace(/^Chapter \d+: /, '')}`,
			bloom: 'understand', terms: words(p.text).slice(0, 2),
			sources: [p.id] });
	}
	return { objectives };
}

function good(task, ps, n) {
	if (task === 'quiz') return goodQuiz(ps, n);
	if (task === 'objectives') return goodObjectives(ps, n);
	if (task === 'lesson')
		return { lesson: '# Lesson\n\n' + ps.map((p) =>
			`## ${p.heading || p.id}\n\n${sentences(p.text)[0] || ''} [${p.id}]\n`).join('\n') };
	const s = sentences(ps[0].text)[0] || ps[0].text.slice(0, 80);
	return { answer: `${s} [${ps[0].id}]`, sources: [ps[0].id] };
}

function completion(content) {
	return JSON.stringify({
		id: 'chatcmpl-fake', object: 'chat.completion', created: 0,
		model: 'fake', choices: [{ index: 0, finish_reason: 'stop',
			message: { role: 'assistant', content } }],
		usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
	});
}

function send(res, status, body) {
	res.writeHead(status, { 'Content-Type': 'application/json' });
	res.end(body);
}

const server = createServer((req, res) => {
	const url = new URL(req.url, 'http://x');
	if (req.method === 'GET' && url.pathname === '/_mode') {
		mode = url.searchParams.get('m');
		reset();
		return send(res, 200, '{"mode":"' + mode + '"}');
	}
	if (req.method === 'GET' && url.pathname === '/_stats')
		return send(res, 200, JSON.stringify(stats));
	if (req.method !== 'POST' || url.pathname !== '/v1/chat/completions')
		return send(res, 404, '{"error":{"message":"not found"}}');
	let body = '';
	req.on('data', (d) => { body += d; });
	req.on('end', () => {
		stats.count++;
		stats.auth = req.headers.authorization || null;
		let r;
		try { r = JSON.parse(body); } catch {
			return send(res, 400, '{"error":{"message":"bad request body"}}');
		}
		const user = (r.messages || []).find((m) => m.role === 'user');
		const text = user ? user.content : '';
		const task = (/^Task: (\w+)/m.exec(text) || [])[1];
		const n = Number((/^Count: (\d+)/m.exec(text) || [0, 5])[1]);
		const ps = passages(text);
		stats.model = r.model || null;
		stats.response_format = r.response_format || null;
		stats.task = task;
		stats.passages = ps.map((p) => p.id);
		stats.texts = ps.map((p) => p.text);
		switch (mode) {
		case 'hang':
			return;		// never answers; the client must time out
		case '500':
			return send(res, 500, '{"error":{"message":"model crashed"}}');
		case '500once':
			if (stats.count === 1)
				return send(res, 503, '{"error":{"message":"loading model"}}');
			break;
		case '401':
			return send(res, 401, JSON.stringify({ error: {
				message: `Incorrect API key provided: ${(stats.auth || '').replace(/^Bearer /, '')}` } }));
		case 'envelope':
			return send(res, 200, '<html>upstream says hello</html>');
		case 'invalid':
			return send(res, 200, completion('Sure! Here are your items: {items: [ {type: single'));
		case 'schema':
			return send(res, 200, completion(JSON.stringify({ items: [
				{ type: 'essay', question: 'Discuss.', options: [], answer: 'x',
					explanation: 'x', source: ps[0] ? ps[0].id : 'p1', quote: 'x' },
				{ type: 'single', question: 'A ____ b.', options: ['a', 'b', 'c'],
					answer: 'd', explanation: 'x', source: ps[0] ? ps[0].id : 'p1', quote: 'x' },
				{ type: 'cloze', question: 'A ____ b.', options: [], answer: 'a',
					explanation: 'x', source: 'p999', quote: 'x' },
			] })));
		case 'ungrounded':
			return send(res, 200, completion(JSON.stringify({ items: [
				{ type: 'cloze', question: 'The moon is made of ____.', options: [],
					answer: 'cheese', explanation: 'Everyone knows.',
					source: ps[0] ? ps[0].id : 'p1', quote: 'The moon is made of cheese.' },
			] })));
		}
		const j = JSON.stringify(good(task, ps, n));
		send(res, 200, completion(mode === 'fenced' ? '```json\n' + j + '\n```' : j));
	});
});
server.listen(0, '127.0.0.1', () => {
	console.log(`PORT ${server.address().port}`);
});
