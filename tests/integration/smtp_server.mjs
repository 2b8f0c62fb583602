// A real SMTP server on loopback for the mail tests (npm smtp-server), with
// every message parsed by mailparser.  The server speaks ESMTP without
// STARTTLS (no certificate on loopback: libcurl's CURLUSESSL_TRY then goes
// on in clear) and requires AUTH with the given user and password when
// they are set, so the tests also check that credentials in ADEPT_SMTP_URL
// reach the server.
//
// Run alone: node tests/integration/smtp_server.mjs PORT  (prints mails).
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

// tls: { key, cert } offers STARTTLS with them; secure: TLS from the
// first byte (smtps).
export async function startSMTP({ port, host = '127.0.0.1', user, pass, tls, secure = false } = {}) {
	const messages = [];
	const waiters = [];
	const server = new SMTPServer({
		secure,
		...(tls || {}),
		disabledCommands: [...(tls ? [] : ['STARTTLS']), ...(user ? [] : ['AUTH'])],
		authOptional: !user,
		allowInsecureAuth: true,
		logger: false,
		disableReverseLookup: true,
		onAuth(auth, session, cb) {
			if (auth.username === user && auth.password === pass)
				return cb(null, { user: auth.username });
			return cb(new Error('Invalid username or password'));
		},
		// Mailboxes named reject-... do not exist (a permanent 550).
		onRcptTo(address, session, cb) {
			if (/^reject-/.test(address.address)) {
				const e = new Error('No such user here');
				e.responseCode = 550;
				return cb(e);
			}
			cb();
		},
		onData(stream, session, cb) {
			const chunks = [];
			stream.on('data', (c) => chunks.push(c));
			stream.on('end', async () => {
				const raw = Buffer.concat(chunks).toString('utf8');
				try {
					const mail = await simpleParser(raw);
					messages.push({
						raw, mail,
						envelope: session.envelope,
						authUser: session.user,
						secure: session.secure,
						to: session.envelope.rcptTo.map((r) => r.address),
					});
					for (const w of waiters.splice(0)) w();
					cb();
				} catch (e) {
					cb(e);
				}
			});
		},
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, resolve);
	});
	// A client that gives up (bad certificate, wrong password) is an
	// error event for the server; the tests look at what arrived.
	const errors = [];
	server.on('error', (e) => errors.push(e));
	return {
		messages,
		errors,
		port: server.server.address().port,
		// Resolves with the first message matching pred, or rejects.
		async waitFor(pred, { timeout = 15000, poll } = {}) {
			const end = Date.now() + timeout;
			for (;;) {
				const m = messages.find(pred);
				if (m) return m;
				if (Date.now() > end) throw new Error('no such mail arrived in time');
				if (poll) await poll();
				await new Promise((r) => {
					waiters.push(r);
					setTimeout(r, 250);
				});
			}
		},
		stop() {
			return new Promise((r) => server.close(r));
		},
	};
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const s = await startSMTP({ port: Number(process.argv[2] || 2525) });
	console.log(`smtp: listening on 127.0.0.1:${s.port}`);
	setInterval(() => {
		while (s.messages.length) {
			const m = s.messages.shift();
			console.log(`--- to ${m.to.join(', ')}: ${m.mail.subject}`);
			console.log(m.mail.text);
		}
	}, 500);
}
