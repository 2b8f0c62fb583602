// Uploads in an S3-compatible store (issue 7): a second stack of its own
// (PostgreSQL, supervisor, worker, nginx under $ADEPT_VAR-s3, started with
// src/ops/stack.sh) configured with ADEPT_STORAGE_URL=s3://..., against
// s3rver on loopback.  s3rver does not check SigV4 signatures, so it sits
// behind a small proxy that does, from this file's own implementation of
// the AWS rules: every PUT, DELETE and GET the worker signs with libcurl and
// every presigned GET nginx fetches must verify, and a PUT's body must match
// its x-amz-content-sha256.  Checked: image and video land in the bucket,
// enrolled readers fetch through the site (Range 206 with the right bytes),
// others get 404, delete and the orphan clean-up remove the objects, and a
// store that is down makes an upload a clear 503 that leaves no row.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import S3rver from 's3rver';
import { Client, uniqueEmail } from './lib.mjs';

const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const PORT = Number(process.env.PORT || 18080) + 11;
const PGPORT = Number(process.env.ADEPT_PGPORT || 5499) + 11;
const S3PORT = Number(process.env.PORT || 18080) + 12;	// the verifying proxy
const S3RVER_PORT = S3PORT + 1;
const VAR = `${process.env.ADEPT_VAR || `${ROOT}/build/test-var`}-s3`;
const BASE = `http://127.0.0.1:${PORT}`;
const BUCKET = 'adept-media';
const KEY = 'S3RVER', SECRET = 'S3RVER';	// s3rver's built-in account
const REGION = 'eu-west-1';

const env = {
	...process.env, PORT: String(PORT), ADEPT_PGPORT: String(PGPORT), ADEPT_VAR: VAR,
	ADEPT_WORKERS: '1', ADEPT_THREADS: '2', ADEPT_ADMIN_MFA: 'optional',
	ADEPT_STORAGE_URL: `s3://${BUCKET}?endpoint=http://127.0.0.1:${S3PORT}&region=${REGION}`,
	ADEPT_S3_KEY: KEY, ADEPT_S3_SECRET: SECRET,
	ADEPT_SMTP_URL: 'smtp://127.0.0.1:9', ADEPT_URL: BASE, ADEPT_BASE_URL: BASE,
};
delete env.ADEPT_DB;
delete env.ADEPT_SOCKET;

const stack = (cmd) => spawnSync(`${ROOT}/src/ops/stack.sh`, [cmd], { env, encoding: 'utf8' });
const sql = (query) => execFileSync('psql', ['-h', `${VAR}/run`, '-p', String(PGPORT), '-U', 'adept',
	'-d', 'adept', '-qAt', '-c', query], { encoding: 'utf8' }).trim();
const num = (query) => Number(sql(query));
const q = (s) => `'${String(s).replace(/'/g, "''")}'`;

// lib.mjs's client, pointed at this stack.
class S3Client extends Client {
	async req(method, path, { body, headers = {}, type } = {}) {
		const h = { ...headers };
		if (this.jar.size) h.cookie = this.cookieHeader();
		if (type) h['content-type'] = type;
		const res = await fetch(BASE + path, { method, body, headers: h, redirect: 'manual' });
		this.store(res);
		const text = await res.text();
		return { status: res.status, headers: res.headers, text };
	}
}

// ---- SigV4, checked independently of src/out/s3.c ------------------------

const sha256 = (b) => createHash('sha256').update(b).digest('hex');
const hmac = (k, s) => createHmac('sha256', k).update(s).digest();
const rfc3986 = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function signature(secret, stamp, scope, canonical) {
	const [date, region, service] = scope.split('/');
	let k = hmac(`AWS4${secret}`, date);
	k = hmac(hmac(hmac(k, region), service), 'aws4_request');
	return hmac(k, `AWS4-HMAC-SHA256\n${stamp}\n${scope}\n${sha256(canonical)}`).toString('hex');
}

