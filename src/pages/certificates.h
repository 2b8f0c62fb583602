/*
 * certificates: one certificate per learner and completed course, as a
 * stored PDF, with a public verification page.
 */
#ifndef ADEPT_CERTIFICATES_H
#define ADEPT_CERTIFICATES_H

#include <stddef.h>
#include <stdint.h>

struct db;

enum {
	CERT_NOT_COMPLETED = -10,	/* no completed enrolment */
	CERT_BAD_NAME = -11,		/* the font cannot print the name */
	CERT_BAD_TEXT = -12,		/* ... or the course / instructor */
	CERT_PDF = -13,			/* the PDF could not be written */
};

/*
 * Issues the certificate of user_id for course_id once: if there is one
 * already, returns 0 with *id set and changes nothing (idempotent, also
 * under concurrent calls).  Otherwise checks that the enrolment is
 * completed and that the font has every character, writes the PDF under
 * $ADEPT_VAR/certificates/, and in one transaction records it, adds a
 * notification and queues the completion mail (with the certificate and
 * verification links); returns 1 with *id set.  name: the name to print,
 * NULL = the account's name.  Runs its own transaction, so call it after
 * the caller's has committed.  On CERT_BAD_NAME / CERT_BAD_TEXT msg says
 * which character; other failures are a CERT_* or a db_err.
 */
int	certificate_issue_named(struct db *, int64_t user_id,
	    int64_t course_id, const char *name, int64_t *id, char *msg,
	    size_t msgsz);
/* certificate_issue_named with the account's name. */
int	certificate_issue(struct db *, int64_t user_id, int64_t course_id);

#endif
