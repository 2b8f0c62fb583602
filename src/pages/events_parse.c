/*
 * events_parse: a batch for POST /api/v1/events, parsed and validated
 * whole into the data of one COPY (events.h).  Pure: no I/O, no database;
 * the handler is in events.c.
 *
 * An event is ours {id, verb, object, result?, timestamp, context?} or an
 * xAPI statement (actor, verb.id, object.id, result, context, timestamp).
 * It is identified by its timestamp and id (unique per monthly partition,
 * migration 008: a time-leading key keeps the index writes local, where a
 * bare random UUID key cost a WAL page image per event), so a client
 * retrying with the same events stores nothing twice; hence the timestamp
 * is required, for xAPI statements too.
 *
 * One pass over the body with the pull reader (base/jsonpull.h): each
 * event's members are noted as slices of the body, checked in a fixed
 * order when its '}' arrives, and written as a row at once; "result",
 * "context" and "actor" go to the payload as the body's own text less
 * whitespace (validated, so valid JSON), not re-serialised.  No tree is
 * built: callgrind over bench_events (3 batches less 1) counts 5,600
 * instructions per event, 8,400 per xAPI statement, where jansson's
 * json_loadb and the walk of its tree cost 39,000 and 69,400.  Duplicate
 * keys are refused anywhere in the body, as json_loadb's
 * JSON_REJECT_DUPLICATES did.  The errors keep jansson's precedence: any
 * malformed JSON in the body wins, then more than EV_MAX events, then the
 * first invalid event; so after an invalid event the rest is only read.
 *
 * The rows leave in COPY's binary format: ids, times and numbers as
 * PostgreSQL holds them, so the server parses no UUID, date or number text
 * (callgrind over a PostgreSQL backend: 55,500 instructions per event
 * through INSERT ... unnest of text arrays, 22,800 through binary COPY with
 * migration 024's lighter table).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/jsonpull.h"
#include "pages/events.h"

#define EV_VERB_MAX	200
#define EV_OBJECT_MAX	2048
#define EV_PAYLOAD_MAX	16384
#define EV_FUTURE_S	86400		/* clocks run fast; not by a day */

/* Seconds from the Unix epoch to PostgreSQL's (2000-01-01T00:00:00Z). */
#define PG_EPOCH	946684800

/* An event's members; ours are the first six, xAPI's all but K_OTHER. */
enum key {
	K_ID, K_VERB, K_OBJECT, K_RESULT, K_TIMESTAMP, K_CONTEXT,
	K_ACTOR, K_STORED, K_AUTHORITY, K_VERSION, K_ATTACHMENTS,
	K_OTHER
};

static const char *const key_names[K_OTHER] = {
	"id", "verb", "object", "result", "timestamp", "context",
	"actor", "stored", "authority", "version", "attachments"
};

/* A member as read: its type (JPULL_EOF when absent) and, for a string,
 * its token. */
struct member {
	enum jpull_type		 type;
	struct jpull_tok	 tok;
};

/* Compact JSON of "result", "context" or "actor" in the batch's scratch. */
struct piece {
	const char	*p;
	size_t		 len;
};

struct ev {
	/* As read. */
	struct member	 m[K_OTHER];
	struct member	 verb_id, object_id;	/* xAPI verb.id, object.id */
	struct piece	 result, context, actor;
	int		 too_big;	/* the pieces overflowed the scratch */
	int64_t		 ctx_course, ctx_lesson;	/* context.*_id, or 0 */
	struct jpull_tok first_unknown[2];	/* [0] ours, [1] xAPI */
	int		 has_unknown[2];
	/* As checked. */
	unsigned char	 id[16];	/* the UUID's bytes */
	const char	*verb, *object;	/* into the body or the arena */
	size_t		 verb_len, object_len;
	int64_t		 ts;		/* microseconds from PG_EPOCH */
	char		*payload;	/* JSON text, EV_PAYLOAD_MAX + 1 room */
	size_t		 payload_len;
	int64_t		 course_id, lesson_id;	/* 0 = none */
};

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Hex digits' values with 0x10 set; 0 for any other byte. */
static const unsigned char hexval[256] = {
	['0'] = 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19,
	['A'] = 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
	['a'] = 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
};

/* Canonical 8-4-4-4-12 hex UUID (either case) into its 16 bytes; -1 if
 * not one. */
