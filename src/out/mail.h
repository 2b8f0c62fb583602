/*
 * mail: outgoing e-mail.  Queueing into the outbox (inside the caller's
 * transaction), building RFC 5322 messages, and sending the outbox through
 * SMTP with libcurl.
 *
 * Design decision: a mail is rendered when it is queued (the outbox row
 * holds subject, text and HTML bodies), and everything that must be fresh
 * at delivery is added by the sender: the recipient's preferences are
 * checked again, a new unsubscribe token is made (only its hash is kept
 * on the row) and goes into the footer and the RFC 8058 List-Unsubscribe
 * headers, and Message-ID and Date are set.  So rows written by other code
 * with only to_addr, template, subject and body_text are delivered the same
 * way.
 *
 * Environment: ADEPT_SMTP_URL (smtp://[user:password@]host[:port] with
 * STARTTLS when the server offers it, "?starttls=required" to insist, or
 * smtps:// for TLS from the start; default smtp://127.0.0.1:25),
 * ADEPT_MAIL_FROM (default "Adept <noreply@localhost>"), ADEPT_BASE_URL
 * (absolute links in mails; default http://localhost:$PORT),
 * ADEPT_MAIL_RETRY_BASE (seconds before the first retry, doubled per
 * attempt up to 6 hours; default 60), ADEPT_SMTP_CA (a CA bundle to
 * verify the server's certificate with, for a private CA; default the
 * system's).
 */
#ifndef ADEPT_MAIL_H
#define ADEPT_MAIL_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct buf;
struct db;
struct req;

#define MAIL_MAX_ATTEMPTS	12	/* then the row is dead-lettered */

struct mail_conf {
	char		 smtp_url[512];	/* as given to curl (options removed) */
	int		 require_tls;	/* STARTTLS required */
	char		 from[256];	/* From header as configured */
	char		 from_addr[256];	/* envelope sender */
	char		 base_url[256];	/* no trailing slash */
	char		 cainfo[512];	/* CA bundle for TLS ("" = system) */
	double		 retry_base;	/* seconds */
};

/* One template variable of a queued mail. */
struct mail_var {
	const char	*name;
	const char	*value;
};

/* A message to format. */
struct mail_msg {
	const char	*from;		/* header value, may hold a name */
	const char	*to;		/* address */
	const char	*subject;	/* UTF-8 */
	const char	*text;		/* UTF-8, LF or CRLF line ends */
	const char	*html;		/* complete HTML document, or NULL */
	const char	*unsub_url;	/* List-Unsubscribe target, or NULL */
	const char	*message_id;	/* "<...@...>" */
	int64_t		 date;		/* Unix seconds */
};

/* Fills conf from the environment.  Never fails. */
void	mail_conf_init(struct mail_conf *);

/* The outbox template's preference kind ("all", "enrolment",
 * "completion", "weekly", "notification", "payout"), or NULL for security
 * mail (password reset), which is always sent and has no unsubscribe
 * link. */
const char *mail_pref_kind(const char *template);
/* 1 if kind names a preference a user may turn off. */
int	mail_pref_kind_valid(const char *kind);

/*
 * Appends a complete RFC 5322 message (CRLF line ends; MIME 1.0;
 * multipart/alternative text + HTML when html is set; quoted-printable
 * UTF-8 bodies; encoded-words for non-ASCII headers; List-Unsubscribe and
 * List-Unsubscribe-Post when unsub_url is set) to out.
 */
void	mail_format(struct buf *out, const struct mail_msg *);
/* Appends s as a header value: printable ASCII as is (folded before a
 * space when long), else as RFC 2047 base64 encoded-words; lines stay
 * under 78 characters where the text has room to break. */
void	mail_header_encode(struct buf *out, const char *s);

/*
 * Sends msg (len bytes) from from_addr to to over SMTP per conf.  0, or -1
 * with err set to curl's message (the server's reply included when there
 * was one).
 */
int	mail_smtp_send(const struct mail_conf *, const char *to,
	    const char *msg, size_t len, char *err, size_t errsz);

/*
 * Renders templates/mail_<template>.txt and .html with vars (plus "name"
 * and "base_url", set here) and inserts the outbox row for user_id, unless
 * the user does not want this kind of mail (then nothing is queued and 0
 * is returned).  Runs no transaction of its own: call it inside the
 * action's.  1 queued, 0 not wanted, -1 template error, or a db_err.
 */
int	mail_queue(struct db *, struct arena *, int64_t user_id,
	    const char *template, const char *subject,
	    const struct mail_var *vars, size_t nvars);

/* The welcome mail for a new account, queued in the account's own
 * transaction (a db_user_then: arg is the request's arena).  As
 * mail_queue. */
int	mail_queue_welcome(struct db *, int64_t user_id, void *arena);

/* Queues an instructor payout notice: amount and period as display
 * text ("EUR 120.00", "November 2026").  As mail_queue. */
int	mail_queue_payout(struct db *, struct arena *, int64_t instructor_id,
	    const char *amount, const char *period);

/* Queues the weekly progress report for user_id from the last 7 days of
 * progress (lessons completed, time, courses in progress, what to do
 * next).  As mail_queue; 0 also when there is nothing to report. */
int	mail_queue_weekly(struct db *, struct arena *, int64_t user_id);

/*
 * Sends up to max due outbox rows, one transaction each (the row is
 * locked FOR UPDATE SKIP LOCKED, so several senders may run).  A row
 * whose recipient has opted out is marked suppressed; a failed send
 * records last_error and the next attempt after retry_base * 2^attempts
 * seconds (at most 6 h; dead after MAIL_MAX_ATTEMPTS).  After a failure to
 * reach the server the run stops early: the rest waits for next time.
 * conf NULL: from the environment.  Returns the number of mails sent,
 * or a db_err; *failed (if not NULL) counts failed attempts.
 */
int	mail_send_pending(struct db *, const struct mail_conf *, int max,
	    int *failed);

#endif
