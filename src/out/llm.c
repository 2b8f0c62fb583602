/*
 * llm: OpenAI-compatible chat completions over libcurl.  See llm.h.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>

#include "out/llm.h"

#define REPLY_MAX	(4u << 20)	/* bytes of a reply kept */

const char *
llm_status_name(enum llm_status s)
{
	static const char *const n[] = { "ok", "disabled", "circuit_open",
	    "timeout", "connect", "http_status", "invalid_json",
	    "schema_mismatch", "out_of_memory" };

	return (unsigned)s < LLM__MAX ? n[s] : "unknown";
}

/* ---- configuration --------------------------------------------------- */

static long
env_ms(const char *name, long def, double scale)
{
	const char *v = getenv(name);
	char *end;
	double d;

	if (v == NULL || *v == '\0')
		return def;
	errno = 0;
	d = strtod(v, &end);
	if (errno || *end || d < 0 || d * scale > 86400000.0)
		return def;
	return (long)(d * scale + 0.5);
}

void
llm_config_url(struct llm_config *c, const char *base)
{
	size_t n;
	const char *suffix = "/v1/chat/completions";

	c->url[0] = '\0';
	if (base == NULL || *base == '\0')
		return;
	n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		n--;
	if (n >= 17 && strncmp(base + n - 17, "/chat/completions", 17) == 0)
		suffix = "";
	else if (n >= 3 && strncmp(base + n - 3, "/v1", 3) == 0)
		suffix = "/chat/completions";
	if ((size_t)snprintf(c->url, sizeof(c->url), "%.*s%s", (int)n, base,
	    suffix) >= sizeof(c->url))
		c->url[0] = '\0';	/* too long to be a real endpoint */
}

void
llm_config_init(struct llm_config *c)
{
	const char *v;

	memset(c, 0, sizeof(*c));
	llm_config_url(c, getenv("ADEPT_LLM_URL"));
	if ((v = getenv("ADEPT_LLM_MODEL")) != NULL)
		snprintf(c->model, sizeof(c->model), "%s", v);
	if ((v = getenv("ADEPT_LLM_KEY")) != NULL)
		snprintf(c->key, sizeof(c->key), "%s", v);
	c->connect_timeout_ms = env_ms("ADEPT_LLM_CONNECT_TIMEOUT_S", 5000,
	    1000);
	c->timeout_ms = env_ms("ADEPT_LLM_TIMEOUT_S", 20000, 1000);
	c->retries = (int)env_ms("ADEPT_LLM_RETRIES", 2, 1);
	if (c->retries > 10)
		c->retries = 10;
	c->backoff_ms = env_ms("ADEPT_LLM_BACKOFF_MS", 500, 1);
	c->breaker_failures = (int)env_ms("ADEPT_LLM_BREAKER_FAILURES", 3, 1);
	c->breaker_cooldown_ms = env_ms("ADEPT_LLM_BREAKER_COOLDOWN_S", 60000,
	    1000);
	c->max_tokens = (int)env_ms("ADEPT_LLM_MAX_TOKENS", 2048, 1);
	if (c->timeout_ms < 1)
		c->timeout_ms = 1;
	if (c->connect_timeout_ms < 1)
		c->connect_timeout_ms = 1;
}

int
llm_enabled(const struct llm_config *c)
{
	return c != NULL && c->url[0] != '\0';
}

/* ---- circuit breaker ------------------------------------------------- */

long long
llm_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
llm_breaker_init(struct llm_breaker *b)
{
	memset(b, 0, sizeof(*b));
	pthread_mutex_init(&b->mu, NULL);
}

void
llm_breaker_destroy(struct llm_breaker *b)
{
	pthread_mutex_destroy(&b->mu);
}

int
llm_breaker_allow(struct llm_breaker *b, long long now)
{
	int ok;

	pthread_mutex_lock(&b->mu);
	ok = b->open_until == 0 || now >= b->open_until;
	if (!ok)
		b->skipped++;
	pthread_mutex_unlock(&b->mu);
	return ok;
}

void
llm_breaker_record(struct llm_breaker *b, const struct llm_config *c, int ok,
    long long now)
{
	pthread_mutex_lock(&b->mu);
	if (ok) {
		b->failures = 0;
		b->open_until = 0;
	} else if (++b->failures >= c->breaker_failures &&
	    c->breaker_failures > 0)
		b->open_until = now + c->breaker_cooldown_ms;
	pthread_mutex_unlock(&b->mu);
}

/* ---- the call -------------------------------------------------------- */

struct reply {
	char	*p;
	size_t	 n;
	int	 over;
};

