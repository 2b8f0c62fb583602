/*
 * sandbox: what a FastCGI worker gives up once it is running.
 *
 * Started as root, the supervisor opens everything a worker needs (the
 * FastCGI socket, the logs, the secret key, the templates) and looks the
 * worker user up; each worker then drops to that user for good
 * (sandbox_drop) and installs a seccomp allow-list (sandbox_seccomp), in
 * that order, before it starts its accept threads.  The allow-list is a
 * table in sandbox.c, found empirically (strace -f -c on workers under the
 * integration suite); it has no execve, no fork (clone only with
 * CLONE_THREAD), no ptrace, no set*id, no mount, and tgkill only to the
 * worker itself.  A call outside it kills the whole worker (the supervisor
 * logs it and starts another); ADEPT_SECCOMP=log lets the call run and has
 * the kernel log it, off installs nothing.
 */
#ifndef ADEPT_SANDBOX_H
#define ADEPT_SANDBOX_H

#include <sys/types.h>

enum sandbox_mode {
	SANDBOX_OFF,
	SANDBOX_LOG,	/* allow and log (audit / dmesg) what is not listed */
	SANDBOX_ON,	/* kill the process on what is not listed */
};

/* "off", "log", "on" (NULL or "" = on).  0, or -1 if unknown. */
int		 sandbox_mode_parse(const char *, enum sandbox_mode *);
const char	*sandbox_mode_name(enum sandbox_mode);

/* Looks name up in the user database: 0 with *uid and *gid, or -1 with a
 * message in err. */
int	sandbox_user(const char *name, uid_t *uid, gid_t *gid, char *err,
	    size_t errsz);

/* Drops to uid/gid with no supplementary groups, then checks that neither
 * root's uid nor gid can be taken back.  0, or -1 with a message in err
 * (the caller must exit: the process is in an unknown state). */
int	sandbox_drop(uid_t uid, gid_t gid, char *err, size_t errsz);

/* Sets no_new_privs and loads the allow-list for mode (nothing for
 * SANDBOX_OFF).  Applies to the calling thread and the threads it creates
 * afterwards.  0, or -1 with a message in err. */
int	sandbox_seccomp(enum sandbox_mode, char *err, size_t errsz);

#endif
