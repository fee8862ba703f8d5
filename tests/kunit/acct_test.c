// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for kvmsched's accounting arithmetic (kmod/acct.c).
 *
 * Every expected value is worked out by hand from the contract in acct.c's
 * kernel-doc (rate = part / period * scale, rounded half up, clamped to
 * scale; a period that is empty or runs backwards yields zeros), never by
 * calling the code under test. The arithmetic is in each case's comment.
 */
#include <kunit/test.h>
#include <linux/limits.h>
#include <linux/string.h>
#include <linux/time64.h>

#include "acct.h"

/* kvms_acct_rate() */

struct acct_rate_case {
	const char *desc;
	u64 part_ns;
	u64 period_ns;
	u32 scale;
	u32 expected;
};

static const struct acct_rate_case acct_rate_cases[] = {
	{ "empty period is 0, not a division by zero",
	  5, 0, 1000, 0 },
	{ "empty part of an empty period",
	  0, 0, 1000, 0 },
	{ "idle period",
	  0, NSEC_PER_SEC, 1000, 0 },
	{ "half busy",				/* 0.5 * 1000 */
	  NSEC_PER_SEC / 2, NSEC_PER_SEC, 1000, 500 },
	{ "one third rounds down",		/* 333.33 */
	  1, 3, 1000, 333 },
	{ "two thirds rounds up",		/* 666.67 */
	  2, 3, 1000, 667 },
	{ "exactly half a unit rounds up",	/* 1000 / 2000 = 0.5 */
	  1, 2000, 1000, 1 },
	{ "just under half a unit rounds down",	/* 1000 / 2001 = 0.49975 */
	  1, 2001, 1000, 0 },
	{ "one ns short of the period rounds to full", /* 999.999999 */
	  NSEC_PER_SEC - 1, NSEC_PER_SEC, 1000, 1000 },
	{ "whole period",
	  NSEC_PER_SEC, NSEC_PER_SEC, 1000, 1000 },
	{ "more than the period clamps to scale",	/* 3000, clamped */
	  3 * NSEC_PER_SEC, NSEC_PER_SEC, 1000, 1000 },
	{ "U64_MAX part clamps to scale",
	  U64_MAX, 1, 1000, 1000 },
	{ "percent: one third",			/* 33.33 */
	  1, 3, 100, 33 },
	{ "percent: one eighth rounds half up",	/* 12.5 */
	  1, 8, 100, 13 },
	{ "part * scale overflows u64",		/* 2^62 * 1000 > 2^64; 0.5 */
	  1ULL << 62, 1ULL << 63, 1000, 500 },
	{ "three quarters of 2^63",		/* 750; part * 2000 > 2^64 */
	  3ULL << 61, 1ULL << 63, 1000, 750 },
	{ "just under half of U64_MAX rounds up", /* (2^63 - 1) / (2^64 - 1) */
	  U64_MAX / 2, U64_MAX, 1000, 500 },	/* = 0.49999..., 499.99... */
	{ "U64_MAX - 1 of U64_MAX rounds to full", /* 999.99... */
	  U64_MAX - 1, U64_MAX, 1000, 1000 },
	{ "one ns of a U64_MAX period",		/* 5.4e-17 */
	  1, U64_MAX, 1000, 0 },
	{ "zero scale",
	  1, 2, 0, 0 },
};

static void acct_rate_case_desc(const struct acct_rate_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(acct_rate, acct_rate_cases, acct_rate_case_desc);

static void kvms_acct_rate_test(struct kunit *test)
{
	/* Arrange */
	const struct acct_rate_case *c = test->param_value;
	u32 rate;

	/* Act */
	rate = kvms_acct_rate(c->part_ns, c->period_ns, c->scale);

	/* Assert */
	KUNIT_EXPECT_EQ(test, rate, c->expected);
	KUNIT_EXPECT_LE(test, rate, c->scale);
}

/* kvms_acct_sample(), kvms_acct_cpu_mcpu(), kvms_acct_steal_permille() */

/* Results of the period before: an empty period must not leave them. */
#define STALE	0xdeadbeefULL

/* State after a sample at @t with cumulative counters @cpu and @wait. */
#define SAMPLED(t, cpu, wait) {						\
	.stamp_ns = (t), .cpu_ns = (cpu), .wait_ns = (wait),		\
	.last_cpu_ns = STALE, .last_wait_ns = STALE,			\
	.last_period_ns = STALE,					\
}

