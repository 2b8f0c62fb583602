/*
 * test_pwpolicy: the built-in list is there and whole, common passwords
 * (also with digits or punctuation around them, any case) are refused,
 * the e-mail or name as password is refused, and ordinary passphrases
 * pass.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/pwpolicy.h"

static void
list_is_linked_in(void **state)
{
	/* Openwall's password.lst as shipped by Debian john-data 1.9.0. */
	assert_int_equal(pwpolicy_list_size(), 3545);
	/* The first and the last entry. */
	assert_true(pwpolicy_is_common("123456"));
	assert_true(pwpolicy_is_common("sss"));
}

static void
common_refused(void **state)
{
	static const char *const bad[] = { "password", "PASSWORD", "Password1",
	    "password123!", "letmein2024", "2024letmein", "iloveyou!!",
	    "qwerty12345", "trustno1", "sunshine", "football99" };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_true(pwpolicy_is_common(bad[i]));
		assert_non_null(pwpolicy_check(bad[i], NULL, NULL));
	}
}

static void
ordinary_accepted(void **state)
{
	static const char *const ok[] = { "correct horse 1",
	    "admin password 1", "teach me 123", "staple battery horse",
	    "Tr0ub4dor&3x", "9fj2-kd83-mx7q" };
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		assert_null(pwpolicy_check(ok[i], "ada@example.org", "Ada"));
	/* A listed word inside a longer passphrase is fine. */
	assert_false(pwpolicy_is_common("my password is long"));
	/* Short stripped remainders do not match ("abc" is not checked). */
	assert_false(pwpolicy_is_common("123abc456"));
}

static void
length_and_shape(void **state)
{
	char big[PWPOLICY_MAX + 2];

	assert_non_null(pwpolicy_check("x7#kQ2!", NULL, NULL));
	assert_non_null(pwpolicy_check("zzzzzzzzzzzz", NULL, NULL));
	memset(big, 'a', sizeof(big) - 1);
	big[1] = 'b';
	big[sizeof(big) - 1] = '\0';
	assert_non_null(pwpolicy_check(big, NULL, NULL));
	big[PWPOLICY_MAX] = '\0';
	assert_null(pwpolicy_check(big, NULL, NULL));
}

static void
own_details_refused(void **state)
{
	assert_non_null(pwpolicy_check("Ada.Lovelace@example.org",
	    "ada.lovelace@example.org", NULL));
	assert_non_null(pwpolicy_check("ada.lovelace",
	    "ada.lovelace@example.org", NULL));
	assert_non_null(pwpolicy_check("ada lovelace", NULL, "Ada Lovelace"));
	assert_null(pwpolicy_check("ada.lovelace 77 horses",
	    "ada.lovelace@example.org", "Ada Lovelace"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(list_is_linked_in),
		cmocka_unit_test(common_refused),
		cmocka_unit_test(ordinary_accepted),
		cmocka_unit_test(length_and_shape),
		cmocka_unit_test(own_details_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