static int
uuid_parse(const char *s, size_t len, unsigned char out[16])
{
	/* Where each byte's two digits start. */
	static const unsigned char at[16] = { 0, 2, 4, 6, 9, 11, 14, 16, 19,
	    21, 24, 26, 28, 30, 32, 34 };
	const unsigned char *u = (const unsigned char *)s;
	unsigned hi, lo, ok = 0x10;
	int i;

	if (len != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' ||
	    s[23] != '-')
		return -1;
	for (i = 0; i < 16; i++) {
		hi = hexval[u[at[i]]];
		lo = hexval[u[at[i] + 1]];
		ok &= hi & lo;
		out[i] = (unsigned char)((hi & 0xf) << 4 | (lo & 0xf));
	}
	return ok ? 0 : -1;
}

/* Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil), so no time zone or libc state is involved. */
static int64_t
days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/*
 * RFC 3339 date-time in s[0..len): YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|
 * -HH:MM), checked field by field (no Feb 30, no hour 24, no leap second).
 * Gives the instant in microseconds from PG_EPOCH (digits past the sixth
 * are dropped, as PostgreSQL rounds nothing it is not sent).
 */
static int
rfc3339(const char *s, size_t len, int64_t *micros)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0, nf = 0, leap;
	int64_t frac = 0, days;
	const char *p, *end = s + len;

	if (len < 20 || digits(s, 4, &y) || s[4] != '-' ||
	    digits(s + 5, 2, &mo) || s[7] != '-' || digits(s + 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != 't') || digits(s + 11, 2, &h) ||
	    s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' ||
	    digits(s + 17, 2, &sec))
		return -1;
	p = s + 19;
	if (*p == '.') {
		p++;
		if (p == end || !is_digit(*p))
			return -1;
		for (; p < end && is_digit(*p); p++)
			if (nf < 6) {
				frac = frac * 10 + (*p - '0');
				nf++;
			}
		for (; nf < 6; nf++)
			frac *= 10;
	}
	if (p < end && (*p == 'Z' || *p == 'z')) {
		p++;
	} else if (p < end && (*p == '+' || *p == '-')) {
		sign = *p == '-' ? -1 : 1;
		if (end - p < 6 || digits(p + 1, 2, &oh) || p[3] != ':' ||
		    digits(p + 4, 2, &om) || oh > 23 || om > 59)
			return -1;
		p += 6;
	} else
		return -1;
	if (p != end || y < 1 || mo < 1 || mo > 12 || h > 23 || mi > 59 ||
	    sec > 59)
		return -1;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d < 1 || d > mdays[mo - 1] + (mo == 2 && leap))
		return -1;
	days = days_from_civil(y, mo, d);
	*micros = ((days * 86400 + h * 3600 + mi * 60 + sec -
	    sign * (oh * 3600 + om * 60)) - PG_EPOCH) * 1000000 + frac;
	return 0;
}

/* An id in "/courses/12/..." style object IRIs, or 0.  Only the first
 * occurrence of seg counts; a number past int64 saturates (as strtoll). */
static int64_t
id_after(const char *s, size_t len, const char *seg)
{
	size_t k = strlen(seg);
	const char *p = s, *end = s + len;
	int64_t v = 0;

	/* memmem's set-up costs more than this search of a short IRI. */
	for (; (p = memchr(p, seg[0], (size_t)(end - p))) != NULL; p++)
		if ((size_t)(end - p) >= k && memcmp(p, seg, k) == 0)
			break;
	if (p == NULL || (p += k) == end || !is_digit(*p))
		return 0;
	for (; p < end && is_digit(*p); p++)
		v = v > (INT64_MAX - (*p - '0')) / 10 ? INT64_MAX :
		    v * 10 + (*p - '0');
	if (p < end && *p != '/' && *p != '?' && *p != '#')
		return 0;
	return v;
}

/* A string token's decoded bytes: the body itself, or (escaped) a copy
 * in the arena. */
static const char *
tok_str(struct arena *a, const struct jpull_tok *t, size_t *len)
{
	return jpull_str(t, t->esc ? arena_alloc(a, t->len + 1) : NULL, len);
}

/* Which member a key names; K_OTHER for any other.  By length first:
 * most keys are one of a few, unescaped. */