struct acct_sample_case {
	const char *desc;
	struct kvms_acct before;
	/* the sample */
	u64 now_ns;
	u64 cpu_ns;
	u64 wait_ns;
	/* expected period */
	u64 period_ns;
	u64 cpu_delta_ns;
	u64 wait_delta_ns;
	u32 mcpu;
	u32 steal_permille;
};

static const struct acct_sample_case acct_sample_cases[] = {
	{ "first sample only primes",
	  {}, 5 * NSEC_PER_SEC, 2 * NSEC_PER_SEC, 100 * NSEC_PER_MSEC,
	  0, 0, 0, 0, 0 },
	{ "half a CPU, 2.5% steal",	/* 0.5 s and 25 ms of 1 s */
	  SAMPLED(NSEC_PER_SEC, 2 * NSEC_PER_SEC, 100 * NSEC_PER_MSEC),
	  2 * NSEC_PER_SEC, 2500 * NSEC_PER_MSEC, 125 * NSEC_PER_MSEC,
	  NSEC_PER_SEC, 500 * NSEC_PER_MSEC, 25 * NSEC_PER_MSEC, 500, 25 },
	{ "busy for a whole 10 ms period",
	  SAMPLED(NSEC_PER_SEC, 0, 0),
	  NSEC_PER_SEC + 10 * NSEC_PER_MSEC, 10 * NSEC_PER_MSEC, 0,
	  10 * NSEC_PER_MSEC, 10 * NSEC_PER_MSEC, 0, 1000, 0 },
	{ "3 ns period rounds both ways",	/* 2/3 -> 667, 1/3 -> 333 */
	  SAMPLED(1000, 7, 9),
	  1003, 9, 10,
	  3, 2, 1, 667, 333 },
	{ "zero elapsed time gives an empty period",
	  SAMPLED(5 * NSEC_PER_SEC, NSEC_PER_SEC, 100 * NSEC_PER_MSEC),
	  5 * NSEC_PER_SEC, 2 * NSEC_PER_SEC, 200 * NSEC_PER_MSEC,
	  0, 0, 0, 0, 0 },
	{ "clock going backwards gives an empty period",
	  SAMPLED(5 * NSEC_PER_SEC, NSEC_PER_SEC, 100 * NSEC_PER_MSEC),
	  4 * NSEC_PER_SEC, 2 * NSEC_PER_SEC, 200 * NSEC_PER_MSEC,
	  0, 0, 0, 0, 0 },
	{ "CPU counter going backwards counts as 0",
	  SAMPLED(NSEC_PER_SEC, 3 * NSEC_PER_SEC, 100 * NSEC_PER_MSEC),
	  2 * NSEC_PER_SEC, 2 * NSEC_PER_SEC, 200 * NSEC_PER_MSEC,
	  NSEC_PER_SEC, 0, 100 * NSEC_PER_MSEC, 0, 100 },
	{ "wait counter going backwards counts as 0",
	  SAMPLED(NSEC_PER_SEC, NSEC_PER_SEC, 500 * NSEC_PER_MSEC),
	  2 * NSEC_PER_SEC, 1250 * NSEC_PER_MSEC, 100 * NSEC_PER_MSEC,
	  NSEC_PER_SEC, 250 * NSEC_PER_MSEC, 0, 250, 0 },
	{ "CPU time beyond the period is kept, the rate clamps",
	  SAMPLED(NSEC_PER_SEC, 0, 0),
	  2 * NSEC_PER_SEC, 1100 * NSEC_PER_MSEC, 0,
	  NSEC_PER_SEC, 1100 * NSEC_PER_MSEC, 0, 1000, 0 },
	{ "counters close to U64_MAX",	/* 0.5 s and 0.25 s of 2 s */
	  SAMPLED(U64_MAX - 2 * NSEC_PER_SEC, U64_MAX - NSEC_PER_SEC,
		  U64_MAX - NSEC_PER_SEC),
	  U64_MAX, U64_MAX - 500 * NSEC_PER_MSEC,
	  U64_MAX - 750 * NSEC_PER_MSEC,
	  2 * NSEC_PER_SEC, 500 * NSEC_PER_MSEC, 250 * NSEC_PER_MSEC,
	  250, 125 },
	{ "period of 2^64 - 2 ns",	/* 2^63, 2^62 of 2^64 - 2: 500, 250 */
	  SAMPLED(1, 0, 0),
	  U64_MAX, 1ULL << 63, 1ULL << 62,
	  U64_MAX - 1, 1ULL << 63, 1ULL << 62, 500, 250 },
	{ "a sample at time 0 counts as never sampled",
	  SAMPLED(0, NSEC_PER_SEC, 0),
	  NSEC_PER_SEC, 1500 * NSEC_PER_MSEC, 0,
	  0, 0, 0, 0, 0 },
};

