/*
 * mail: `adept mail send [--max N]` sends due outbox mail now (what the
 * worker's mail_outbox job does; for cron, tests and a stuck queue);
 * `adept mail weekly USER` queues one weekly report now;
 * `adept mail certificate USER COURSE` issues a certificate by hand;
 * `adept mail test ADDRESS` sends one test message straight to the SMTP
 * server (no outbox), to check the configuration.
 * The SMTP server and links come from the environment (src/out/mail.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/config.h"
#include "cli/cli.h"
#include "db/db.h"
#include "http/tmpl.h"
#include "out/mail.h"
#include "pages/certificates.h"

#define USAGE	"usage: adept mail send [--max N] | weekly USER | " \
		"certificate USER COURSE | test ADDRESS"

static int64_t
id_arg(const char *s)
{
	char *end;
	long long v = strtoll(s, &end, 10);

	return *end == '\0' && v > 0 ? (int64_t)v : 0;
}

/* Sends a short test message to addr; 0 or 1. */
static int
send_test(const char *addr)
{
	struct mail_conf c;
	struct mail_msg m;
	struct buf b;
	char err[512], id[64];
	int rc;

	mail_conf_init(&c);
	memset(&m, 0, sizeof(m));
	snprintf(id, sizeof(id), "<test-%lld@%s>", (long long)time(NULL),
	    strchr(c.from_addr, '@') ? strchr(c.from_addr, '@') + 1 :
	    "localhost");
	m.from = c.from;
	m.to = addr;
	m.subject = "Adept mail test";
	m.text = "This is a test message from `adept mail test`.\n";
	m.html = "<p>This is a test message from <code>adept mail test</code>."
	    "</p>";
	m.message_id = id;
	m.date = (int64_t)time(NULL);
	buf_init(&b);
	mail_format(&b, &m);
	rc = mail_smtp_send(&c, addr, b.p, b.len, err, sizeof(err));
	buf_free(&b);
	if (rc != 0) {
		fprintf(stderr, "adept: mail: test message not sent: %s\n", err);
		return 1;
	}
	printf("sent to %s\n", addr);
	return 0;
}

int
cmd_mail(int argc, char **argv)
{
	struct config cfg;
	struct arena a;
	struct db db;
	char msg[256];
	int64_t uid = 0, cid = 0, id;
	int max = 1000, n, failed = 0, rc = 0;

	if (argc < 2)
		return cli_usage("mail", USAGE);
	if (strcmp(argv[1], "test") == 0) {
		if (argc != 3 || strchr(argv[2], '@') == NULL)
			return cli_usage("mail", "test needs an e-mail address");
		return send_test(argv[2]);
	}
	if (strcmp(argv[1], "send") == 0) {
		if (argc == 4 && strcmp(argv[2], "--max") == 0)
			max = atoi(argv[3]);
		else if (argc != 2)
			return cli_usage("mail", USAGE);
		if (max < 1)
			return cli_usage("mail", "--max needs a positive number");
	} else if (strcmp(argv[1], "weekly") == 0 && argc == 3) {
		if ((uid = id_arg(argv[2])) == 0)
			return cli_usage("mail", "USER must be a user id");
	} else if (strcmp(argv[1], "certificate") == 0 && argc == 4) {
		if ((uid = id_arg(argv[2])) == 0 ||
		    (cid = id_arg(argv[3])) == 0)
			return cli_usage("mail", "USER and COURSE must be ids");
	} else
		return cli_usage("mail", USAGE);

	config_init(&cfg);
	if (db_open(&db, cfg.db) == -1) {
		fprintf(stderr, "adept: mail: %s\n", db.err);
		return 1;
	}
	if (uid != 0 && tmpl_init(cfg.templates) != 0) {
		fprintf(stderr, "adept: mail: templates in %s do not load\n",
		    cfg.templates);
		db_close(&db);
		return 1;
	}
	if (strcmp(argv[1], "send") == 0) {
		n = mail_send_pending(&db, NULL, max, &failed);
		if (n < 0) {
			fprintf(stderr, "adept: mail: database error %d\n", n);
			rc = 1;
		} else
			printf("sent %d, failed %d\n", n, failed);
	} else if (cid == 0) {
		arena_init(&a, 64 * 1024);
		if (db_begin(&db) != 0 ||
		    (n = mail_queue_weekly(&db, &a, uid)) < 0 ||
		    db_commit(&db) != 0) {
			db_rollback(&db);
			fprintf(stderr, "adept: mail: weekly report failed\n");
			rc = 1;
		} else
			printf("%s\n", n == 1 ? "queued" : "nothing to report "
			    "or not wanted");
		arena_free(&a);
	} else {
		n = certificate_issue_named(&db, uid, cid, NULL, &id, msg,
		    sizeof(msg));
		if (n >= 0)
			printf("certificate %lld%s\n", (long long)id,
			    n == 1 ? "" : " (already issued)");
		else {
			fprintf(stderr, "adept: mail: certificate not issued "
			    "(%d)%s%s\n", n, msg[0] ? ": " : "", msg);
			rc = 1;
		}
	}
	if (uid != 0)
		tmpl_free();
	db_close(&db);
	return rc;
}
