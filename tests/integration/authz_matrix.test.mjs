// The authorization matrix (issue 9): every route in the routing table
// (read from `adept routes`) x every role (anonymous, learner, instructor,
// admin) against the expectation below.  A route with no expectation, or
// an expectation for a route that is gone, fails the test: no route can be
// added without saying who may use it.
//
// Expectation per route: four letters for anonymous, learner, instructor,
// admin.  D = refused by the role check (anonymous: 303 to /login?next=
// for an HTML GET, else 401 "Sign in to continue."; signed in: 403 "does
// not have access").  A = allowed: the handler ran (any status but a
// role refusal or a 5xx; with the made-up ids and empty forms sent here
// that is mostly 400 or 404).  POSTs and PUTs carry a valid CSRF token, so a 403
// here is never the CSRF check.  Ownership (an instructor naming another
// instructor's course) is tested where the objects live (teach, bank,
// certificates tests); here every {id} is one that does not exist.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { Client, uniqueEmail, registerUser, cli } from './lib.mjs';

const EXPECT = {
	'GET /': 'AAAA',
	'GET /healthz': 'AAAA',
	'GET /register': 'AAAA',
	'POST /register': 'AAAA',
	'GET /login': 'AAAA',
	'POST /login': 'AAAA',
	'POST /logout': 'AAAA',
	'GET /dashboard': 'DAAA',
	'GET /account': 'DAAA',
	'POST /account/password': 'DAAA',
	'GET /admin': 'DDDA',
	'GET /admin/users': 'DDDA',
	'POST /admin/users': 'DDDA',
	'GET /uploads/{id}': 'AAAA',
	// lesson media, upload delete (issue 7, uploads)
	'POST /teach/lessons/{id}/media': 'DDAA',
	'POST /api/v1/teach/lessons/{id}/media': 'DDAA',
	'POST /uploads/{id}/delete': 'DAAA',
	'POST /api/v1/auth/register': 'AAAA',
	'POST /api/v1/auth/login': 'AAAA',
	'POST /api/v1/auth/refresh': 'AAAA',
	'POST /api/v1/auth/logout': 'DAAA',
	'GET /api/v1/me': 'DAAA',
	'GET /api/v1/dashboard': 'DAAA',
	'GET /api/v1/admin/users': 'DDDA',
	'POST /api/v1/admin/users': 'DDDA',
	// adminpanel
	'GET /admin/users/{id}': 'DDDA',
	'POST /admin/users/{id}': 'DDDA',
	'GET /api/v1/admin/users/{id}': 'DDDA',
	'POST /api/v1/admin/users/{id}': 'DDDA',
	'GET /admin/audit': 'DDDA',
	'GET /api/v1/admin/audit': 'DDDA',
	'GET /admin/health': 'DDDA',
	'GET /api/v1/admin/health': 'DDDA',
	'GET /login/mfa': 'AAAA',
	'POST /login/mfa': 'AAAA',
	'GET /login/mfa/setup': 'AAAA',
	'POST /login/mfa/setup': 'AAAA',
	'GET /account/security': 'DAAA',
	'GET /account/security/totp': 'DAAA',
	'POST /account/security/totp': 'DAAA',
	'POST /account/security/totp/disable': 'DAAA',
	'POST /account/security/recovery': 'DAAA',
	'POST /account/security/sessions/revoke': 'DAAA',
	'GET /account/data': 'DAAA',
	'POST /account/data/delete': 'DAAA',
	'GET /api/v1/me/security': 'DAAA',
	'POST /api/v1/me/sessions/revoke': 'DAAA',
	'POST /api/v1/me/totp': 'DAAA',
	'POST /api/v1/me/totp/disable': 'DAAA',
	'POST /api/v1/me/recovery': 'DAAA',
	'GET /api/v1/me/export': 'DAAA',
	'POST /api/v1/me/delete': 'DAAA',
	'GET /catalog': 'AAAA',
	'GET /courses/{id}': 'AAAA',
	'POST /courses/{id}/enroll': 'DAAA',
	'POST /courses/{id}/leave': 'DAAA',
	'GET /courses/{id}/lessons/{id}': 'DAAA',
	'POST /courses/{id}/lessons/{id}/complete': 'DAAA',
	'GET /api/v1/courses': 'AAAA',
	'GET /api/v1/courses/{id}': 'AAAA',
	'GET /api/v1/learning/enrollments': 'DAAA',
	'POST /api/v1/learning/enrollments': 'DAAA',
	'POST /api/v1/lessons/{id}/progress': 'DAAA',
	'GET /teach': 'DDAA',
	'GET /teach/courses/new': 'DDAA',
	'POST /teach/courses/new': 'DDAA',
	'GET /teach/courses/{id}': 'DDAA',
	'POST /teach/courses/{id}': 'DDAA',
	'GET /teach/courses/{id}/delete': 'DDAA',
	'POST /teach/courses/{id}/delete': 'DDAA',
	'POST /teach/courses/{id}/submit': 'DDAA',
	'POST /teach/courses/{id}/modules': 'DDAA',
	'GET /teach/modules/{id}': 'DDAA',
	'POST /teach/modules/{id}': 'DDAA',
	'POST /teach/modules/{id}/move': 'DDAA',
	'GET /teach/modules/{id}/delete': 'DDAA',
	'POST /teach/modules/{id}/delete': 'DDAA',
	'GET /teach/modules/{id}/lessons/new': 'DDAA',
	'POST /teach/modules/{id}/lessons/new': 'DDAA',
	'GET /teach/lessons/{id}': 'DDAA',
	'POST /teach/lessons/{id}': 'DDAA',
	'POST /teach/lessons/{id}/move': 'DDAA',
	'GET /teach/lessons/{id}/delete': 'DDAA',
	'POST /teach/lessons/{id}/delete': 'DDAA',
	'GET /skills': 'DDAA',
	'POST /skills': 'DDAA',
	'GET /admin/reviews': 'DDDA',
	'POST /admin/reviews/{id}/approve': 'DDDA',
	'POST /admin/reviews/{id}/reject': 'DDDA',
	'GET /api/v1/teach/courses': 'DDAA',
	'GET /api/v1/teach/courses/{id}': 'DDAA',
	'GET /api/v1/teach/lessons/{id}': 'DDAA',
	'POST /api/v1/courses': 'DDAA',
	'POST /api/v1/courses/{id}': 'DDAA',
	'POST /api/v1/courses/{id}/delete': 'DDAA',
	'POST /api/v1/courses/{id}/submit': 'DDAA',
	'POST /api/v1/courses/{id}/approve': 'DDDA',
	'POST /api/v1/courses/{id}/reject': 'DDDA',
	'POST /api/v1/courses/{id}/modules': 'DDAA',
	'POST /api/v1/modules/{id}': 'DDAA',
	'POST /api/v1/modules/{id}/move': 'DDAA',
	'POST /api/v1/modules/{id}/delete': 'DDAA',
	'POST /api/v1/modules/{id}/lessons': 'DDAA',
	'POST /api/v1/lessons/{id}': 'DDAA',
	'POST /api/v1/lessons/{id}/move': 'DDAA',
	'POST /api/v1/lessons/{id}/delete': 'DDAA',
	'GET /api/v1/admin/reviews': 'DDDA',
	'GET /api/v1/skills': 'DDAA',
	'POST /api/v1/skills': 'DDAA',
	'POST /teach/courses/{id}/cover': 'DDAA',
	'POST /api/v1/courses/{id}/cover': 'DDAA',
	'POST /api/v1/events': 'DAAA',
	'GET /admin/jobs': 'DDDA',
	'POST /admin/jobs/{id}/retry': 'DDDA',
	'GET /api/v1/admin/jobs': 'DDDA',
	'POST /api/v1/admin/jobs/{id}/retry': 'DDDA',
	'GET /password/forgot': 'AAAA',
	'POST /password/forgot': 'AAAA',
	'GET /password/reset': 'AAAA',
	'POST /password/reset': 'AAAA',
	'POST /api/v1/auth/password/forgot': 'AAAA',
	'POST /api/v1/auth/password/reset': 'AAAA',
	'GET /account/mail': 'DAAA',
	'POST /account/mail': 'DAAA',
	'GET /api/v1/account/mail': 'DAAA',
	'POST /api/v1/account/mail': 'DAAA',
	'GET /unsubscribe': 'AAAA',
	'POST /unsubscribe': 'AAAA',
	'GET /notifications': 'DAAA',
	'POST /notifications/{id}/read': 'DAAA',
	'POST /notifications/read-all': 'DAAA',
	'GET /api/v1/notifications': 'DAAA',
	'POST /api/v1/notifications/{id}/read': 'DAAA',
	'GET /certificates': 'DAAA',
	'POST /certificates': 'DAAA',
	'GET /api/v1/certificates': 'DAAA',
	'POST /api/v1/certificates': 'DAAA',
	'GET /certificates/{id}/pdf': 'DAAA',
	'GET /certificates/verify/{id}': 'AAAA',
	'GET /api/v1/certificates/verify/{id}': 'AAAA',
	'POST /certificates/{id}/revoke': 'DDDA',
	'POST /api/v1/certificates/{id}/revoke': 'DDDA',
	'GET /admin/mail': 'DDDA',
	'GET /api/v1/admin/mail': 'DDDA',
	'POST /admin/mail/{id}/retry': 'DDDA',
	'POST /api/v1/admin/mail/{id}/retry': 'DDDA',
	'GET /teach/bank': 'DDAA',
	'GET /teach/bank/new': 'DDAA',
	'POST /teach/bank/new': 'DDAA',
	'GET /teach/bank/import': 'DDAA',
	'POST /teach/bank/import': 'DDAA',
	'GET /teach/bank/export': 'DDAA',
	'GET /teach/bank/{id}': 'DDAA',
	'POST /teach/bank/{id}': 'DDAA',
	'POST /teach/bank/{id}/delete': 'DDAA',
	'GET /api/v1/bank/questions': 'DDAA',
	'POST /api/v1/bank/questions': 'DDAA',
	'GET /api/v1/bank/questions/{id}': 'DDAA',
	'POST /api/v1/bank/questions/{id}': 'DDAA',
	'POST /api/v1/bank/questions/{id}/delete': 'DDAA',
	// Regrade (issue 5, calib).
	'POST /teach/bank/{id}/regrade': 'DDAA',
	'POST /api/v1/bank/questions/{id}/regrade': 'DDAA',
	'POST /api/v1/bank/import': 'DDAA',
	'GET /api/v1/bank/export': 'DDAA',
	'GET /teach/quizzes': 'DDAA',
	'POST /teach/quizzes': 'DDAA',
	'GET /teach/quizzes/{id}': 'DDAA',
	'POST /teach/quizzes/{id}': 'DDAA',
	'GET /teach/quizzes/{id}/items': 'DDAA',
	'POST /api/v1/assessments': 'DDAA',
	'POST /api/v1/assessments/{id}/questions': 'DDAA',
	'GET /api/v1/assessments/{id}/items': 'DDAA',
	'GET /quizzes/{id}': 'DAAA',
	'POST /quizzes/{id}/start': 'DAAA',
	'GET /attempts/{id}': 'DAAA',
	'POST /attempts/{id}/answers/{id}': 'DAAA',
	'POST /attempts/{id}/submit': 'DAAA',
	'POST /api/v1/assessments/{id}/attempts': 'DAAA',
	'GET /api/v1/attempts/{id}': 'DAAA',
	'POST /api/v1/attempts/{id}/answers/{id}': 'DAAA',
	'PUT /api/v1/attempts/{id}/answers/{id}': 'DAAA',
	'POST /api/v1/attempts/{id}/submit': 'DAAA',
	'GET /diagnostic': 'DAAA',
	'POST /diagnostic': 'DAAA',
	'GET /diagnostic/{id}': 'DAAA',
	'POST /diagnostic/{id}/answers/{id}': 'DAAA',
	'POST /api/v1/diagnostics': 'DAAA',
	'GET /api/v1/diagnostics/{id}': 'DAAA',
	'POST /api/v1/diagnostics/{id}/answers/{id}': 'DAAA',
	'GET /profile/skills': 'DAAA',
	'GET /api/v1/profile/skills': 'DAAA',
	// the adaptive loop (issue 6)
	'GET /goals': 'DAAA',
	'POST /goals': 'DAAA',
	'GET /api/v1/goals': 'DAAA',
	'POST /api/v1/goals': 'DAAA',
	'GET /review': 'DAAA',
	'POST /review/{id}': 'DAAA',
	'GET /api/v1/review/due': 'DAAA',
	'POST /api/v1/review/{id}': 'DAAA',
	'GET /path': 'DAAA',
	'POST /path/generate': 'DAAA',
	'GET /api/v1/ai/learning-path': 'DAAA',
	'POST /api/v1/ai/generate-learning-path': 'DAAA',
	'POST /recommendations/{id}/action': 'DAAA',
	'GET /api/v1/ai/recommendations': 'DAAA',
	'POST /api/v1/ai/recommendations/{id}/action': 'DAAA',
	'GET /api/v1/ai/dashboard': 'DAAA',
	'GET /feed': 'DAAA',
	'POST /feed/questions/{id}': 'DAAA',
	'GET /api/v1/feed': 'DAAA',
	'POST /api/v1/feed/questions/{id}': 'DAAA',
	'GET /teach/courses/{id}/insights': 'DDAA',
	'GET /api/v1/teach/courses/{id}/insights': 'DDAA',
	'POST /teach/lessons/{id}/flashcards': 'DDAA',
	'POST /teach/flashcards/{id}/delete': 'DDAA',
	'GET /api/v1/teach/lessons/{id}/flashcards': 'DDAA',
	'POST /api/v1/teach/lessons/{id}/flashcards': 'DDAA',
	'POST /api/v1/teach/flashcards/{id}/delete': 'DDAA',
	// fraud (issue 9)
	'GET /admin/fraud': 'DDDA',
	'POST /admin/fraud/{id}': 'DDDA',
	'GET /api/v1/admin/fraud': 'DDDA',
	'POST /api/v1/admin/fraud/{id}': 'DDDA',
	// materials and tutor (issue 8)
	'GET /teach/courses/{id}/materials': 'DDAA',
	'POST /teach/courses/{id}/materials': 'DDAA',
	'POST /teach/courses/{id}/materials/{id}/delete': 'DDAA',
	'GET /api/v1/courses/{id}/materials': 'DDAA',
	'POST /api/v1/courses/{id}/materials': 'DDAA',
	'POST /api/v1/courses/{id}/materials/{id}/delete': 'DDAA',
	'GET /courses/{id}/tutor': 'DAAA',
	'POST /courses/{id}/tutor': 'DAAA',
	'GET /api/v1/courses/{id}/tutor': 'DAAA',
	'POST /api/v1/courses/{id}/tutor': 'DAAA',
	// generation projects (issue 8)
	'GET /teach/courses/{id}/projects': 'DDAA',
	'POST /teach/courses/{id}/generate': 'DDAA',
	'GET /teach/projects/{id}': 'DDAA',
	'POST /teach/generated-items/{id}/edit': 'DDAA',
	'POST /teach/generated-items/{id}/approve': 'DDAA',
	'POST /teach/generated-items/{id}/reject': 'DDAA',
	'GET /courses/{id}/modules/{id}/generated': 'DAAA',
	'POST /api/v1/courses/{id}/generate': 'DDAA',
	'GET /api/v1/courses/{id}/projects': 'DDAA',
	'GET /api/v1/projects/{id}': 'DDAA',
	'GET /api/v1/generated-items/{id}': 'DDAA',
	'POST /api/v1/generated-items/{id}/edit': 'DDAA',
	'POST /api/v1/generated-items/{id}/approve': 'DDAA',
	'POST /api/v1/generated-items/{id}/reject': 'DDAA',
	'GET /api/v1/courses/{id}/modules/{id}/generated': 'DAAA',
	// admin: models, certificates, content (issue 9)
	'GET /admin/models': 'DDDA',
	'GET /api/v1/admin/models': 'DDDA',
	'GET /admin/models/item/{id}': 'DDDA',
	'GET /admin/models/skill/{id}': 'DDDA',
	'GET /api/v1/admin/models/item/{id}': 'DDDA',
	'GET /api/v1/admin/models/skill/{id}': 'DDDA',
	'POST /admin/models/{id}/rollback': 'DDDA',
	'POST /api/v1/admin/models/{id}/rollback': 'DDDA',
	'GET /admin/certificates': 'DDDA',
	'GET /api/v1/admin/certificates': 'DDDA',
	'GET /admin/content': 'DDDA',
	'GET /api/v1/admin/content': 'DDDA',
	// narrated micro-lessons (issue 8, micro)
	'POST /teach/lessons/{id}/microlesson': 'DDAA',
	'POST /teach/courses/{id}/microlesson': 'DDAA',
	'POST /api/v1/teach/lessons/{id}/microlesson': 'DDAA',
	'POST /api/v1/courses/{id}/microlesson': 'DDAA',
};