static enum key
key_of(const struct jpull_tok *t)
{
	/* The members a key of each length can be, plus one (0 ends). */
	static const unsigned char by_len[12][3] = {
		[2] = { K_ID + 1 }, [4] = { K_VERB + 1 }, [5] = { K_ACTOR + 1 },
		[6] = { K_OBJECT + 1, K_RESULT + 1, K_STORED + 1 },
		[7] = { K_CONTEXT + 1, K_VERSION + 1 },
		[9] = { K_TIMESTAMP + 1, K_AUTHORITY + 1 },
		[11] = { K_ATTACHMENTS + 1 },
	};
	char dec[72];	/* "attachments" with every letter a \u escape */
	const char *p = t->p;
	size_t n = t->len;
	int i, k;

	if (t->esc) {
		if (n > sizeof(dec))
			return K_OTHER;
		p = jpull_str(t, dec, &n);
	}
	if (n >= sizeof(by_len) / sizeof(by_len[0]))
		return K_OTHER;
	for (i = 0; i < 3 && by_len[n][i] != 0; i++) {
		k = by_len[n][i] - 1;
		if (memcmp(key_names[k], p, n) == 0)
			return (enum key)k;
	}
	return K_OTHER;
}

/* Whether key t is name (decoded). */
static int
key_is(const struct jpull_tok *t, const char *name)
{
	char dec[72];
	size_t n = strlen(name), len;
	const char *p;

	if (t->esc)
		return t->len <= sizeof(dec) && (p = jpull_str(t, dec,
		    &len)) != NULL && len == n && memcmp(p, name, n) == 0;
	return t->len == n && memcmp(t->p, name, n) == 0;
}

/* The next member's key and its value's first token, inside an object:
 * 1, or 0 at its end, or -1 on malformed JSON. */
static int
next_member(struct jpull *jp, struct jpull_tok *k, struct jpull_tok *v)
{
	switch (jpull_next(jp, k)) {
	case JPULL_END:
		return 0;
	case JPULL_KEY:
		return jpull_next(jp, v) == JPULL_ERROR ? -1 : 1;
	default:
		return -1;
	}
}

/* The rest of an xAPI verb or object ({"id": ..., ...}); its id into
 * *id.  0, or -1 on malformed JSON. */
static int
read_id_object(struct jpull *jp, struct member *id)
{
	struct jpull_tok k, v;
	int more;

	while ((more = next_member(jp, &k, &v)) == 1) {
		if (key_is(&k, "id")) {
			id->type = v.type;
			id->tok = v;
		}
		if (jpull_skip(jp, &v) == -1)
			return -1;
	}
	return more;
}

/*
 * The rest of the context object into o, noting course_id and lesson_id
 * when they are positive integers (as jansson's json_is_integer: no
 * fraction or exponent).
 */
static int
copy_context(struct jpull *jp, const struct jpull_tok *open,
    struct jpull_out *o, struct ev *e)
{
	struct jpull_tok k, v;
	int64_t *id;
	int n, more;

	jpull_emit_tok(o, open);
	for (n = 0; (more = next_member(jp, &k, &v)) == 1; n++) {
		if (n > 0)
			jpull_emit(o, ",", 1);
		jpull_emit_tok(o, &k);
		id = key_is(&k, "course_id") ? &e->ctx_course :
		    key_is(&k, "lesson_id") ? &e->ctx_lesson : NULL;
		if (id != NULL && v.type == JPULL_NUMBER && v.integer &&
		    jpull_int(&v) > 0)
			*id = jpull_int(&v);
		if (jpull_copy(jp, &v, o) == -1)
			return -1;
	}
	if (more == 0)
		jpull_emit_tok(o, &k);	/* the '}' */
	return more;
}

/* The scratch the pieces of one event's payload are copied into. */
struct scratch {
	char	*p;
	size_t	 used;
};

/* Copies the object value v (result, context or actor) to the scratch as
 * *pc.  0, or -1 on malformed JSON. */
static int
take_piece(struct jpull *jp, const struct jpull_tok *v, struct scratch *sc,
    struct piece *pc, struct ev *e, int context)
{
	struct jpull_out o = { sc->p + sc->used, 0, EV_PAYLOAD_MAX - sc->used,
	    0 };

	if ((context ? copy_context(jp, v, &o, e) : jpull_copy(jp, v, &o)) ==
	    -1)
		return -1;
	if (o.full)
		e->too_big = 1;
	pc->p = o.p;
	pc->len = o.len;
	sc->used += o.len;
	return 0;
}

