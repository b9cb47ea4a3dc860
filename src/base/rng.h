/* SPDX-License-Identifier: MIT
 * rng.h - a small deterministic generator (splitmix64) for demo data and
 * benchmarks: one seed always gives the same sequence. Not for secrets
 * (core_random() is).
 */
#ifndef BUREAU_RNG_H
#define BUREAU_RNG_H

#include <stdint.h>

struct rng {
    uint64_t s;
};

/* The next 64 random bits. */
static inline uint64_t rng_next(struct rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/* Uniform in [0, n), n > 0. */
static inline int rng_below(struct rng *r, int n)
{
    return (int)(rng_next(r) % (uint64_t)n);
}

/* Uniform in [lo, hi]. */
static inline int rng_range(struct rng *r, int lo, int hi)
{
    return lo + rng_below(r, hi - lo + 1);
}

/* 1 with probability per_mille / 1000. */
static inline int rng_chance(struct rng *r, int per_mille)
{
    return rng_below(r, 1000) < per_mille;
}

#endif
