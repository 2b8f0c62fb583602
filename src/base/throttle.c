/*
 * throttle: exponential login back-off; see throttle.h for the policy.
 * Pure function of its arguments, so the tests control the clock.
 */
#include <stddef.h>
#include <stdint.h>

#include "base/throttle.h"

const struct throttle_policy throttle_account = { 5, 1, 15 * 60 };
const struct throttle_policy throttle_address = { 100, 1, 15 * 60 };

int64_t
throttle_delay(const struct throttle_policy *p, int64_t failures)
{
	int64_t d, k;

	if (p == NULL)
		p = &throttle_account;
	if (failures < p->free_attempts || p->base <= 0 || p->cap <= 0)
		return 0;
	k = failures - p->free_attempts;
	/* Double until the cap is reached; stops after at most 63 steps. */
	for (d = p->base; k > 0 && d < p->cap; k--)
		d = d > INT64_MAX / 2 ? INT64_MAX : d * 2;
	return d < p->cap ? d : p->cap;
}

int64_t
throttle_wait(const struct throttle_policy *p, int64_t failures,
    int64_t last_failure, int64_t now)
{
	int64_t d, elapsed;

	d = throttle_delay(p, failures);
	if (d == 0)
		return 0;
	if (now < last_failure)
		return d;
	/* now - last_failure can overflow for absurd inputs; treat as long ago. */
	if (last_failure < 0 && now > INT64_MAX + last_failure)
		return 0;
	elapsed = now - last_failure;
	return elapsed >= d ? 0 : d - elapsed;
}