// Why the request's signature does not verify, or null.
function verify(req, body) {
	const url = new URL(req.url, 'http://x');
	const query = [...url.searchParams].filter(([k]) => k !== 'X-Amz-Signature');
	let cred, signed, given, stamp, payload;
	if (url.searchParams.has('X-Amz-Algorithm')) {
		cred = url.searchParams.get('X-Amz-Credential');
		signed = url.searchParams.get('X-Amz-SignedHeaders');
		given = url.searchParams.get('X-Amz-Signature');
		stamp = url.searchParams.get('X-Amz-Date');
		payload = 'UNSIGNED-PAYLOAD';
		const t = Date.parse(stamp.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));
		const ttl = Number(url.searchParams.get('X-Amz-Expires'));
		if (!(ttl > 0 && ttl <= 3600) || Date.now() > t + ttl * 1000)
			return `presigned URL expired or unbounded (${stamp}, ${ttl})`;
	} else {
		const m = /^AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/
			.exec(req.headers.authorization || '');
		if (!m) return `no SigV4 authorization: ${req.method} ${req.url}`;
		[, cred, signed, given] = m;
		stamp = req.headers['x-amz-date'];
		payload = req.headers['x-amz-content-sha256'];
		if (!payload) return 'no x-amz-content-sha256 header';
		if (!signed.split(';').includes('host')) return 'host not signed';
		if (payload !== 'UNSIGNED-PAYLOAD' && payload !== sha256(body))
			return `body does not match x-amz-content-sha256 (${req.method} ${url.pathname})`;
	}
	const [key, ...scope] = cred.split('/');
	if (key !== KEY) return `unknown key ${key}`;
	if (scope[1] !== REGION || scope[2] !== 's3') return `wrong scope ${scope.join('/')}`;
	const cq = query.map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).sort().join('&');
	const ch = signed.split(';').map((h) => `${h}:${String(req.headers[h] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
	const canonical = `${req.method}\n${url.pathname}\n${cq}\n${ch}\n${signed}\n${payload}`;
	const want = signature(SECRET, stamp, scope.join('/'), canonical);
	return want === given ? null : `signature mismatch: ${req.method} ${url.pathname}\n${canonical}`;
}

const seen = [], refused = [];
let s3rver, proxy, dir;

function startProxy() {
	proxy = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			const why = verify(req, body);
			seen.push(`${req.method} ${req.url.split('?')[0]}${req.headers.range ? ` ${req.headers.range}` : ''}`);
			if (why) {
				refused.push(why);
				res.writeHead(403, { 'content-type': 'application/xml' });
				res.end('<Error><Code>SignatureDoesNotMatch</Code></Error>');
				return;
			}
			const up = http.request({ host: '127.0.0.1', port: S3RVER_PORT, method: req.method,
				path: req.url, headers: { ...req.headers, host: `127.0.0.1:${S3RVER_PORT}` } }, (r) => {
				res.writeHead(r.statusCode, r.headers);
				r.pipe(res);
			});
			up.on('error', () => { res.writeHead(502); res.end(); });
			up.end(body);
		});
	});
	return new Promise((ok) => proxy.listen(S3PORT, '127.0.0.1', ok));
}

function stopProxy() {
	return new Promise((ok) => { proxy.close(ok); proxy.closeAllConnections(); });
}

// What s3rver holds (unsigned requests straight to it).
async function object(key) {
	const r = await fetch(`http://127.0.0.1:${S3RVER_PORT}/${BUCKET}/${key}`);
	return { status: r.status, type: r.headers.get('content-type'), bytes: Buffer.from(await r.arrayBuffer()) };
}

// ---- the stack ------------------------------------------------------------

let alice, bob, learner, course, lesson;

function addUser(role, name) {
	const email = uniqueEmail(role), password = 'upload pass 123';
	const r = spawnSync(`${ROOT}/build/adept`, ['user', 'add', '--email', email, '--password', password,
		'--name', name, '--role', role], { encoding: 'utf8', env });
	assert.equal(r.status, 0, r.stderr);
	return { email, password, id: num(`SELECT id FROM users WHERE email = ${q(email)}`) };
}

async function signIn(u) {
	const c = new S3Client();
	const r = await c.submit('/login', { email: u.email, password: u.password });
	assert.equal(r.status, 303, `sign in ${u.email}`);
	c.user = u;
	c.token = await c.csrf('/account');
	return c;
}