/*
 * The members of one event, after its '{', into e (slices of the body,
 * nothing checked but the JSON).  0, or -1 on malformed JSON.
 */
static int
read_event(struct jpull *jp, struct scratch *sc, struct ev *e)
{
	struct jpull_tok k, v;
	struct member *m;
	enum key key;
	int more;

	memset(e, 0, offsetof(struct ev, id));
	for (key = 0; key < K_OTHER; key++)
		e->m[key].type = JPULL_EOF;
	e->verb_id.type = e->object_id.type = JPULL_EOF;
	sc->used = 0;
	while ((more = next_member(jp, &k, &v)) == 1) {
		key = key_of(&k);
		if (key > K_CONTEXT && !e->has_unknown[0]) {
			e->has_unknown[0] = 1;
			e->first_unknown[0] = k;
		}
		if (key == K_OTHER && !e->has_unknown[1]) {
			e->has_unknown[1] = 1;
			e->first_unknown[1] = k;
		}
		if (key == K_OTHER) {
			if (jpull_skip(jp, &v) == -1)
				return -1;
			continue;
		}
		m = &e->m[key];
		m->type = v.type;
		m->tok = v;
		if (v.type != JPULL_OBJECT) {
			if (jpull_skip(jp, &v) == -1)
				return -1;
		} else if (key == K_VERB || key == K_OBJECT) {
			if (read_id_object(jp, key == K_VERB ? &e->verb_id :
			    &e->object_id) == -1)
				return -1;
		} else if (key == K_RESULT || key == K_CONTEXT ||
		    key == K_ACTOR) {
			if (take_piece(jp, &v, sc, key == K_RESULT ? &e->result
			    : key == K_CONTEXT ? &e->context : &e->actor, e,
			    key == K_CONTEXT) == -1)
				return -1;
		} else if (jpull_skip(jp, &v) == -1)
			return -1;
	}
	return more;
}

/* A required string member's decoded text (1 to max bytes), or NULL with
 * *err (jansson-era wording: the handler's clients match on it). */
static const char *
str_field(struct arena *a, const struct member *m, const char *key,
    size_t max, size_t *len, const char **err)
{
	const char *s;

	if (m->type == JPULL_EOF) {
		*err = arena_printf(a, "\"%s\" is required", key);
		return NULL;
	}
	if (m->type != JPULL_STRING) {
		*err = arena_printf(a, "\"%s\" must be a string", key);
		return NULL;
	}
	s = tok_str(a, &m->tok, len);
	if (*len == 0 || *len > max) {
		*err = arena_printf(a, "\"%s\" must be 1 to %zu characters",
		    key, max);
		return NULL;
	}
	return s;
}

/* Appends s to the payload; -1 past EV_PAYLOAD_MAX. */
static int
payload_put(struct ev *e, const char *s, size_t n)
{
	if (e->payload_len + n > EV_PAYLOAD_MAX)
		return -1;
	memcpy(e->payload + e->payload_len, s, n);
	e->payload_len += n;
	return 0;
}

/* Appends "key":piece, with a comma unless first. */
static int
payload_piece(struct ev *e, const char *key, const struct piece *pc)
{
	if ((e->payload_len > 1 && payload_put(e, ",", 1) == -1) ||
	    payload_put(e, key, strlen(key)) == -1)
		return -1;
	return payload_put(e, pc->p, pc->len);
}

static const char *
unknown_key(struct arena *a, const struct jpull_tok *k, int xapi)
{
	size_t n;
	const char *s = tok_str(a, k, &n);

	return arena_printf(a, xapi ? "unknown xAPI statement property "
	    "\"%.*s\"" : "unknown property \"%.*s\"", n > 64 ? 64 : (int)n, s);
}

/*
 * Checks one event as read (ours or xAPI), in a fixed order so the reason
 * does not depend on the order of its members; fills the rest of e.
 * NULL, or the reason.
 */
