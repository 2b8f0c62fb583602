/*
 * pwpolicy: what a new password must be (issue 9): 8 to 1024 bytes, not
 * one of the commonest passwords, not the account's own e-mail or name,
 * and not a single repeated character.
 *
 * Design decision: the list of common passwords is Openwall's password.lst
 * (3,545 passwords most often seen, public domain, from Debian's john-data)
 * kept as src/base/pwpolicy_common.txt and linked into the program with
 * .incbin, so the web worker, `adept user add` and the unit tests all
 * check against the same list with no file to find at run time, and a
 * missing file can never mean "everything allowed".  A password also
 * counts as common when it is a listed one with digits or punctuation
 * added before or after ("Password123!", "2024letmein").  Matching is
 * case-insensitive.  A linear scan of the 26 kB list takes microseconds,
 * and it runs only when a password is set.
 */
#ifndef ADEPT_PWPOLICY_H
#define ADEPT_PWPOLICY_H

#define PWPOLICY_MIN	8
#define PWPOLICY_MAX	1024

/*
 * NULL if password may be used by the account with this e-mail and name
 * (either may be NULL), else a sentence for the person saying why not.
 */
const char	*pwpolicy_check(const char *password, const char *email,
		    const char *name);

/* 1 if password, ignoring case and digits or punctuation around it, is in
 * the list of common passwords. */
int		 pwpolicy_is_common(const char *password);

/* How many passwords the built-in list holds (for tests). */
long		 pwpolicy_list_size(void);

#endif