static void acct_sample_case_desc(const struct acct_sample_case *c,
				  char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(acct_sample, acct_sample_cases, acct_sample_case_desc);

static void kvms_acct_sample_test(struct kunit *test)
{
	/* Arrange */
	const struct acct_sample_case *c = test->param_value;
	struct kvms_acct *a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a);
	*a = c->before;

	/* Act */
	kvms_acct_sample(a, c->now_ns, c->cpu_ns, c->wait_ns);

	/* Assert: the closed period ... */
	KUNIT_EXPECT_EQ(test, a->last_period_ns, c->period_ns);
	KUNIT_EXPECT_EQ(test, a->last_cpu_ns, c->cpu_delta_ns);
	KUNIT_EXPECT_EQ(test, a->last_wait_ns, c->wait_delta_ns);
	KUNIT_EXPECT_EQ(test, kvms_acct_cpu_mcpu(a), c->mcpu);
	KUNIT_EXPECT_EQ(test, kvms_acct_steal_permille(a), c->steal_permille);
	/* ... and the next one starts at this sample, whatever it was. */
	KUNIT_EXPECT_EQ(test, a->stamp_ns, c->now_ns);
	KUNIT_EXPECT_EQ(test, a->cpu_ns, c->cpu_ns);
	KUNIT_EXPECT_EQ(test, a->wait_ns, c->wait_ns);
}

/*
 * Starvation: a wait (the kernel's last_queued stamp) is reported once,
 * when it reaches the limit; a new wait (a new stamp) again; running,
 * sleeping or reporting off show no wait.
 */
static void kvms_acct_starve_test(struct kunit *test)
{
	const u64 ms = 1000000, limit = 500 * ms;
	struct kvms_acct a = {};

	KUNIT_EXPECT_FALSE(test, kvms_acct_starve(&a, 1000 * ms, 1400 * ms, limit));
	KUNIT_EXPECT_EQ(test, a.starved_ns, 400 * ms);
	KUNIT_EXPECT_TRUE(test, kvms_acct_starve(&a, 1000 * ms, 1500 * ms, limit));
	KUNIT_EXPECT_EQ(test, a.starved_ns, 500 * ms);
	/* the same wait, longer: not again */
	KUNIT_EXPECT_FALSE(test, kvms_acct_starve(&a, 1000 * ms, 2500 * ms, limit));
	KUNIT_EXPECT_EQ(test, a.starved_ns, 1500 * ms);
	/* it ran (no stamp): no wait */
	KUNIT_EXPECT_FALSE(test, kvms_acct_starve(&a, 0, 2600 * ms, limit));
	KUNIT_EXPECT_EQ(test, a.starved_ns, 0ULL);
	/* a new wait: reported when it reaches the limit */
	KUNIT_EXPECT_FALSE(test, kvms_acct_starve(&a, 2700 * ms, 3100 * ms, limit));
	KUNIT_EXPECT_TRUE(test, kvms_acct_starve(&a, 2700 * ms, 3300 * ms, limit));
	/* off: no wait shown, nothing reported */
	KUNIT_EXPECT_FALSE(test, kvms_acct_starve(&a, 4000 * ms, 9000 * ms, 0));
	KUNIT_EXPECT_EQ(test, a.starved_ns, 0ULL);
	/* a clock that did not pass the stamp (another CPU's): no wait */
	KUNIT_EXPECT_FALSE(test, kvms_acct_starve(&a, 9000 * ms, 8999 * ms, limit));
	KUNIT_EXPECT_EQ(test, a.starved_ns, 0ULL);
}