static const char *
check_event(struct arena *a, int64_t now, struct ev *e, int64_t oldest)
{
	static const char too_big[] = "\"result\" and \"context\" together "
	    "exceed 16 KiB";
	const struct member *m;
	const char *err = NULL, *s;
	size_t n;
	int xapi;
	int64_t t;

	m = &e->m[K_ID];
	if (m->type == JPULL_EOF)
		return "\"id\" is required (a UUID; it makes retries safe)";
	if (m->type != JPULL_STRING || (s = tok_str(a, &m->tok, &n),
	    uuid_parse(s, n, e->id)))
		return "\"id\" must be a UUID";
	xapi = e->m[K_ACTOR].type != JPULL_EOF ||
	    e->m[K_VERB].type == JPULL_OBJECT;
	if (xapi) {
		if (e->m[K_ACTOR].type != JPULL_EOF &&
		    e->m[K_ACTOR].type != JPULL_OBJECT)
			return "\"actor\" must be an object";
		if (e->m[K_VERB].type != JPULL_OBJECT)
			return "\"verb\" must be an object with an \"id\"";
		if (e->m[K_OBJECT].type != JPULL_OBJECT)
			return "\"object\" must be an object with an \"id\"";
		if ((e->verb = str_field(a, &e->verb_id, "id", EV_VERB_MAX,
		    &e->verb_len, &err)) == NULL)
			return arena_printf(a, "verb: %s", err);
		if ((e->object = str_field(a, &e->object_id, "id",
		    EV_OBJECT_MAX, &e->object_len, &err)) == NULL)
			return arena_printf(a, "object: %s", err);
	} else if ((e->verb = str_field(a, &e->m[K_VERB], "verb", EV_VERB_MAX,
	    &e->verb_len, &err)) == NULL ||
	    (e->object = str_field(a, &e->m[K_OBJECT], "object",
	    EV_OBJECT_MAX, &e->object_len, &err)) == NULL)
		return err;
	if (e->has_unknown[xapi])
		return unknown_key(a, &e->first_unknown[xapi], xapi);
	m = &e->m[K_TIMESTAMP];
	if (m->type == JPULL_EOF)
		return "\"timestamp\" is required (RFC 3339; with the id it "
		    "identifies the event, so retries are stored once)";
	if (m->type != JPULL_STRING || (s = tok_str(a, &m->tok, &n),
	    rfc3339(s, n, &e->ts) == -1))
		return "\"timestamp\" must be an RFC 3339 date-time, "
		    "e.g. 2026-11-25T08:30:00Z";
	t = PG_EPOCH + (e->ts >= 0 ? e->ts : e->ts - 999999) / 1000000;
	if (t > now + EV_FUTURE_S)
		return "\"timestamp\" is more than a day in the future";
	if (t < oldest)
		return "\"timestamp\" is older than the events kept";
	if (e->m[K_RESULT].type != JPULL_EOF &&
	    e->m[K_RESULT].type != JPULL_OBJECT &&
	    e->m[K_RESULT].type != JPULL_NULL)
		return "\"result\" must be an object";
	if (e->m[K_CONTEXT].type != JPULL_EOF &&
	    e->m[K_CONTEXT].type != JPULL_OBJECT &&
	    e->m[K_CONTEXT].type != JPULL_NULL)
		return "\"context\" must be an object";
	/* The payload object: {"result":..,"context":..,"actor":..}. */
	e->payload_len = 0;
	if (e->too_big || payload_put(e, "{", 1) == -1 ||
	    (e->m[K_RESULT].type == JPULL_OBJECT &&
	    payload_piece(e, "\"result\":", &e->result) == -1) ||
	    (e->m[K_CONTEXT].type == JPULL_OBJECT &&
	    payload_piece(e, "\"context\":", &e->context) == -1) ||
	    (xapi && e->m[K_ACTOR].type == JPULL_OBJECT &&
	    payload_piece(e, "\"actor\":", &e->actor) == -1) ||
	    (xapi && payload_put(e, e->payload_len > 1 ? ",\"xapi\":true" :
	    "\"xapi\":true", e->payload_len > 1 ? 12 : 11) == -1) ||
	    payload_put(e, "}", 1) == -1)
		return too_big;
	e->payload[e->payload_len] = '\0';
	e->course_id = e->ctx_course;
	if (e->course_id == 0)
		e->course_id = id_after(e->object, e->object_len, "/courses/");
	e->lesson_id = e->ctx_lesson;
	if (e->lesson_id == 0)
		e->lesson_id = id_after(e->object, e->object_len, "/lessons/");
	return NULL;
}

/*
 * COPY's binary format (PostgreSQL's "COPY" page): a signature, flags and
 * an empty extension; per row the field count and per field its length
 * (-1 = NULL) and bytes, all integers in network order; -1 to end.
 */
