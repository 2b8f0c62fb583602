/*
 * mail: the outbox, RFC 5322 messages and SMTP delivery through libcurl;
 * see mail.h for the contract.
 *
 * The design decision: the sender holds the outbox row locked (FOR UPDATE
 * SKIP LOCKED) for the length of one SMTP transaction and records the
 * outcome in the same database transaction, so a mail is marked sent only
 * after the server accepted it, and two senders never send the same row.
 * A crash between the server's "250 OK" and the commit sends that one
 * mail twice on the next run: at-least-once, never lost.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <sodium.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/log.h"
#include "base/token.h"
#include "db/db.h"
#include "http/server.h"
#include "http/tmpl.h"
#include "http/view.h"
#include "jobs/jobs.h"
#include "out/mail.h"

#define RETRY_MAX	(6 * 3600.0)

/* ---- configuration ---------------------------------------------------- */

static void
copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src != NULL ? src : "");
}

static void
addr_only(char *dst, size_t n, const char *from)
{
	const char *lt, *gt;

	if ((lt = strrchr(from, '<')) != NULL &&
	    (gt = strchr(lt, '>')) != NULL && gt > lt + 1)
		snprintf(dst, n, "%.*s", (int)(gt - lt - 1), lt + 1);
	else
		copy(dst, n, from);
}

void
mail_conf_init(struct mail_conf *c)
{
	const char *s, *q;
	char *opt;

	memset(c, 0, sizeof(*c));
	if ((s = getenv("ADEPT_SMTP_URL")) == NULL || *s == '\0')
		s = "smtp://127.0.0.1:25";
	copy(c->smtp_url, sizeof(c->smtp_url), s);
	/* Our own option travels in the query; curl must not see it. */
	if ((opt = strchr(c->smtp_url, '?')) != NULL) {
		c->require_tls = strstr(opt, "starttls=required") != NULL;
		*opt = '\0';
	}
	if ((s = getenv("ADEPT_MAIL_FROM")) == NULL || *s == '\0')
		s = "Adept <noreply@localhost>";
	copy(c->from, sizeof(c->from), s);
	addr_only(c->from_addr, sizeof(c->from_addr), c->from);
	if ((s = getenv("ADEPT_BASE_URL")) != NULL && *s != '\0')
		copy(c->base_url, sizeof(c->base_url), s);
	else {
		q = getenv("PORT");
		snprintf(c->base_url, sizeof(c->base_url),
		    "http://localhost:%s", q != NULL && *q ? q : "8080");
	}
	while (c->base_url[0] != '\0' &&
	    c->base_url[strlen(c->base_url) - 1] == '/')
		c->base_url[strlen(c->base_url) - 1] = '\0';
	if ((s = getenv("ADEPT_SMTP_CA")) != NULL)
		copy(c->cainfo, sizeof(c->cainfo), s);
	c->retry_base = 60;
	if ((s = getenv("ADEPT_MAIL_RETRY_BASE")) != NULL && atof(s) > 0)
		c->retry_base = atof(s);
}

/* ---- kinds ---------------------------------------------------------- */

static const struct {
	const char	*template;
	const char	*kind;		/* NULL: security mail */
	enum tmpl	 txt, html;	/* TMPL__MAX: not ours to render */
} kinds[] = {
	{ "welcome", "all", TMPL_MAIL_WELCOME_TXT, TMPL_MAIL_WELCOME_HTML },
	{ "password_reset", NULL, TMPL_MAIL_PASSWORD_RESET_TXT,
	    TMPL_MAIL_PASSWORD_RESET_HTML },
	{ "enrolment", "enrolment", TMPL_MAIL_ENROLMENT_TXT,
	    TMPL_MAIL_ENROLMENT_HTML },
	{ "completion", "completion", TMPL_MAIL_COMPLETION_TXT,
	    TMPL_MAIL_COMPLETION_HTML },
	{ "weekly_report", "weekly", TMPL_MAIL_WEEKLY_TXT,
	    TMPL_MAIL_WEEKLY_HTML },
	{ "notification", "notification", TMPL_MAIL_NOTIFICATION_TXT,
	    TMPL_MAIL_NOTIFICATION_HTML },
	{ "payout", "payout", TMPL_MAIL_PAYOUT_TXT, TMPL_MAIL_PAYOUT_HTML },
	/* Written by the course pages (learning_outbox_insert). */
	{ "course_enrolled", "enrolment", TMPL__MAX, TMPL__MAX },
	{ "course_completed", "completion", TMPL__MAX, TMPL__MAX },
};
#define NKINDS	(sizeof(kinds) / sizeof(kinds[0]))

