/*
 * log: see log.h.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"

static int access_fd = -1;

int
log_open(const char *dir)
{
	char path[600];

	snprintf(path, sizeof(path), "%s/access.log", dir);
	access_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0640);
	if (access_fd == -1) {
		log_msg("cannot open %s", path);
		return -1;
	}
	return 0;
}

static size_t
stamp(char *p, size_t n)
{
	struct timespec ts;
	struct tm tm;
	size_t l;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	l = strftime(p, n, "%Y-%m-%dT%H:%M:%S", &tm);
	l += (size_t)snprintf(p + l, n - l, ".%03ldZ", ts.tv_nsec / 1000000);
	return l;
}

void
log_msg(const char *fmt, ...)
{
	char line[2048];
	size_t n;
	int m;
	va_list ap;

	n = stamp(line, sizeof(line));
	n += (size_t)snprintf(line + n, sizeof(line) - n, " [%d] ",
	    (int)getpid());
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		m = 0;
	n += (size_t)m;
	if (n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, n);
}

void
log_request(const char *reqid, const char *method, const char *path,
    int status, long long usec)
{
	char line[1200];
	size_t n;
	int m;

	if (access_fd == -1)
		return;
	n = stamp(line, sizeof(line));
	m = snprintf(line + n, sizeof(line) - n - 1, " %s %s %.900s %d %lldus",
	    reqid, method, path, status, usec);
	if (m < 0)
		return;
	n += (size_t)m;
	if (n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	(void)!write(access_fd, line, n);
}
