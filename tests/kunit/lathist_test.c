// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for kvmsched's wake latency histograms (kmod/lathist.c).
 *
 * Expected values come from the contract in lathist.h and lathist.c's
 * kernel-doc (bucket i >= 1 holds 2^(9+i) to 2^(10+i)-1 ns; a wakeup is one
 * arrival after one blocking switch and no preemption; percentiles are the
 * upper end of their bucket capped at the window's maximum), worked out by
 * hand in each case's comment.
 */
#include <kunit/test.h>
#include <linux/limits.h>
#include <linux/string.h>

#include "lathist.h"

struct lat_bucket_case {
	const char *desc;
	u64 ns;
	unsigned int bucket;
};

static const struct lat_bucket_case lat_bucket_cases[] = {
	{ "0 ns", 0, 0 },
	{ "1023 ns is under 1024", 1023, 0 },
	{ "1024 ns starts bucket 1", 1024, 1 },
	{ "2047 ns ends bucket 1", 2047, 1 },
	{ "2048 ns starts bucket 2", 2048, 2 },
	{ "1 ms = 2^19.9: bucket 10", 1000000, 10 },	/* 2^19 <= 1e6 < 2^20 */
	{ "2^40 - 1 ends bucket 30", (1ULL << 40) - 1, 30 },
	{ "2^40 starts the open bucket 31", 1ULL << 40, 31 },
	{ "U64_MAX in the open bucket", U64_MAX, 31 },
};

static void lat_bucket_desc(const struct lat_bucket_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(lat_bucket, lat_bucket_cases, lat_bucket_desc);

static void kvms_lat_bucket_test(struct kunit *test)
{
	const struct lat_bucket_case *c = test->param_value;
	unsigned int b = kvms_lat_bucket(c->ns);

	KUNIT_EXPECT_EQ(test, b, c->bucket);
	/* and the bucket's upper end is consistent with it */
	KUNIT_EXPECT_LE(test, c->ns, kvms_lat_bucket_max_ns(b));
}

static void kvms_lat_bucket_max_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, kvms_lat_bucket_max_ns(0), 1023ULL);
	KUNIT_EXPECT_EQ(test, kvms_lat_bucket_max_ns(1), 2047ULL);
	KUNIT_EXPECT_EQ(test, kvms_lat_bucket_max_ns(30), (1ULL << 40) - 1);
	KUNIT_EXPECT_EQ(test, kvms_lat_bucket_max_ns(31), U64_MAX);
}

static int task_a, task_b;	/* identities only */

/* The first arrival primes; a clean wakeup is recorded with its wait. */
static void kvms_lat_arrival_wakeup_test(struct kunit *test)
{
	struct kvms_lat_probe t = {};

	/* Arrange: snapshot pcount 5, run_delay 1000, nvcsw 7, nivcsw 3 */
	kvms_lat_arrival(&t, &task_a, 5, 1000, 7, 3);
	KUNIT_EXPECT_EQ(test, t.hist[0] + t.hist[1] + t.skipped, 0U);

	/* Act: it blocked once, woke, waited 1500 ns, ran */
	kvms_lat_arrival(&t, &task_a, 6, 2500, 8, 3);

	/* Assert: bucket 1 (1024..2047), max 1500 */
	KUNIT_EXPECT_EQ(test, t.hist[1], 1U);
	KUNIT_EXPECT_EQ(test, t.skipped, 0U);
	KUNIT_EXPECT_EQ(test, t.max_ns, 1500ULL);

	/* a wakeup that found a CPU at once: 0 ns, bucket 0 */
	kvms_lat_arrival(&t, &task_a, 7, 2500, 9, 3);
	KUNIT_EXPECT_EQ(test, t.hist[0], 1U);
	KUNIT_EXPECT_EQ(test, t.max_ns, 1500ULL);
}

struct lat_skip_case {
	const char *desc;
	u64 pcount, run_delay, nvcsw, nivcsw;	/* after 10, 1000, 10, 10 */
};

static const struct lat_skip_case lat_skip_cases[] = {
	{ "preempted, not woken", 11, 5000, 10, 11 },
	{ "blocked and preempted", 11, 5000, 11, 11 },
	{ "two arrivals between entries", 12, 5000, 12, 10 },
	{ "run_delay went backwards", 11, 999, 11, 10 },
	{ "arrival without a switch away", 11, 5000, 10, 10 },
};