// Routes that end the session they are called with get a fresh one.
const FRESH = new Set(['POST /logout', 'POST /api/v1/auth/logout']);
const ROLES = ['anonymous', 'learner', 'instructor', 'admin'];
const NO_SUCH_ID = '999999999999';

function routes() {
	const out = cli(['routes']);
	assert.equal(out.status, 0, out.stderr);
	return out.stdout.trim().split('\n').map((l) => {
		const [method, pattern, role, flags] = l.split('\t');
		return { method, pattern, role, flags: flags || '', key: `${method} ${pattern}` };
	});
}

function b32decode(s) {
	const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
	let bits = 0, val = 0;
	const out = [];
	for (const ch of s) {
		val = ((val << 5) | abc.indexOf(ch)) & 0xfff;
		bits += 5;
		if (bits >= 8) { out.push((val >>> (bits - 8)) & 255); bits -= 8; }
	}
	return Buffer.from(out);
}

function totp(secret) {
	const msg = Buffer.alloc(8);
	msg.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30)));
	const h = createHmac('sha1', b32decode(secret)).update(msg).digest();
	const o = h[19] & 15;
	return String((((h[o] & 127) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3]) % 1000000).padStart(6, '0');
}

// A signed-in client for role (null for anonymous), with its CSRF token.
async function client(role, who) {
	const c = new Client();
	if (role === 'anonymous') {
		c.token = await c.csrf('/login');
		return c;
	}
	if (role === 'learner') {
		if (!who.learner) who.learner = (await registerUser(new Client())).email;
		await signIn(c, who.learner, 'correct horse 1');
	} else {
		if (!who[role]) {
			who[role] = uniqueEmail(`matrix-${role}`);
			const out = cli(['user', 'add', '--email', who[role], '--password', 'matrix pass 12', '--name', `Matrix ${role}`, '--role', role]);
			assert.equal(out.status, 0, out.stderr);
		}
		await signIn(c, who[role], 'matrix pass 12');
	}
	c.token = await c.csrf('/account');
	return c;
}

