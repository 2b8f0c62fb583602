// Helpers for the integration tests: an HTTP client with a cookie jar that
// talks to the real nginx, form/CSRF handling, direct SQL through psql on
// the test cluster's socket, and JWT minting with the site's own secret (to
// build expired, alg:none and HS512 tokens the server must refuse).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const BASE = process.env.ADEPT_URL || 'http://127.0.0.1:18080';
export const VAR = process.env.ADEPT_VAR;
export const BIN = process.env.ADEPT_BIN;

export class Client {
	constructor() { this.jar = new Map(); }

	cookieHeader() {
		return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
	}

	store(res) {
		for (const c of res.headers.getSetCookie()) {
			const [pair, ...attrs] = c.split(';');
			const i = pair.indexOf('=');
			const name = pair.slice(0, i).trim(), value = pair.slice(i + 1).trim();
			const maxAge = attrs.find((a) => /max-age/i.test(a));
			if (value === '' || (maxAge && /=\s*0$/.test(maxAge.trim())))
				this.jar.delete(name);
			else
				this.jar.set(name, value);
		}
	}

	async req(method, path, { body, headers = {}, type } = {}) {
		const h = { ...headers };
		if (this.jar.size) h.cookie = this.cookieHeader();
		if (type) h['content-type'] = type;
		const res = await fetch(BASE + path, { method, body, headers: h, redirect: 'manual' });
		this.store(res);
		const text = await res.text();
		return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
	}

	get(path, opts) { return this.req('GET', path, opts); }

	post(path, fields, opts = {}) {
		const body = typeof fields === 'string' ? fields : new URLSearchParams(fields).toString();
		return this.req('POST', path, { body, type: 'application/x-www-form-urlencoded', ...opts });
	}

	postJSON(path, obj, headers = {}) {
		return this.req('POST', path, { body: JSON.stringify(obj), type: 'application/json', headers });
	}

	// GETs a page and returns the CSRF token of its form.
	async csrf(path) {
		const r = await this.get(path);
		const m = r.text.match(/name="csrf" value="([^"]+)"/);
		if (!m) throw new Error(`no csrf field on ${path} (status ${r.status})`);
		return m[1];
	}

	// Submits the form at path (GET for the token, POST the fields).
	async submit(path, fields, action = path) {
		const csrf = await this.csrf(path);
		return this.post(action, { csrf, ...fields });
	}
}

let seq = 0;
export function uniqueEmail(tag = 'u') {
	return `${tag}-${process.pid}-${Date.now()}-${seq++}@example.org`;
}

export async function registerUser(c, { name = 'Test Learner', email = uniqueEmail(), password = 'correct horse 1' } = {}) {
	const r = await c.submit('/register', { name, email, password, password_confirm: password });
	return { r, email, password, name };
}

// SQL on the test cluster (read-only checks: counts, states).
export function sql(query) {
	const out = execFileSync('psql', ['-h', `${VAR}/run`, '-p', process.env.ADEPT_PGPORT || '5499',
		'-U', 'adept', '-d', 'adept', '-qAt', '-c', query], { encoding: 'utf8' });
	return out.trim();
}

export function cli(args, input) {
	return spawnSync(BIN, args, { encoding: 'utf8', input, env: process.env });
}

// JWTs signed with the site's JWT subkey (HMAC(secret, "adept-subkey|jwt")).
function b64url(buf) {
	return Buffer.from(buf).toString('base64url');
}

export function jwtKey() {
	const secret = readFileSync(`${VAR}/secret.key`);
	return createHmac('sha256', secret).update('adept-subkey|jwt').digest();
}

export function mintJWT(claims, { alg = 'HS256', key = jwtKey(), sign = true } = {}) {
	const head = b64url(JSON.stringify({ alg, typ: 'JWT' }));
	const body = b64url(JSON.stringify(claims));
	if (!sign) return `${head}.${body}.`;
	const hash = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg];
	const sig = createHmac(hash, key).update(`${head}.${body}`).digest();
	return `${head}.${body}.${b64url(sig)}`;
}

export function randomToken() {
	return b64url(randomBytes(32));
}

// A user of the given role made with `adept user add` ({ email, password,
// id }), and a client signed in as them (c.user, c.token: the CSRF token).
export function addUser(role, name, password = 'integration pass 1') {
	const email = uniqueEmail(role);
	const r = cli(['user', 'add', '--email', email, '--password', password, '--name', name, '--role', role]);
	if (r.status !== 0) throw new Error(`adept user add: ${r.stderr}`);
	return { email, password, id: Number(sql(`SELECT id FROM users WHERE email = '${email}'`)) };
}

export async function signIn(u) {
	const c = new Client();
	const r = await c.submit('/login', { email: u.email, password: u.password });
	if (r.status !== 303) throw new Error(`sign in ${u.email}: ${r.status}`);
	c.user = u;
	c.token = await c.csrf('/account');
	return c;
}