static const char copy_head[19] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0";

static unsigned char *
put_be32(unsigned char *c, uint32_t v)
{
	v = __builtin_bswap32(v);
	memcpy(c, &v, 4);
	return c + 4;
}

static unsigned char *
put_be64(unsigned char *c, uint64_t v)
{
	v = __builtin_bswap64(v);
	memcpy(c, &v, 8);
	return c + 8;
}

static unsigned char *
copy_bytes(unsigned char *c, const void *p, size_t n)
{
	c = put_be32(c, (uint32_t)n);
	memcpy(c, p, n);
	return c + n;
}

/* An int8 field; ids are positive, 0 = none = NULL. */
static unsigned char *
copy_id(unsigned char *c, int64_t v)
{
	if (v <= 0)
		return put_be32(c, UINT32_MAX);
	c = put_be32(c, 8);
	return put_be64(c, (uint64_t)v);
}

/* One row, its fields in events_copy's column order (events.sql). */
static void
copy_row(struct buf *b, int64_t user_id, const struct ev *e)
{
	unsigned char *c;

	buf_reserve(b, 2 + EV_COPY_FIELDS * 4 + 8 + e->verb_len +
	    e->object_len + sizeof(e->id) + 8 + e->payload_len + 8 + 8);
	c = (unsigned char *)b->p + b->len;
	*c++ = EV_COPY_FIELDS >> 8;
	*c++ = EV_COPY_FIELDS & 0xff;
	c = copy_id(c, user_id);
	c = copy_bytes(c, e->verb, e->verb_len);
	c = copy_bytes(c, e->object, e->object_len);
	c = copy_bytes(c, e->id, sizeof(e->id));
	c = put_be32(c, 8);
	c = put_be64(c, (uint64_t)e->ts);
	c = copy_bytes(c, e->payload, e->payload_len);
	c = copy_id(c, e->course_id);
	c = copy_id(c, e->lesson_id);
	b->len = (size_t)((char *)c - b->p);
	b->p[b->len] = '\0';
}

/* FNV-1a over the id, for the in-batch duplicate check. */
static uint32_t
id_hash(const unsigned char id[16])
{
	uint32_t h = 2166136261u;
	int i;

	for (i = 0; i < 16; i++)
		h = (h ^ id[i]) * 16777619u;
	return h;
}

/* An event's id and time, as learner_event_ids stores them. */
struct seen_id {
	unsigned char	id[16];
	int64_t		ts;
};

/* In-batch duplicates: ids seen, and an open-addressing index of them. */
struct seen {
	struct seen_id	*ids;
	int32_t		*slot;
	size_t		 n, nslot;
};

/* Records id at ts; -1 if the batch had it already. */
static int
seen_add(struct arena *a, struct seen *s, const unsigned char id[16],
    int64_t ts)
{
	uint32_t h;

	if (s->slot == NULL) {
		s->nslot = 16384;	/* > 2 * EV_MAX */
		s->ids = arena_alloc(a, EV_MAX * sizeof(*s->ids));
		s->slot = arena_alloc(a, s->nslot * sizeof(*s->slot));
		memset(s->slot, 0xff, s->nslot * sizeof(*s->slot));
	}
	for (h = id_hash(id) & (s->nslot - 1); s->slot[h] >= 0;
	    h = (h + 1) & (s->nslot - 1))
		if (memcmp(s->ids[s->slot[h]].id, id, 16) == 0)
			return -1;
	memcpy(s->ids[s->n].id, id, 16);
	s->ids[s->n].ts = ts;
	s->slot[h] = (int32_t)s->n++;
	return 0;
}

static int
seen_id_cmp(const void *x, const void *y)
{
	return memcmp(((const struct seen_id *)x)->id,
	    ((const struct seen_id *)y)->id, 16);
}

/*
 * The rows for events_ids_copy: (event id, timestamp) of each distinct
 * event, sorted by id (PostgreSQL's uuid order is the bytes'), so that
 * two batches sharing ids take their index entries in one order and wait
 * for each other rather than deadlock.
 */