const char *
mail_pref_kind(const char *template)
{
	size_t i;

	for (i = 0; i < NKINDS; i++)
		if (strcmp(kinds[i].template, template) == 0)
			return kinds[i].kind;
	return "notification";
}

int
mail_pref_kind_valid(const char *kind)
{
	static const char *const valid[] = { "all", "enrolment", "completion",
	    "weekly", "notification", "payout" };
	size_t i;

	for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++)
		if (strcmp(valid[i], kind) == 0)
			return 1;
	return 0;
}

/* ---- message format ------------------------------------------------- */

static int
printable_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

/* Printable ASCII folded before a space when a line would pass 76
 * characters (the header's name is counted as 12). */
static void
fold_ascii(struct buf *out, const char *s)
{
	size_t col = 12, n;
	const char *sp;

	while (*s != '\0') {
		sp = strchr(s + 1, ' ');
		n = sp != NULL ? (size_t)(sp - s) : strlen(s);
		if (col + n > 76 && col > 12 && *s == ' ') {
			buf_puts(out, "\r\n");
			col = 0;
		}
		buf_put(out, s, n);
		col += n;
		s += n;
	}
}

void
mail_header_encode(struct buf *out, const char *s)
{
	char b64[64];
	size_t len = strlen(s), i = 0, n;
	int first = 1;

	if (printable_ascii(s)) {
		fold_ascii(out, s);
		return;
	}
	while (i < len) {
		/* 39 bytes -> 52 base64 characters: each word fits a line. */
		n = len - i > 39 ? 39 : len - i;
		while (i + n < len && n > 0 &&
		    ((unsigned char)s[i + n] & 0xc0) == 0x80)
			n--;
		if (n == 0)
			n = len - i > 39 ? 39 : len - i;
		sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)s + i,
		    n, sodium_base64_VARIANT_ORIGINAL);
		if (!first)
			buf_puts(out, "\r\n ");
		buf_printf(out, "=?UTF-8?B?%s?=", b64);
		first = 0;
		i += n;
	}
}

/* A header value from untrusted text: CR, LF and other controls become
 * spaces, so nothing can add a header. */
static void
header(struct buf *out, const char *name, const char *value)
{
	char *v = strdup(value), *p;

	if (v == NULL)
		abort();
	for (p = v; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	buf_printf(out, "%s: ", name);
	mail_header_encode(out, v);
	buf_puts(out, "\r\n");
	free(v);
}

/* RFC 2045 quoted-printable, CRLF line ends, lines under 77 characters;
 * a '.' starting a line is encoded too, so no line is an SMTP end mark. */
static void
put_qp(struct buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t col = 0;
	unsigned char c;
	char tok[4];
	int enc, eol;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (c == '\r' && s[1] == '\n')
			continue;
		if (c == '\n') {
			buf_puts(out, "\r\n");
			col = 0;
			continue;
		}
		eol = s[1] == '\0' || s[1] == '\n' ||
		    (s[1] == '\r' && s[2] == '\n');
		enc = c == '=' || c > 0x7e || (c < 0x20 && c != '\t') ||
		    ((c == ' ' || c == '\t') && eol) || (c == '.' && col == 0);
		if (enc) {
			tok[0] = '=';
			tok[1] = hex[c >> 4];
			tok[2] = hex[c & 15];
			tok[3] = '\0';
		} else {
			tok[0] = (char)c;
			tok[1] = '\0';
		}
		if (col + strlen(tok) > (eol ? 76 : 75)) {
			buf_puts(out, "=\r\n");
			col = 0;
			if (c == '.' && !enc) {
				buf_puts(out, "=2E");
				col = 3;
				continue;
			}
		}
		buf_puts(out, tok);
		col += strlen(tok);
	}
	buf_puts(out, "\r\n");
}