// Recovery codes of accounts that enrolled here, by e-mail.
const recovery = new Map();

async function signIn(c, email, password) {
	const r = await c.submit('/login', { email, password });
	if (r.headers.get('location') === '/login/mfa/setup') {
		// Admins must enrol first (ADEPT_ADMIN_MFA unset): do it.
		const page = await c.get('/login/mfa/setup');
		const secret = page.text.match(/Key: <code>([A-Z2-7]+)<\/code>/)[1];
		const done = await c.submit('/login/mfa/setup', { code: totp(secret) });
		assert.equal(done.status, 200);
		recovery.set(email, done.text.match(/<pre class="codes">([^<]*)<\/pre>/)[1].split('\n'));
		return;
	}
	if (r.headers.get('location') === '/login/mfa') {
		// Enrolled above; later sign-ins use a recovery code each (a
		// TOTP code could be the one already used this step).
		const done = await c.submit('/login/mfa', { code: recovery.get(email).pop() });
		assert.equal(done.status, 303);
		return;
	}
	assert.equal(r.status, 303, `sign-in as ${email}`);
}

async function call(c, rt) {
	const path = rt.pattern.replaceAll('{id}', NO_SUCH_ID);
	if (rt.method === 'GET') return c.get(path);
	if (rt.flags.includes('json'))
		return c.req(rt.method, path, { body: '{}', type: 'application/json', headers: { 'x-csrf-token': c.token } });
	assert.equal(rt.method, 'POST', `${rt.key}: a form route takes POST`);
	return c.post(path, { csrf: c.token });
}

