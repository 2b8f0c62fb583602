/*
 * rng: see rng.h.  Every draw consumes the caller's state only; the
 * transforms (polar normal, Marsaglia-Tsang gamma) are rejection methods, so
 * the number of raw outputs a draw uses varies but is fixed by the seed.
 */
#include <math.h>

#include "learn/rng.h"

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void
learn_rng_seed(struct learn_rng *r, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
	/* splitmix64 is a bijection of distinct counters: never all zero. */
	r->spare = 0.0;
	r->has_spare = 0;
}

uint64_t
learn_rng_u64(struct learn_rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

uint64_t
learn_rng_below(struct learn_rng *r, uint64_t n)
{
	uint64_t x, lim;

	if (n == 0)
		return 0;
	/* Reject the top (2^64 mod n) values so every residue is equally
	 * likely. */
	lim = -n % n;
	do
		x = learn_rng_u64(r);
	while (x < lim);
	return x % n;
}

double
learn_rng_uniform(struct learn_rng *r)
{
	return (double)(learn_rng_u64(r) >> 11) * 0x1.0p-53;
}

/* Uniform in (0, 1): safe to take the log of. */
static double
uniform_open(struct learn_rng *r)
{
	return ((double)(learn_rng_u64(r) >> 11) + 0.5) * 0x1.0p-53;
}

double
learn_rng_normal(struct learn_rng *r)
{
	double u, v, s, f;

	if (r->has_spare) {
		r->has_spare = 0;
		return r->spare;
	}
	do {
		u = 2.0 * learn_rng_uniform(r) - 1.0;
		v = 2.0 * learn_rng_uniform(r) - 1.0;
		s = u * u + v * v;
	} while (s >= 1.0 || s == 0.0);
	f = sqrt(-2.0 * log(s) / s);
	r->spare = v * f;
	r->has_spare = 1;
	return u * f;
}

/* Gamma(shape >= 1), Marsaglia & Tsang; always > 0. */
static double
gamma_ge1(struct learn_rng *r, double shape)
{
	double d = shape - 1.0 / 3.0, c = 1.0 / sqrt(9.0 * d);
	double x, v, u;

	for (;;) {
		do {
			x = learn_rng_normal(r);
			v = 1.0 + c * x;
		} while (v <= 0.0);
		v = v * v * v;
		u = uniform_open(r);
		if (u < 1.0 - 0.0331 * (x * x) * (x * x))
			return d * v;
		if (log(u) < 0.5 * x * x + d * (1.0 - v + log(v)))
			return d * v;
	}
}

/* log of a Gamma(shape) draw; finite even where the draw underflows. */
static double
log_gamma_draw(struct learn_rng *r, double shape)
{
	if (shape >= 1.0)
		return log(gamma_ge1(r, shape));
	return log(gamma_ge1(r, shape + 1.0)) + log(uniform_open(r)) / shape;
}

double
learn_rng_gamma(struct learn_rng *r, double shape)
{
	if (!(shape > 0.0) || !isfinite(shape))
		return NAN;
	if (shape >= 1.0)
		return gamma_ge1(r, shape);
	return gamma_ge1(r, shape + 1.0) * pow(uniform_open(r), 1.0 / shape);
}

double
learn_rng_beta(struct learn_rng *r, double a, double b)
{
	double x, y;

	if (!(a > 0.0) || !(b > 0.0) || !isfinite(a) || !isfinite(b))
		return NAN;
	if (a >= 1.0 && b >= 1.0) {
		x = gamma_ge1(r, a);
		y = gamma_ge1(r, b);
		return x / (x + y);
	}
	x = log_gamma_draw(r, a);
	y = log_gamma_draw(r, b);
	/* X/(X+Y) = 1/(1 + e^(ln Y - ln X)); exp overflow gives 0. */
	return 1.0 / (1.0 + exp(y - x));
}