static void
part(struct buf *out, const char *ctype, const char *body)
{
	buf_printf(out, "Content-Type: %s; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n", ctype);
	put_qp(out, body);
}

void
mail_format(struct buf *out, const struct mail_msg *m)
{
	char date[64], bound[40], rnd[16];
	struct tm tm;
	time_t t = (time_t)m->date;
	const char *lt;

	gmtime_r(&t, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	/* From: a display name is encoded on its own, the address kept. */
	if ((lt = strrchr(m->from, '<')) != NULL && lt > m->from) {
		char *name = strndup(m->from, (size_t)(lt - m->from));
		size_t n;

		if (name == NULL)
			abort();
		n = strlen(name);
		while (n > 0 && name[n - 1] == ' ')
			name[--n] = '\0';
		buf_puts(out, "From: ");
		if (printable_ascii(name))
			buf_printf(out, "\"%s\"", name);
		else
			mail_header_encode(out, name);
		buf_printf(out, " %s\r\n", lt);
		free(name);
	} else
		header(out, "From", m->from);
	header(out, "To", m->to);
	header(out, "Subject", m->subject);
	buf_printf(out, "Date: %s\r\n", date);
	header(out, "Message-ID", m->message_id);
	buf_puts(out, "MIME-Version: 1.0\r\n");
	if (m->unsub_url != NULL) {
		buf_printf(out, "List-Unsubscribe: <%s>\r\n", m->unsub_url);
		buf_puts(out, "List-Unsubscribe-Post: "
		    "List-Unsubscribe=One-Click\r\n");
	}
	buf_puts(out, "Auto-Submitted: auto-generated\r\n");
	if (m->html == NULL) {
		part(out, "text/plain", m->text);
		return;
	}
	randombytes_buf(rnd, sizeof(rnd));
	snprintf(bound, sizeof(bound), "=_adept_");
	sodium_bin2hex(bound + 8, sizeof(bound) - 8, (unsigned char *)rnd, 12);
	buf_printf(out, "Content-Type: multipart/alternative;\r\n"
	    " boundary=\"%s\"\r\n\r\nThis is a MIME message.\r\n", bound);
	buf_printf(out, "\r\n--%s\r\n", bound);
	part(out, "text/plain", m->text);
	buf_printf(out, "\r\n--%s\r\n", bound);
	part(out, "text/html", m->html);
	buf_printf(out, "\r\n--%s--\r\n", bound);
}

/* ---- SMTP ----------------------------------------------------------- */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void
curl_start(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct upload {
	const char	*p;
	size_t		 left;
};

static size_t
read_cb(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct upload *u = arg;
	size_t n = size * nmemb;

	if (n > u->left)
		n = u->left;
	memcpy(dst, u->p, n);
	u->p += n;
	u->left -= n;
	return n;
}

/* 0 sent, -1 try again later, -2 refused for good (550..553), -3 the
 * server could not be reached or refused us (stop the run). */
static int
smtp_send(const struct mail_conf *c, const char *to, const char *msg,
    size_t len, char *err, size_t errsz)
{
	char ebuf[CURL_ERROR_SIZE] = "", from[300], rcpt[300];
	struct curl_slist *rl;
	struct upload u = { msg, len };
	CURLcode rc;
	long code = 0;
	CURL *h;

	pthread_once(&curl_once, curl_start);
	if ((h = curl_easy_init()) == NULL) {
		snprintf(err, errsz, "curl_easy_init failed");
		return -1;
	}
	snprintf(from, sizeof(from), "<%s>", c->from_addr);
	snprintf(rcpt, sizeof(rcpt), "<%s>", to);
	rl = curl_slist_append(NULL, rcpt);
	curl_easy_setopt(h, CURLOPT_URL, c->smtp_url);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rl);
	curl_easy_setopt(h, CURLOPT_USE_SSL, c->require_tls ?
	    (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
	if (c->cainfo[0] != '\0')
		curl_easy_setopt(h, CURLOPT_CAINFO, c->cainfo);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(h, CURLOPT_READDATA, &u);
	curl_easy_setopt(h, CURLOPT_INFILESIZE, (long)len);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(rl);
	curl_easy_cleanup(h);
	if (rc == CURLE_OK)
		return 0;
	snprintf(err, errsz, "%s%s%s (reply %ld)", curl_easy_strerror(rc),
	    ebuf[0] ? ": " : "", ebuf, code);
	/* The server, its TLS or our login failing is not this mail's
	 * fault: stop the run, everything waits for next time. */
	if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
	    rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_LOGIN_DENIED ||
	    rc == CURLE_USE_SSL_FAILED || rc == CURLE_SSL_CONNECT_ERROR ||
	    rc == CURLE_PEER_FAILED_VERIFICATION)
		return -3;
	/* 550..553: this mailbox is refused for good. */
	if (code >= 550 && code <= 553)
		return -2;
	return -1;
}

int
mail_smtp_send(const struct mail_conf *c, const char *to, const char *msg,
    size_t len, char *err, size_t errsz)
{
	return smtp_send(c, to, msg, len, err, errsz) == 0 ? 0 : -1;
}

/* ---- queueing --------------------------------------------------------- */

static int
kind_index(const char *template)
{
	size_t i;

	for (i = 0; i < NKINDS; i++)
		if (strcmp(kinds[i].template, template) == 0)
			return (int)i;
	return -1;
}

/* 1 if user_id wants mail of kind (NULL: security mail, always), 0 if
 * not, or a db_err. */
static int
wanted(struct db *db, struct arena *a, int64_t user_id, const char *kind)
{
	const char *p[2];
	int n;

	if (kind == NULL || user_id == 0)
		return 1;
	p[0] = db_i64s(a, user_id);
	p[1] = kind;
	if ((n = db_exec(db, STMT_MAIL_PREF_WANTED, 2, p)) != 1)
		return n < 0 ? n : DB_HARD;
	return db_bool(db, 0, 0);
}

static char *
render(struct arena *a, enum tmpl t, const struct view *v)
{
	struct buf b;
	char *s;

	buf_init(&b);
	if (tmpl_render(t, v, &b) != 0) {
		buf_free(&b);
		return NULL;
	}
	s = arena_strndup(a, b.p != NULL ? b.p : "", b.len);
	buf_free(&b);
	return s;
}

int
mail_queue(struct db *db, struct arena *a, int64_t user_id,
    const char *template, const char *subject, const struct mail_var *vars,
    size_t nvars)
{
	struct mail_conf conf;
	struct view *vt, *vh;
	const char *p[6], *email, *name;
	char *text, *html;
	size_t i;
	int k, n;

	if ((k = kind_index(template)) < 0 || kinds[k].txt == TMPL__MAX) {
		log_msg("mail: no templates for \"%s\"", template);
		return -1;
	}
	p[0] = db_i64s(a, user_id);
	if ((n = db_exec(db, STMT_MAIL_USER_GET, 1, p)) != 1)
		return n < 0 ? n : 0;
	if (!db_bool(db, 0, 3))
		return 0;
	email = arena_strdup(a, db_str(db, 0, 1));
	name = arena_strdup(a, db_str(db, 0, 2));
	if ((n = wanted(db, a, user_id, kinds[k].kind)) != 1)
		return n;
	mail_conf_init(&conf);
	vt = view_new(a);
	vh = view_new(a);
	view_set_raw(vt, "name", name);
	view_set(vh, "name", name);
	view_set_raw(vt, "base_url", conf.base_url);
	view_set(vh, "base_url", conf.base_url);
	for (i = 0; i < nvars; i++) {
		const char *nm = vars[i].name, *val = vars[i].value;

		if (strncmp(nm, "html_", 5) == 0)
			view_set_raw(vh, nm, val);
		else if (strncmp(nm, "text_", 5) == 0)
			view_set_raw(vt, nm, val);
		else {
			view_set_raw(vt, nm, val);
			view_set(vh, nm, val);
		}
	}
	if ((text = render(a, kinds[k].txt, vt)) == NULL ||
	    (html = render(a, kinds[k].html, vh)) == NULL)
		return -1;
	p[0] = email;
	p[1] = template;
	p[2] = subject;
	p[3] = text;
	p[4] = html;
	p[5] = db_i64s(a, user_id);
	if ((n = db_exec(db, STMT_MAIL_OUTBOX_INSERT, 6, p)) != 1)
		return n < 0 ? n : DB_HARD;
	/* Wake a worker to send it now (the job sends whatever is due; the
	 * minutely schedule catches anything left). */
	if ((n = (int)jobs_enqueue(db, a, JOB_MAIL_OUTBOX, NULL, 0,
	    arena_printf(a, "outbox-%lld", (long long)db_i64(db, 0, 0)))) < 0)
		return n;
	return 1;
}

int
mail_queue_welcome(struct db *db, int64_t user_id, void *arena)
{
	return mail_queue(db, arena, user_id, "welcome", "Welcome to Adept",
	    NULL, 0);
}

int
mail_queue_payout(struct db *db, struct arena *a, int64_t instructor_id,
    const char *amount, const char *period)
{
	struct mail_var v[2] = { { "amount", amount }, { "period", period } };

	return mail_queue(db, a, instructor_id, "payout",
	    arena_printf(a, "Your Adept payout for %s", period), v, 2);
}

int
mail_queue_weekly(struct db *db, struct arena *a, int64_t user_id)
{
	struct mail_conf mc;
	struct mail_var v[6];
	struct buf tc, hc, tn, hn;
	const char *p[1];
	long lessons, minutes;
	int n, i;

	p[0] = db_i64s(a, user_id);
	if ((n = db_exec(db, STMT_MAIL_WEEKLY_STATS, 1, p)) != 1)
		return n < 0 ? n : DB_HARD;
	lessons = (long)db_i64(db, 0, 0);
	minutes = (long)db_i64(db, 0, 1);
	if ((n = db_exec(db, STMT_MAIL_WEEKLY_COURSES, 1, p)) < 0)
		return n;
	if (n == 0 && lessons == 0)
		return 0;
	mail_conf_init(&mc);
	buf_init(&tc);
	buf_init(&hc);
	buf_init(&tn);
	buf_init(&hn);
	for (i = 0; i < n; i++) {
		const char *title = db_str(db, i, 1);
		int64_t cid = db_i64(db, i, 0), lid = db_i64(db, i, 3);
		long pct = (long)db_i64(db, i, 2);

		buf_printf(&tc, "- %s: %ld%% done\n", title, pct);
		buf_puts(&hc, "<li>");
		buf_put_html(&hc, title, strlen(title));
		buf_printf(&hc, ": %ld%% done</li>", pct);
		if (lid == 0)
			continue;
		title = db_str(db, i, 4);
		buf_printf(&tn, "- %s: %s/courses/%lld/lessons/%lld\n", title,
		    mc.base_url, (long long)cid, (long long)lid);
		buf_printf(&hn, "<li><a href=\"%s/courses/%lld/lessons/%lld\">",
		    mc.base_url, (long long)cid, (long long)lid);
		buf_put_html(&hn, title, strlen(title));
		buf_puts(&hn, "</a></li>");
	}
	v[0].name = "lessons";
	v[0].value = arena_printf(a, "%ld", lessons);
	v[1].name = "minutes";
	v[1].value = minutes > 0 ? arena_printf(a, "%ld min", minutes) : "";
	v[2].name = "text_courses";
	v[2].value = arena_strdup(a, tc.p != NULL ? tc.p : "");
	v[3].name = "html_courses";
	v[3].value = arena_strdup(a, hc.p != NULL ? hc.p : "");
	v[4].name = "text_next";
	v[4].value = arena_strdup(a, tn.p != NULL ? tn.p : "");
	v[5].name = "html_next";
	v[5].value = arena_strdup(a, hn.p != NULL ? hn.p : "");
	buf_free(&tc);
	buf_free(&hc);
	buf_free(&tn);
	buf_free(&hn);
	return mail_queue(db, a, user_id, "weekly_report",
	    "Your week on Adept", v, 6);
}

/* ---- sending ---------------------------------------------------------- */

static const char *
footer_text(struct arena *a, const struct mail_conf *c, const char *kind,
    const char *unsub)
{
	if (unsub == NULL)
		return "";
	return arena_printf(a, "\n-- \nYou receive this mail because of your "
	    "Adept account.\nUnsubscribe from %s: %s\nAll mail settings: "
	    "%s/account/mail\n", strcmp(kind, "all") == 0 ? "all Adept mail "
	    "(except security notices)" : "mails like this", unsub,
	    c->base_url);
}

static const char *
footer_html(struct arena *a, const struct mail_conf *c, const char *kind,
    const char *unsub)
{
	if (unsub == NULL)
		return "";
	return arena_printf(a, "<hr><p style=\"color:#555;font-size:90%%\">"
	    "You receive this mail because of your Adept account. "
	    "<a href=\"%s\">Unsubscribe from %s</a> &middot; "
	    "<a href=\"%s/account/mail\">All mail settings</a></p>", unsub,
	    strcmp(kind, "all") == 0 ? "all Adept mail (except security "
	    "notices)" : "mails like this", c->base_url);
}

/* The HTML part: our rendered body, or the plain text shown as is. */
static const char *
html_doc(struct arena *a, const char *subject, const char *body_html,
    const char *text, const char *footer)
{
	struct buf b;
	char *s;

	buf_init(&b);
	buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
	    "<meta charset=\"utf-8\"><title>");
	buf_put_html(&b, subject, strlen(subject));
	buf_puts(&b, "</title></head>\n<body style=\"font-family:sans-serif;"
	    "line-height:1.5;max-width:40em\">\n");
	if (*body_html != '\0')
		buf_puts(&b, body_html);
	else {
		buf_puts(&b, "<div style=\"white-space:pre-wrap\">");
		buf_put_html(&b, text, strlen(text));
		buf_puts(&b, "</div>");
	}
	buf_puts(&b, footer);
	buf_puts(&b, "\n</body></html>\n");
	s = arena_strndup(a, b.p, b.len);
	buf_free(&b);
	return s;
}

/* Sends the row claimed in db->res.  0 sent, 1 failed, 2 failed and the
 * server is unreachable, 3 suppressed (opted out), or a db_err. */
static int
send_one(struct db *db, struct arena *a, const struct mail_conf *c)
{
	const char *p[4], *to, *template, *subject, *text, *html, *kind;
	const char *unsub = NULL, *hash = NULL, *msgid;
	char tok[TOKEN_STR_LEN + 1], hex[TOKEN_HASH_HEX_LEN + 1], err[512];
	char rnd[TOKEN_B64URL_LEN(18) + 1];
	struct mail_msg m;
	struct buf b;
	int64_t id, uid;
	int attempts, n, rc;
	double delay;

	id = db_i64(db, 0, 0);
	to = arena_strdup(a, db_str(db, 0, 1));
	template = arena_strdup(a, db_str(db, 0, 2));
	subject = arena_strdup(a, db_str(db, 0, 3));
	text = arena_strdup(a, db_str(db, 0, 4));
	html = arena_strdup(a, db_str(db, 0, 5));
	attempts = (int)db_i64(db, 0, 6);
	uid = db_i64(db, 0, 7);
	p[0] = db_i64s(a, id);
	kind = mail_pref_kind(template);
	if ((n = wanted(db, a, uid, kind)) < 0)
		return n;
	if (n == 0) {
		p[1] = "recipient opted out";
		n = db_exec(db, STMT_MAIL_OUTBOX_SUPPRESS, 2, p);
		return n < 0 ? n : 3;
	}
	if (kind != NULL && uid != 0) {
		token_random(tok);
		token_hash_hex(tok, strlen(tok), hex);
		hash = hex;
		unsub = arena_printf(a, "%s/unsubscribe?token=%s", c->base_url,
		    tok);
	}
	token_random_str(rnd, sizeof(rnd), 18);
	msgid = arena_printf(a, "<%s@%s>", rnd, strchr(c->from_addr, '@') ?
	    strchr(c->from_addr, '@') + 1 : "localhost");
	memset(&m, 0, sizeof(m));
	m.from = c->from;
	m.to = to;
	m.subject = subject;
	m.text = arena_printf(a, "%s%s", text,
	    footer_text(a, c, kind ? kind : "", unsub));
	m.html = html_doc(a, subject, html, text,
	    footer_html(a, c, kind ? kind : "", unsub));
	m.unsub_url = unsub;
	m.message_id = msgid;
	m.date = (int64_t)time(NULL);
	buf_init(&b);
	mail_format(&b, &m);
	rc = smtp_send(c, to, b.p, b.len, err, sizeof(err));
	buf_free(&b);
	if (rc == 0) {
		p[1] = msgid;
		p[2] = hash;
		n = db_exec(db, STMT_MAIL_OUTBOX_SENT, 3, p);
		return n < 0 ? n : 0;
	}
	delay = c->retry_base * (double)(1LL << (attempts < 30 ? attempts :
	    30));
	if (delay > RETRY_MAX)
		delay = RETRY_MAX;
	p[1] = err;
	p[2] = arena_printf(a, "%.3f", delay);
	p[3] = rc == -2 || attempts + 1 >= MAIL_MAX_ATTEMPTS ? "true" :
	    "false";
	log_msg("mail: outbox %lld to %s: %s", (long long)id, to, err);
	if ((n = db_exec(db, STMT_MAIL_OUTBOX_FAILED, 4, p)) < 0)
		return n;
	return rc == -3 ? 2 : 1;
}

int
mail_send_pending(struct db *db, const struct mail_conf *conf, int max,
    int *failed)
{
	struct mail_conf own;
	struct arena a;
	int i, n = 0, sent = 0, nfail = 0;

	if (conf == NULL) {
		mail_conf_init(&own);
		conf = &own;
	}
	arena_init(&a, 64 * 1024);
	for (i = 0; i < max; i++) {
		arena_reset(&a);
		if ((n = db_begin(db)) != 0)
			break;
		if ((n = db_exec(db, STMT_MAIL_OUTBOX_CLAIM, 0, NULL)) <= 0) {
			db_rollback(db);
			break;
		}
		/* The claimed row's data is copied out before any other
		 * statement runs. */
		n = send_one(db, &a, conf);
		if (n < 0) {
			db_rollback(db);
			break;
		}
		if (db_commit(db) != 0) {
			n = DB_RETRY;
			break;
		}
		if (n == 0)
			sent++;
		else if (n == 1 || n == 2)
			nfail++;
		if (n == 2)
			break;
		n = 0;
	}
	arena_free(&a);
	if (failed != NULL)
		*failed = nfail;
	return n < 0 ? n : sent;
}
