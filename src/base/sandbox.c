/*
 * sandbox: see sandbox.h.  The allow-list is one table of system call
 * names, resolved for the running architecture by libseccomp (a name the
 * architecture lacks, such as open on arm64, is skipped), plus three calls
 * with conditions: clone only for threads, tgkill only to this process,
 * and clone3 answering ENOSYS (its flags sit in memory a filter cannot
 * read; glibc then falls back to clone).
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <seccomp.h>

#include "base/sandbox.h"

/*
 * What a worker calls after start-up: the accept loop and FastCGI I/O,
 * libpq (including reconnecting, which may read /etc/passwd through NSS),
 * storage (temporary files, rename, unlink, mkdir, chmod), libharu's
 * certificates (font file, output file), libsodium, logging and the
 * threads' own upkeep.  Nothing here starts a program, changes identity
 * or reaches another process.
 */
static const char *const allowed[] = {
	/* memory */
	"brk", "mmap", "munmap", "mremap", "mprotect", "madvise",
	/* files and descriptors */
	"read", "write", "readv", "writev", "pread64", "pwrite64", "lseek",
	"open", "openat", "close", "fstat", "stat", "lstat", "newfstatat",
	"statx", "statfs", "fstatfs", "fcntl", "fsync", "fdatasync",
	"ftruncate", "fadvise64", "rename", "renameat", "renameat2", "unlink",
	"unlinkat", "mkdir", "mkdirat", "chmod", "fchmod", "fchmodat",
	"readlink", "readlinkat", "getdents64", "access", "faccessat",
	"faccessat2", "getcwd", "umask",
	/* sockets: FastCGI accept, PostgreSQL (re)connects */
	"socket", "connect", "accept", "accept4", "sendto", "recvfrom",
	"sendmsg", "recvmsg", "shutdown", "getsockopt", "setsockopt",
	"getsockname", "getpeername", "poll", "ppoll", "select", "pselect6",
	/* libcurl (the tutor's language-model calls, src/out/llm.c): the
	 * resolver thread's wake-up pair, DNS over UDP */
	"socketpair", "sendmmsg", "recvmmsg",
	"epoll_create1", "epoll_ctl", "epoll_wait", "epoll_pwait",
	/* time */
	"clock_gettime", "clock_getres", "gettimeofday", "time", "nanosleep",
	"clock_nanosleep",
	/* threads, signals, process upkeep */
	"futex", "set_robust_list", "get_robust_list", "rseq",
	"set_tid_address", "sched_yield", "sched_getaffinity", "gettid",
	"getpid", "getppid", "getuid", "geteuid", "getgid", "getegid",
	"getrlimit", "prlimit64", "getrusage", "sysinfo", "uname",
	"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigtimedwait",
	"sigaltstack", "restart_syscall", "exit", "exit_group",
	/* randomness */
	"getrandom",
};

int
sandbox_mode_parse(const char *s, enum sandbox_mode *m)
{
	if (s == NULL || *s == '\0' || strcmp(s, "on") == 0)
		*m = SANDBOX_ON;
	else if (strcmp(s, "log") == 0)
		*m = SANDBOX_LOG;
	else if (strcmp(s, "off") == 0)
		*m = SANDBOX_OFF;
	else
		return -1;
	return 0;
}

const char *
sandbox_mode_name(enum sandbox_mode m)
{
	return m == SANDBOX_ON ? "on" : m == SANDBOX_LOG ? "log" : "off";
}

int
sandbox_user(const char *name, uid_t *uid, gid_t *gid, char *err,
    size_t errsz)
{
	struct passwd pw, *res = NULL;
	char sbuf[4096];
	int e;

	e = getpwnam_r(name, &pw, sbuf, sizeof(sbuf), &res);
	if (res == NULL) {
		snprintf(err, errsz, "user \"%s\" %s", name, e ? strerror(e) :
		    "does not exist");
		return -1;
	}
	*uid = pw.pw_uid;
	*gid = pw.pw_gid;
	return 0;
}

int
sandbox_drop(uid_t uid, gid_t gid, char *err, size_t errsz)
{
	if (uid == 0) {
		snprintf(err, errsz, "refusing to \"drop\" to uid 0");
		return -1;
	}
	if (setgroups(1, &gid) == -1 || setresgid(gid, gid, gid) == -1 ||
	    setresuid(uid, uid, uid) == -1) {
		snprintf(err, errsz, "cannot drop to uid %d gid %d: %s",
		    (int)uid, (int)gid, strerror(errno));
		return -1;
	}
	/* Each of these must fail now; if one succeeds, root is still
	 * reachable and the process must not go on. */
	if (setuid(0) != -1 || seteuid(0) != -1 || setgid(0) != -1 ||
	    setegid(0) != -1 || getuid() != uid || geteuid() != uid ||
	    getgid() != gid || getegid() != gid) {
		snprintf(err, errsz, "dropped to uid %d but root can be "
		    "regained", (int)uid);
		return -1;
	}
	return 0;
}

int
sandbox_seccomp(enum sandbox_mode mode, char *err, size_t errsz)
{
	scmp_filter_ctx ctx;
	size_t i;
	int nr, rc;

	if (mode == SANDBOX_OFF)
		return 0;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		snprintf(err, errsz, "PR_SET_NO_NEW_PRIVS: %s",
		    strerror(errno));
		return -1;
	}
	ctx = seccomp_init(mode == SANDBOX_LOG ? SCMP_ACT_LOG :
	    SCMP_ACT_KILL_PROCESS);
	if (ctx == NULL) {
		snprintf(err, errsz, "seccomp_init failed");
		return -1;
	}
	for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++) {
		if ((nr = seccomp_syscall_resolve_name(allowed[i])) ==
		    __NR_SCMP_ERROR || nr < 0)
			continue;	/* not on this architecture */
		if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0)) < 0) {
			snprintf(err, errsz, "seccomp: %s: %s", allowed[i],
			    strerror(-rc));
			goto fail;
		}
	}
	/* Threads only: a new process would not be under this worker's
	 * watch (and could execve if the filter were ever loosened). */
	if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
	    SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD))) < 0 ||
	    (rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS),
	    SCMP_SYS(clone3), 0)) < 0 ||
	    (rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1,
	    SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid()))) < 0) {
		snprintf(err, errsz, "seccomp: conditional rule: %s",
		    strerror(-rc));
		goto fail;
	}
	if ((rc = seccomp_load(ctx)) < 0) {
		snprintf(err, errsz, "seccomp_load: %s", strerror(-rc));
		goto fail;
	}
	seccomp_release(ctx);
	return 0;
fail:
	seccomp_release(ctx);
	return -1;
}
