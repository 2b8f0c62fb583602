/*
 * log: one line per event to stderr (the supervisor's log) and one line per
 * request to var/log/access.log.  Lines are written with a single write(2)
 * so concurrent workers never interleave within a line.
 */
#ifndef ADEPT_LOG_H
#define ADEPT_LOG_H

#include <stdarg.h>

/* Opens dir/access.log for appending; -1 on error (reported). */
int	log_open(const char *dir);
void	log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_request(const char *reqid, const char *method, const char *path,
	    int status, long long usec);

#endif