static void lat_skip_desc(const struct lat_skip_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(lat_skip, lat_skip_cases, lat_skip_desc);

static void kvms_lat_arrival_skip_test(struct kunit *test)
{
	const struct lat_skip_case *c = test->param_value;
	struct kvms_lat_probe t = {};
	unsigned int i, sum = 0;

	kvms_lat_arrival(&t, &task_a, 10, 1000, 10, 10);
	kvms_lat_arrival(&t, &task_a, c->pcount, c->run_delay, c->nvcsw,
			 c->nivcsw);

	for (i = 0; i < KVMS_LAT_BUCKETS; i++)
		sum += t.hist[i];
	KUNIT_EXPECT_EQ(test, sum, 0U);
	KUNIT_EXPECT_EQ(test, t.skipped, 1U);
	KUNIT_EXPECT_EQ(test, t.max_ns, 0ULL);
	/* the snapshot moved on: the next clean wakeup counts from here */
	kvms_lat_arrival(&t, &task_a, c->pcount + 1, c->run_delay + 3000,
			 c->nvcsw + 1, c->nivcsw);
	KUNIT_EXPECT_EQ(test, t.hist[2], 1U);	/* 3000: 2048..4095 */
}

/* Another thread under the same vCPU re-primes instead of diffing. */
static void kvms_lat_arrival_rethread_test(struct kunit *test)
{
	struct kvms_lat_probe t = {};
	unsigned int i, sum = 0;

	kvms_lat_arrival(&t, &task_a, 100, 1000000, 50, 50);
	/* task_b's counters happen to look like one clean wakeup of 1 s */
	kvms_lat_arrival(&t, &task_b, 101, 1001000000, 51, 50);
	for (i = 0; i < KVMS_LAT_BUCKETS; i++)
		sum += t.hist[i];
	KUNIT_EXPECT_EQ(test, sum + t.skipped, 0U);
	KUNIT_EXPECT_PTR_EQ(test, t.task, (const void *)&task_b);
}

/* Two vCPUs fold into one window; it closes after KVMS_LAT_WINDOW periods. */
static void kvms_lat_window_test(struct kunit *test)
{
	struct kvms_lat_probe t1 = {}, t2 = {};
	struct kvms_lat_seen s1 = {}, s2 = {};
	struct kvms_lat_win w = {};
	struct kvms_lat_stat out = {};
	unsigned int p;

	/* 98 waits of 1500 ns (bucket 1) on t1, 2 of 100 us (bucket 7) on t2 */
	t1.hist[1] = 98;
	t1.max_ns = 1900;
	t2.hist[7] = 2;		/* 2^16 = 65536 <= 100000 < 2^17 */
	t2.max_ns = 100000;
	t2.skipped = 4;
	for (p = 1; p < KVMS_LAT_WINDOW; p++) {
		kvms_lat_fold(&w, &s1, &t1);
		kvms_lat_fold(&w, &s2, &t2);
		KUNIT_ASSERT_FALSE(test, kvms_lat_close(&w, &out));
	}
	kvms_lat_fold(&w, &s1, &t1);
	kvms_lat_fold(&w, &s2, &t2);
	KUNIT_ASSERT_TRUE(test, kvms_lat_close(&w, &out));

	/* folded once each: later folds added nothing new */
	KUNIT_EXPECT_EQ(test, out.count, 100ULL);
	KUNIT_EXPECT_EQ(test, out.hist[1], 98U);
	KUNIT_EXPECT_EQ(test, out.hist[7], 2U);
	KUNIT_EXPECT_EQ(test, out.skipped, 4ULL);
	/* rank 50 in bucket 1: its upper end 2047 */
	KUNIT_EXPECT_EQ(test, out.p50_ns, 2047ULL);
	/* rank 99 = ceil(100 * 0.99): the 99th wait is in bucket 7 (131071), capped at max */
	KUNIT_EXPECT_EQ(test, out.p99_ns, 100000ULL);
	KUNIT_EXPECT_EQ(test, out.max_ns, 100000ULL);
	/* the maxima were taken */
	KUNIT_EXPECT_EQ(test, t1.max_ns + t2.max_ns, 0ULL);
	/* and the next window starts empty */
	KUNIT_EXPECT_EQ(test, w.acc.count, 0ULL);
	KUNIT_EXPECT_EQ(test, w.periods, 0U);

	/* an empty window publishes zeros */
	for (p = 0; p < KVMS_LAT_WINDOW; p++)
		kvms_lat_fold(&w, &s1, &t1);
	for (p = 1; p < KVMS_LAT_WINDOW; p++)
		kvms_lat_close(&w, &out);
	KUNIT_ASSERT_TRUE(test, kvms_lat_close(&w, &out));
	KUNIT_EXPECT_EQ(test, out.count + out.p50_ns + out.p99_ns + out.max_ns, 0ULL);
}

/* A maximum that belongs to another window is pulled into the top bucket. */
static void kvms_lat_window_max_clamp_test(struct kunit *test)
{
	struct kvms_lat_probe t = {};
	struct kvms_lat_seen s = {};
	struct kvms_lat_win w = {};
	struct kvms_lat_stat out;
	unsigned int p;

	t.hist[10] = 3;		/* 2^19..2^20-1 ns */
	t.max_ns = 5000;	/* raced: smaller than any wait in bucket 10 */
	kvms_lat_fold(&w, &s, &t);
	for (p = 1; p < KVMS_LAT_WINDOW; p++)
		kvms_lat_close(&w, &out);
	KUNIT_ASSERT_TRUE(test, kvms_lat_close(&w, &out));
	KUNIT_EXPECT_EQ(test, out.max_ns, 1ULL << 19);
	KUNIT_EXPECT_EQ(test, out.p50_ns, 1ULL << 19);
}

/* Counters that wrapped still give the right differences. */
static void kvms_lat_fold_wrap_test(struct kunit *test)
{
	struct kvms_lat_probe t = {};
	struct kvms_lat_seen s = {};
	struct kvms_lat_win w = {};

	s.hist[3] = U32_MAX - 1;
	t.hist[3] = 3;		/* 5 more after wrapping */
	kvms_lat_fold(&w, &s, &t);
	KUNIT_EXPECT_EQ(test, w.acc.hist[3], 5U);
	KUNIT_EXPECT_EQ(test, w.acc.count, 5ULL);
}

static void kvms_lat_pct_test(struct kunit *test)
{
	struct kvms_lat_stat s = {};

	KUNIT_EXPECT_EQ(test, kvms_lat_pct(&s, 50), 0ULL);
	s.hist[0] = 1;
	s.hist[4] = 1;		/* 8192..16383 */
	s.count = 2;
	s.max_ns = 9000;
	/* rank ceil(2 * 0.5) = 1: bucket 0, upper end 1023 */
	KUNIT_EXPECT_EQ(test, kvms_lat_pct(&s, 50), 1023ULL);
	/* rank ceil(2 * 0.51) = 2: bucket 4, capped at max */
	KUNIT_EXPECT_EQ(test, kvms_lat_pct(&s, 51), 9000ULL);
	KUNIT_EXPECT_EQ(test, kvms_lat_pct(&s, 100), 9000ULL);
}

static struct kunit_case kvmsched_lathist_cases[] = {
	KUNIT_CASE_PARAM(kvms_lat_bucket_test, lat_bucket_gen_params),
	KUNIT_CASE(kvms_lat_bucket_max_test),
	KUNIT_CASE(kvms_lat_arrival_wakeup_test),
	KUNIT_CASE_PARAM(kvms_lat_arrival_skip_test, lat_skip_gen_params),
	KUNIT_CASE(kvms_lat_arrival_rethread_test),
	KUNIT_CASE(kvms_lat_window_test),
	KUNIT_CASE(kvms_lat_window_max_clamp_test),
	KUNIT_CASE(kvms_lat_fold_wrap_test),
	KUNIT_CASE(kvms_lat_pct_test),
	{}
};

static struct kunit_suite kvmsched_lathist_suite = {
	.name = "kvmsched_lathist",
	.test_cases = kvmsched_lathist_cases,
};

kunit_test_suite(kvmsched_lathist_suite);

MODULE_DESCRIPTION("KUnit tests for kvmsched's wake latency histograms");
MODULE_LICENSE("GPL");
