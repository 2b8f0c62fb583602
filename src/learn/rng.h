/*
 * rng: the pseudo-random generator liblearn's randomised algorithms take as
 * an argument (Thompson sampling, simulations, tests).
 *
 * Design: the caller owns the state; there is no global generator, so a run
 * is reproducible from its seed and two threads never share a stream by
 * accident.  The core is xoshiro256** (Blackman & Vigna 2018) seeded by
 * splitmix64, which turns any 64-bit seed, 0 included, into a good state.
 * Not for secrets: tokens and keys come from libsodium.
 */
#ifndef ADEPT_LEARN_RNG_H
#define ADEPT_LEARN_RNG_H

#include <stdint.h>

struct learn_rng {
	uint64_t	s[4];		/* xoshiro256** state, never all zero */
	double		spare;		/* second normal deviate of a pair */
	int		has_spare;
};

/* Seeds the generator; the same seed gives the same stream. */
void		learn_rng_seed(struct learn_rng *, uint64_t seed);
/* Next raw 64-bit output of xoshiro256**. */
uint64_t	learn_rng_u64(struct learn_rng *);
/* Uniform integer in [0, n), without modulo bias; 0 when n == 0. */
uint64_t	learn_rng_below(struct learn_rng *, uint64_t n);
/* Uniform double in [0, 1) on the 2^-53 grid. */
double		learn_rng_uniform(struct learn_rng *);
/* Standard normal N(0, 1) (Marsaglia polar method). */
double		learn_rng_normal(struct learn_rng *);
/* Gamma(shape, scale 1) (Marsaglia & Tsang 2000; shape < 1 by the
 * U^(1/shape) boost).  NaN unless shape > 0 and finite. */
double		learn_rng_gamma(struct learn_rng *, double shape);
/* Beta(a, b) in [0, 1], as X/(X+Y) with X ~ Gamma(a), Y ~ Gamma(b),
 * evaluated in log space when a shape is below 1 so tiny shapes give 0 or 1
 * rather than 0/0.  NaN unless a > 0 and b > 0 are finite. */
double		learn_rng_beta(struct learn_rng *, double a, double b);

#endif