function verdict(rt, r) {
	const path = rt.pattern.replaceAll('{id}', NO_SUCH_ID);
	if (r.status === 303 && r.headers.get('location') === `/login?next=${path}`) return 'D';
	if (r.status === 401 && /Sign in to continue/.test(r.text)) return 'D';
	if (r.status === 403 && /does not have access/.test(r.text)) return 'D';
	if (r.status >= 500) return `5xx(${r.status})`;
	// The router's own 404/405: the server does not know the route.
	if (r.status === 405 || (r.status === 404 && /There is no page at this address/.test(r.text)))
		return `unrouted(${r.status})`;
	return 'A';
}

test('every route has an expectation, and every expectation a route', () => {
	const keys = new Set(routes().map((rt) => rt.key));
	const missing = [...keys].filter((k) => !(k in EXPECT));
	const stale = Object.keys(EXPECT).filter((k) => !keys.has(k));
	assert.deepEqual(missing, [], 'routes with no entry in EXPECT: add one');
	assert.deepEqual(stale, [], 'entries in EXPECT for routes that are gone');
	for (const [k, v] of Object.entries(EXPECT))
		assert.match(v, /^[AD]{4}$/, k);
});

test('every route x role gets the expected answer', async () => {
	const who = {};
	const clients = {};
	for (const role of ROLES) clients[role] = await client(role, who);
	const all = routes().filter((rt) => rt.key in EXPECT);
	const wrong = [];
	let n = 0;
	for (const rt of all) {
		for (let i = 0; i < ROLES.length; i++) {
			const c = FRESH.has(rt.key) ? await client(ROLES[i], who) : clients[ROLES[i]];
			const r = await call(c, rt);
			const got = verdict(rt, r);
			n++;
			if (got !== EXPECT[rt.key][i])
				wrong.push(`${rt.key} as ${ROLES[i]}: expected ${EXPECT[rt.key][i]}, got ${got} (${r.status} ${r.text.slice(0, 80).replace(/\s+/g, ' ')})`);
		}
	}
	assert.deepEqual(wrong, []);
	assert.ok(n >= 4 * 150, `only ${n} requests`);
});