static size_t
write_cb(char *d, size_t sz, size_t nm, void *arg)
{
	struct reply *r = arg;
	size_t n = sz * nm;
	char *np;

	if (r->n + n > REPLY_MAX) {
		r->over = 1;
		return 0;
	}
	if ((np = realloc(r->p, r->n + n + 1)) == NULL)
		return 0;
	r->p = np;
	memcpy(r->p + r->n, d, n);
	r->n += n;
	r->p[r->n] = '\0';
	return n;
}

static enum llm_status
set(struct llm_result *res, enum llm_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum llm_status
set(struct llm_result *res, enum llm_status st, const char *fmt, ...)
{
	va_list ap;

	res->st = st;
	va_start(ap, fmt);
	vsnprintf(res->msg, sizeof(res->msg), fmt, ap);
	va_end(ap);
	return st;
}

/* The key must not reach a message even if a server echoes it back. */
static void
redact(char *s, const char *key)
{
	size_t kl = strlen(key);
	char *p;

	if (kl < 4)
		return;
	while ((p = strstr(s, key)) != NULL) {
		memset(p, '*', kl);
	}
}

/* A short, printable summary of an error reply: OpenAI's
 * {"error":{"message":...}} when present, else the body's start. */
static void
error_snippet(const struct reply *r, char *out, size_t outsz)
{
	json_t *j, *e, *m;
	const char *s = NULL;
	size_t i, k;

	out[0] = '\0';
	if (r->p == NULL)
		return;
	j = json_loadb(r->p, r->n, 0, NULL);
	if (j && (e = json_object_get(j, "error")) != NULL) {
		if (json_is_string(e))
			s = json_string_value(e);
		else if ((m = json_object_get(e, "message")) != NULL &&
		    json_is_string(m))
			s = json_string_value(m);
	}
	if (s == NULL)
		s = r->p;
	for (i = 0, k = 0; s[i] && k + 1 < outsz && k < 160; i++)
		out[k++] = (unsigned char)s[i] < 0x20 ? ' ' : s[i];
	out[k] = '\0';
	json_decref(j);
}

static char *
request_body(const struct llm_config *c, const char *sys, const char *user)
{
	json_t *o = json_object(), *msgs = json_array(), *m;
	char *s;

	if (c->model[0])
		json_object_set_new(o, "model", json_string(c->model));
	m = json_object();
	json_object_set_new(m, "role", json_string("system"));
	json_object_set_new(m, "content", json_string(sys));
	json_array_append_new(msgs, m);
	m = json_object();
	json_object_set_new(m, "role", json_string("user"));
	json_object_set_new(m, "content", json_string(user));
	json_array_append_new(msgs, m);
	json_object_set_new(o, "messages", msgs);
	m = json_object();
	json_object_set_new(m, "type", json_string("json_object"));
	json_object_set_new(o, "response_format", m);
	json_object_set_new(o, "temperature", json_real(0.2));
	if (c->max_tokens > 0)
		json_object_set_new(o, "max_tokens",
		    json_integer(c->max_tokens));
	json_object_set_new(o, "stream", json_false());
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

size_t
llm_json_span(const char *s, size_t len, size_t *off)
{
	size_t a = 0, b = len;

	while (a < b && strchr(" \t\r\n", s[a]) != NULL)
		a++;
	while (b > a && strchr(" \t\r\n", s[b - 1]) != NULL)
		b--;
	if (b - a >= 6 && strncmp(s + a, "```", 3) == 0 &&
	    strncmp(s + b - 3, "```", 3) == 0) {
		while (a < b && s[a] != '\n')	/* ```json */
			a++;
		b -= 3;
		while (a < b && strchr(" \t\r\n", s[a]) != NULL)
			a++;
		while (b > a && strchr(" \t\r\n", s[b - 1]) != NULL)
			b--;
	}
	*off = a;
	return b - a;
}

/* The reply's choices[0].message.content, through check. */
static enum llm_status
envelope(const struct reply *r, llm_check_fn check, void *ctx,
    struct llm_result *res)
{
	json_error_t je;
	json_t *j, *ch, *msg, *ct, *fr;
	const char *content, *finish = NULL;
	enum llm_status st;

	if ((j = json_loadb(r->p ? r->p : "", r->n, 0, &je)) == NULL)
		return set(res, LLM_BAD_JSON, "the endpoint's reply is not "
		    "JSON (%s at byte %d)", je.text, je.position);
	ch = json_object_get(j, "choices");
	msg = json_object_get(json_array_get(ch, 0), "message");
	ct = json_object_get(msg, "content");
	fr = json_object_get(json_array_get(ch, 0), "finish_reason");
	if (json_is_string(fr))
		finish = json_string_value(fr);
	if (!json_is_string(ct)) {
		json_decref(j);
		return set(res, LLM_SCHEMA, "the endpoint's reply has no "
		    "choices[0].message.content (not a chat completion)");
	}
	content = json_string_value(ct);
	res->msg[0] = '\0';
	st = check(ctx, content, json_string_length(ct), res->msg,
	    sizeof(res->msg));
	res->st = st;
	if (st != LLM_OK && finish != NULL && strcmp(finish, "length") == 0) {
		size_t l = strlen(res->msg);

		snprintf(res->msg + l, sizeof(res->msg) - l, " (the model "
		    "stopped at max_tokens: raise ADEPT_LLM_MAX_TOKENS)");
	}
	json_decref(j);
	return st;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void
curl_start(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

enum llm_status
llm_chat(const struct llm_config *c, struct llm_breaker *br, const char *sys,
    const char *user, llm_check_fn check, void *ctx, struct llm_result *res)
{
	struct curl_slist *hd = NULL;
	struct reply r = { NULL, 0, 0 };
	char ebuf[CURL_ERROR_SIZE], auth[600], snip[200];
	char *body = NULL;
	CURL *h = NULL;
	CURLcode cc;
	long long t0 = llm_now_ms();
	long backoff;
	int attempt, retry;

	memset(res, 0, sizeof(*res));
	if (!llm_enabled(c))
		return set(res, LLM_DISABLED, "no language model configured "
		    "(ADEPT_LLM_URL is not set)");
	if (br != NULL && !llm_breaker_allow(br, t0))
		return set(res, LLM_CIRCUIT_OPEN, "the language model failed "
		    "%d times in a row; not calling it for %ld s",
		    c->breaker_failures, c->breaker_cooldown_ms / 1000);
	pthread_once(&curl_once, curl_start);
	if ((body = request_body(c, sys, user)) == NULL ||
	    (h = curl_easy_init()) == NULL ||
	    (hd = curl_slist_append(NULL, "Content-Type: application/json"))
	    == NULL) {
		set(res, LLM_NOMEM, "out of memory");
		goto out;
	}
	if (c->key[0]) {
		struct curl_slist *n;

		snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
		    c->key);
		n = curl_slist_append(hd, auth);
		explicit_bzero(auth, sizeof(auth));
		if (n == NULL) {
			set(res, LLM_NOMEM, "out of memory");
			goto out;
		}
		hd = n;
	}
	/* no "Expect: 100-continue" round trip for big prompts */
	{
		struct curl_slist *n = curl_slist_append(hd, "Expect:");

		if (n == NULL) {
			set(res, LLM_NOMEM, "out of memory");
			goto out;
		}
		hd = n;
	}
	curl_easy_setopt(h, CURLOPT_URL, c->url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &r);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, c->connect_timeout_ms);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, c->timeout_ms);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "adept-llm/1");
	backoff = c->backoff_ms;
	for (attempt = 0; ; attempt++) {
		free(r.p);
		r.p = NULL;
		r.n = 0;
		r.over = 0;
		ebuf[0] = '\0';
		res->attempts++;
		cc = curl_easy_perform(h);
		res->http = 0;
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &res->http);
		retry = 0;
		if (cc == CURLE_OPERATION_TIMEDOUT) {
			set(res, LLM_TIMEOUT, "no answer within %.1f s "
			    "(ADEPT_LLM_TIMEOUT_S)", c->timeout_ms / 1000.0);
			retry = 1;
		} else if (cc == CURLE_WRITE_ERROR && r.over) {
			set(res, LLM_BAD_JSON, "the reply is over %u bytes",
			    REPLY_MAX);
		} else if (cc != CURLE_OK) {
			set(res, LLM_CONNECT, "%s", ebuf[0] ? ebuf :
			    curl_easy_strerror(cc));
			retry = cc != CURLE_URL_MALFORMAT &&
			    cc != CURLE_UNSUPPORTED_PROTOCOL &&
			    cc != CURLE_WRITE_ERROR;
		} else if (res->http < 200 || res->http > 299) {
			error_snippet(&r, snip, sizeof(snip));
			set(res, LLM_HTTP, "HTTP %ld from the endpoint%s%s",
			    res->http, snip[0] ? ": " : "", snip);
			retry = res->http >= 500;
		} else {
			envelope(&r, check, ctx, res);
		}
		if (!retry || attempt >= c->retries)
			break;
		sleep_ms(backoff);
		backoff *= 2;
	}
out:
	redact(res->msg, c->key);
	res->ms = llm_now_ms() - t0;
	if (br != NULL && res->st != LLM_NOMEM)
		llm_breaker_record(br, c, res->st == LLM_OK, llm_now_ms());
	if (res->st != LLM_OK && res->attempts > 1) {
		size_t l = strlen(res->msg);

		snprintf(res->msg + l, sizeof(res->msg) - l, " (after %d "
		    "attempts)", res->attempts);
	}
	curl_slist_free_all(hd);
	curl_easy_cleanup(h);
	free(body);
	free(r.p);
	return res->st;
}