static void
ids_copy(struct arena *a, struct seen *s, struct ev_batch *out)
{
	unsigned char *c, *p;
	size_t i;

	if (s->n > 0)
		qsort(s->ids, s->n, sizeof(*s->ids), seen_id_cmp);
	p = arena_alloc(a, sizeof(copy_head) + s->n * EV_IDS_ROW + 2);
	memcpy(p, copy_head, sizeof(copy_head));
	c = p + sizeof(copy_head);
	for (i = 0; i < s->n; i++) {
		*c++ = 0;
		*c++ = 2;
		c = copy_bytes(c, s->ids[i].id, 16);
		c = put_be32(c, 8);
		c = put_be64(c, (uint64_t)s->ids[i].ts);
	}
	*c++ = 0377;
	*c++ = 0377;
	out->ids_copy = (const char *)p;
	out->ids_copy_len = (size_t)(c - p);
}

/*
 * Parses and validates a whole batch; on success out->copy holds the rows
 * for events_copy (in the arena).
 */
int
events_parse(struct arena *a, const char *body, size_t len, int64_t now,
    int retention_months, int64_t user_id, struct ev_batch *out)
{
	struct jpull jp;
	struct jpull_tok t;
	struct scratch sc;
	struct seen seen;
	struct ev e;
	struct buf b;
	const char *why = NULL;
	size_t n = 0;
	int64_t oldest = now - (int64_t)retention_months * 31 * 86400;
	int line, col;

	memset(out, 0, sizeof(*out));
	out->index = -1;
	if (body == NULL) {
		out->error = "send a JSON array of events (Content-Type: "
		    "application/json)";
		return 400;
	}
	jpull_init(&jp, a, body, len, JPULL_NODUP | JPULL_CONTAINER);
	switch (jpull_next(&jp, &t)) {
	case JPULL_ARRAY:
		break;
	case JPULL_OBJECT:
		if (jpull_skip(&jp, &t) == 0 &&
		    jpull_next(&jp, &t) == JPULL_EOF) {
			out->error = "the body must be a JSON array of events";
			return 400;
		}
		goto malformed;
	default:
		goto malformed;
	}
	memset(&seen, 0, sizeof(seen));
	memset(&e, 0, sizeof(e));
	e.payload = arena_alloc(a, EV_PAYLOAD_MAX + 1);
	sc.p = arena_alloc(a, EV_PAYLOAD_MAX);
	buf_init(&b);
	buf_reserve(&b, sizeof(copy_head) + len + 2);
	buf_put(&b, copy_head, sizeof(copy_head));
	for (;; n++) {
		switch (jpull_next(&jp, &t)) {
		case JPULL_END:
			goto end;
		case JPULL_ERROR:
			goto malformed_buf;
		default:
			break;
		}
		/* Past a refusal the rest is only read, for its syntax. */
		if (why != NULL || n >= EV_MAX) {
			if (jpull_skip(&jp, &t) == -1)
				goto malformed_buf;
			continue;
		}
		if (t.type != JPULL_OBJECT) {
			why = "an event must be a JSON object";
			if (jpull_skip(&jp, &t) == -1)
				goto malformed_buf;
		} else if (read_event(&jp, &sc, &e) == -1)
			goto malformed_buf;
		else
			why = check_event(a, now, &e, oldest);
		if (why != NULL) {
			out->index = (long)n;
			continue;
		}
		/* The same id twice in a batch is stored once (the first). */
		if (seen_add(a, &seen, e.id, e.ts) == 0)
			copy_row(&b, user_id, &e);
	}
end:
	if (jpull_next(&jp, &t) != JPULL_EOF)
		goto malformed_buf;
	out->received = n;
	if (n > EV_MAX) {
		buf_free(&b);
		out->index = -1;
		out->error = arena_printf(a, "a batch holds at most %d events; "
		    "this one has %zu", EV_MAX, n);
		return 413;
	}
	if (why != NULL) {
		buf_free(&b);
		out->error = arena_printf(a, "event %ld: %s; nothing was "
		    "stored", out->index, why);
		return 400;
	}
	out->stored_max = seen.n;
	buf_put(&b, "\377\377", 2);
	out->copy = arena_alloc(a, b.len);
	memcpy((char *)out->copy, b.p, b.len);
	out->copy_len = b.len;
	buf_free(&b);
	ids_copy(a, &seen, out);
	return 0;
malformed_buf:
	buf_free(&b);
malformed:
	out->index = -1;
	jpull_where(&jp, &line, &col);
	out->error = arena_printf(a, "malformed JSON at line %d, column %d: %s",
	    line, col, jp.err);
	return 400;
}