/*
 * Burst length: the CPU of the period over the times the thread was put on
 * a CPU; one burst when it kept its CPU; none when it did not run.
 */
static void kvms_acct_burst_test(struct kunit *test)
{
	const u64 ms = 1000000;
	struct kvms_acct a = {};

	/* first sample: primes only */
	kvms_acct_sample(&a, 1000 * ms, 0, 0);
	kvms_acct_burst(&a, 50, 10);
	KUNIT_EXPECT_EQ(test, a.burst_ns, 0ULL);
	/* 30 ms of CPU in 100 runs: 300 us each */
	kvms_acct_sample(&a, 1100 * ms, 30 * ms, 0);
	kvms_acct_burst(&a, 150, 60);
	KUNIT_EXPECT_EQ(test, a.burst_ns, 300000ULL);
	/* it blocked 50 of 100 times: an I/O-like vCPU */
	KUNIT_EXPECT_TRUE(test, kvms_acct_blocks(&a));
	/* 100 ms of CPU without being put on a CPU again: one burst */
	kvms_acct_sample(&a, 1200 * ms, 130 * ms, 0);
	kvms_acct_burst(&a, 150, 60);
	KUNIT_EXPECT_EQ(test, a.burst_ns, 100 * ms);
	KUNIT_EXPECT_FALSE(test, kvms_acct_blocks(&a));
	/* no CPU: no burst, whatever the count */
	kvms_acct_sample(&a, 1300 * ms, 130 * ms, 0);
	kvms_acct_burst(&a, 151, 60);
	KUNIT_EXPECT_EQ(test, a.burst_ns, 0ULL);
	/* put on a CPU once, never blocked: preempted */
	KUNIT_EXPECT_FALSE(test, kvms_acct_blocks(&a));
	/* 100 short runs, 49 of them ended by a halt: preempted more */
	kvms_acct_sample(&a, 1310 * ms, 131 * ms, 0);
	kvms_acct_burst(&a, 251, 109);
	KUNIT_EXPECT_EQ(test, a.burst_ns, 10000ULL);
	KUNIT_EXPECT_FALSE(test, kvms_acct_blocks(&a));
	/* a count that went back (a new thread) and CPU: one burst */
	kvms_acct_sample(&a, 1400 * ms, 141 * ms, 0);
	kvms_acct_burst(&a, 3, 1);
	KUNIT_EXPECT_EQ(test, a.burst_ns, 10 * ms);
	KUNIT_EXPECT_EQ(test, a.runs, 3ULL);
}

static struct kunit_case kvmsched_acct_cases[] = {
	KUNIT_CASE(kvms_acct_starve_test),
	KUNIT_CASE(kvms_acct_burst_test),
	KUNIT_CASE_PARAM(kvms_acct_rate_test, acct_rate_gen_params),
	KUNIT_CASE_PARAM(kvms_acct_sample_test, acct_sample_gen_params),
	{}
};

static struct kunit_suite kvmsched_acct_suite = {
	.name = "kvmsched_acct",
	.test_cases = kvmsched_acct_cases,
};

kunit_test_suite(kvmsched_acct_suite);

MODULE_DESCRIPTION("KUnit tests for kvmsched's accounting arithmetic");
MODULE_LICENSE("GPL");