const post = (c, path, fields = []) => c.post(path, [['csrf', c.token], ...fields]);
const idFrom = (r, re) => Number(r.headers.get('location').match(re)[1]);

async function upload(c, path, name, bytes) {
	const fd = new FormData();
	fd.append('csrf', c.token);
	fd.append('file', new Blob([bytes]), name);
	const r = await fetch(`${BASE}${path}`, { method: 'POST', body: fd,
		headers: { cookie: c.cookieHeader() }, redirect: 'manual' });
	return { status: r.status, text: await r.text() };
}

const media = (name) => sql(`SELECT u.id || ' ' || u.storage_key FROM lesson_media lm JOIN uploads u
	ON u.id = lm.upload_id WHERE lm.lesson_id = ${lesson} AND u.original_name = ${q(name)}`).split(' ');

before(async () => {
	dir = mkdtempSync(`${tmpdir()}/adept-s3rver-`);
	s3rver = new S3rver({ address: '127.0.0.1', port: S3RVER_PORT, directory: dir, silent: true });
	await s3rver.run();
	await startProxy();
	// The bucket, created through the S3 API.
	assert.equal((await fetch(`http://127.0.0.1:${S3RVER_PORT}/${BUCKET}`, { method: 'PUT' })).status, 200);
	stack('destroy');
	const r = stack('start');
	assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
	alice = await signIn(addUser('instructor', 'Alice S3'));
	bob = await signIn(addUser('instructor', 'Bob S3'));
	learner = await signIn(addUser('learner', 'Lea S3'));
	let p = await post(alice, '/teach/courses/new', [['title', `S3 course ${process.pid}`], ['summary', 'S3'],
		['level', 'beginner'], ['language', 'en'], ['estimated_hours', '2']]);
	assert.equal(p.status, 303, p.text.slice(0, 500));
	course = idFrom(p, /\/teach\/courses\/(\d+)/);
	p = await post(alice, `/teach/courses/${course}/modules`, [['title', 'Media']]);
	const module = idFrom(p, /#module-(\d+)/);
	p = await post(alice, `/teach/modules/${module}/lessons/new`, [['title', 'Media lesson'], ['kind', 'video'],
		['estimated_minutes', '15'], ['body', 'Watch this.']]);
	lesson = idFrom(p, /\/teach\/lessons\/(\d+)/);
});

after(async () => {
	stack('destroy');
	if (proxy?.listening) await stopProxy();
	if (s3rver) await s3rver.close();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

test('nginx has the /_s3/ location for the configured endpoint', () => {
	const conf = execFileSync('cat', [`${VAR}/nginx-s3.conf`], { encoding: 'utf8' });
	assert.match(conf, new RegExp(`proxy_pass http://127\\.0\\.0\\.1:${S3PORT}/;`));
});

const mp4 = Buffer.concat([Buffer.from('00000018667479706d703432', 'hex'),
	Buffer.from(Array.from({ length: 256 * 1024 }, (_, i) => (i * 7 + 3) & 0xff))]);
const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(2048, 5)]);

test('an image and a video land in the bucket, signed, with their sniffed types', async () => {
	assert.equal((await upload(alice, `/teach/lessons/${lesson}/media`, 'clip.mp4', mp4)).status, 303);
	assert.equal((await upload(alice, `/teach/lessons/${lesson}/media`, 'figure.png', png)).status, 303);
	for (const [name, bytes, type] of [['clip.mp4', mp4, 'video/mp4'], ['figure.png', png, 'image/png']]) {
		const [, key] = media(name);
		assert.match(key, /^[0-9a-f]{2}\/[0-9a-f]{32}\.(mp4|png)$/);
		const o = await object(key);
		assert.equal(o.status, 200, `${key} in the bucket`);
		assert.equal(o.type, type);
		assert.ok(o.bytes.equals(bytes), 'same bytes');
		assert.ok(seen.includes(`PUT /${BUCKET}/${key}`));
	}
	assert.deepEqual(refused, []);
	// Nothing kept on local disk but the (empty) temporary directory.
	assert.equal(spawnSync('find', [`${VAR}/uploads`, '-type', 'f'], { encoding: 'utf8' }).stdout, '');
});

test('served through nginx after the access check: full, Range 206 with the right bytes, others 404', async () => {
	const [vid, key] = media('clip.mp4');
	assert.equal((await learner.get(`/uploads/${vid}`)).status, 404, 'not enrolled');
	sql(`INSERT INTO enrollments (user_id, course_id) VALUES (${learner.user.id}, ${course})`);
	let r = await fetch(`${BASE}/uploads/${vid}`, { headers: { cookie: learner.cookieHeader() } });
	assert.equal(r.status, 200);
	assert.equal(r.headers.get('content-type'), 'video/mp4');
	assert.ok(Buffer.from(await r.arrayBuffer()).equals(mp4));
	r = await fetch(`${BASE}/uploads/${vid}`, { headers: { cookie: learner.cookieHeader(), range: 'bytes=1000-1999' } });
	assert.equal(r.status, 206);
	assert.equal(r.headers.get('content-range'), `bytes 1000-1999/${mp4.length}`);
	assert.ok(Buffer.from(await r.arrayBuffer()).equals(mp4.subarray(1000, 2000)), 'the requested bytes');
	assert.ok(seen.includes(`GET /${BUCKET}/${key} bytes=1000-1999`), 'the range went to the store');
	// HEAD is fetched as the GET the URL was presigned for; no body comes back.
	r = await fetch(`${BASE}/uploads/${vid}`, { method: 'HEAD', headers: { cookie: learner.cookieHeader() } });
	assert.equal(r.status, 200);
	assert.equal(r.headers.get('content-length'), String(mp4.length));
	// The author sees it; another instructor and strangers do not.
	assert.equal((await alice.get(`/uploads/${vid}`)).status, 200);
	assert.equal((await bob.get(`/uploads/${vid}`)).status, 404);
	assert.equal((await new S3Client().get(`/uploads/${vid}`)).status, 404);
	// The internal location cannot be reached from outside.
	assert.equal((await fetch(`${BASE}/_s3/${BUCKET}/${key}`)).status, 404);
	assert.deepEqual(refused, [], 'every presigned GET verified');
});

test('delete removes the row and the object', async () => {
	const [id, key] = media('figure.png');
	assert.equal((await post(bob, `/uploads/${id}/delete`)).status, 404);
	assert.equal((await object(key)).status, 200);
	assert.equal((await post(alice, `/uploads/${id}/delete`)).status, 303);
	assert.equal(num(`SELECT count(*) FROM uploads WHERE id = ${id}`), 0);
	assert.equal((await object(key)).status, 404, 'object deleted');
	assert.ok(seen.includes(`DELETE /${BUCKET}/${key}`));
	assert.deepEqual(refused, []);
});

test('the orphan clean-up deletes an old orphan\'s object and keeps the rest', async () => {
	const pdf = (s) => Buffer.from(`%PDF-1.4\n${s}\n`);
	for (const name of ['orphan.pdf', 'kept.pdf'])
		assert.equal((await upload(alice, `/teach/lessons/${lesson}/media`, name, pdf(name))).status, 303);
	const [orphan, orphanKey] = media('orphan.pdf'), [kept, keptKey] = media('kept.pdf');
	sql(`DELETE FROM lesson_media WHERE upload_id = ${orphan}`);
	sql(`UPDATE uploads SET created_at = now() - interval '2 days' WHERE id IN (${orphan}, ${kept})`);
	const job = Number(sql(`INSERT INTO jobs (kind) VALUES ('upload_cleanup') RETURNING id; NOTIFY adept_jobs`).split('\n')[0]);
	let state = '';
	for (let i = 0; i < 100 && state !== 'done' && state !== 'dead'; i++) {
		await new Promise((ok) => setTimeout(ok, 100));
		state = sql(`SELECT state FROM jobs WHERE id = ${job}`);
	}
	assert.equal(state, 'done', sql(`SELECT coalesce(last_error, '') FROM jobs WHERE id = ${job}`));
	assert.equal(num(`SELECT count(*) FROM uploads WHERE id = ${orphan}`), 0);
	assert.equal((await object(orphanKey)).status, 404, 'orphan object deleted');
	assert.equal((await object(keptKey)).status, 200, 'referenced object kept');
	assert.deepEqual(refused, []);
});

test('course material: the worker reads the object back to index it; deleting the material deletes it', async () => {
	const md = '# Photosynthesis\n\nPlants turn light, water and carbon dioxide into sugar and oxygen. '
		+ 'Chlorophyll absorbs the light.\n\n## Where\n\nIt happens in the chloroplasts of leaf cells.\n';
	const fd = new FormData();
	fd.append('csrf', alice.token);
	fd.append('files', new Blob([md]), 'photo.md');
	const r = await fetch(`${BASE}/teach/courses/${course}/materials`, { method: 'POST', body: fd,
		headers: { cookie: alice.cookieHeader() }, redirect: 'manual' });
	assert.equal(r.status, 303, (await r.text()).slice(0, 300));
	const [id, key] = sql(`SELECT m.id || ' ' || u.storage_key FROM course_materials m JOIN uploads u ON u.id = m.upload_id
		WHERE m.course_id = ${course} AND m.name = 'photo.md'`).split(' ');
	let status = '';
	for (let i = 0; i < 200 && !['ready', 'failed'].includes(status); i++) {
		await new Promise((ok) => setTimeout(ok, 100));
		status = sql(`SELECT status || ' ' || reason FROM course_materials WHERE id = ${id}`).split(' ')[0];
	}
	assert.equal(status, 'ready', sql(`SELECT reason FROM course_materials WHERE id = ${id}`));
	assert.ok(num(`SELECT passages FROM course_materials WHERE id = ${id}`) > 0);
	assert.ok(seen.includes(`GET /${BUCKET}/${key}`), 'the worker fetched the object');
	assert.equal(spawnSync('find', [`${VAR}/uploads`, '-type', 'f'], { encoding: 'utf8' }).stdout, '',
		'its temporary copy is gone');
	assert.equal((await post(alice, `/teach/courses/${course}/materials/${id}/delete`)).status, 303);
	assert.equal((await object(key)).status, 404, 'object deleted');
	assert.deepEqual(refused, []);
});

test('a store that is down: the upload is a clear 503, no row, no temporary file', async () => {
	await stopProxy();
	try {
		const before = num('SELECT count(*) FROM uploads');
		let r = await upload(alice, `/teach/lessons/${lesson}/media`, 'down.png', png);
		assert.equal(r.status, 503, r.text.slice(0, 300));
		assert.match(r.text, /file store is not answering/);
		r = await upload(alice, `/api/v1/teach/lessons/${lesson}/media`, 'down.png', png);
		assert.equal(r.status, 503);
		assert.match(r.text, /file store is not answering/);
		assert.equal(num('SELECT count(*) FROM uploads'), before, 'no row');
		assert.equal(spawnSync('find', [`${VAR}/uploads`, '-type', 'f'], { encoding: 'utf8' }).stdout, '');
	} finally {
		await startProxy();
	}
	// Back up: uploads work again.
	assert.equal((await upload(alice, `/teach/lessons/${lesson}/media`, 'again.png', png)).status, 303);
	assert.deepEqual(refused, []);
});

test('an upload refused by the store (bad credentials) is a 500 with no row', async () => {
	// A PUT whose body does not match its hash would be refused the same
	// way; here the proxy refuses everything for one request.
	const real = proxy.listeners('request')[0];
	proxy.removeAllListeners('request');
	proxy.on('request', (req, res) => { req.resume(); res.writeHead(403); res.end('<Error><Code>AccessDenied</Code></Error>'); });
	try {
		const before = num('SELECT count(*) FROM uploads');
		const r = await upload(alice, `/teach/lessons/${lesson}/media`, 'denied.png', png);
		assert.equal(r.status, 500, r.text.slice(0, 300));
		assert.match(r.text, /could not be stored/);
		assert.equal(num('SELECT count(*) FROM uploads'), before);
	} finally {
		proxy.removeAllListeners('request');
		proxy.on('request', real);
	}
});

