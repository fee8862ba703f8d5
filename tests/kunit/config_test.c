// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for kvmsched's global tunables (kmod/config.c): the default
 * configuration is valid, each field is accepted exactly on its range with
 * a message naming it outside, and fields that must agree are checked.
 */
#include <kunit/test.h>
#include <linux/stddef.h>
#include <linux/string.h>

#include "config.h"

struct config_case {
	const char *desc;
	u32 period_ms;
	int expected;
};

static const struct config_case config_cases[] = {
	{ "default period", KVMSCHED_PERIOD_MS_DEFAULT, 0 },
	{ "minimum period (10 ms)", 10, 0 },
	{ "maximum period (1000 ms)", 1000, 0 },
	{ "one under the minimum", 9, -ERANGE },
	{ "one over the maximum", 1001, -ERANGE },
	{ "zero", 0, -ERANGE },
	{ "U32_MAX", U32_MAX, -ERANGE },
};

static void config_desc(const struct config_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(config, config_cases, config_desc);

static void config_validate_ranges(struct kunit *test)
{
	const struct config_case *c = test->param_value;
	struct kvms_config cfg = kvms_config;
	char why[96] = "";
	int attr = 0;

	/* Arrange */
	cfg.period_ms = c->period_ms;

	/* Act and Assert */
	KUNIT_EXPECT_EQ(test, kvms_config_validate(&cfg, why, sizeof(why), &attr), c->expected);
	if (c->expected) {
		/* the message names the field and the spec's range */
		KUNIT_EXPECT_STREQ(test, why, "period_ms must be 10-1000");
		KUNIT_EXPECT_EQ(test, attr, KVMSCHED_A_CONFIG_PERIOD_MS);
	}
}

static void config_default_is_valid(struct kunit *test)
{
	char why[96] = "";
	int attr = 0;

	KUNIT_EXPECT_EQ(test, kvms_config.period_ms, (u32)KVMSCHED_PERIOD_MS_DEFAULT);
	KUNIT_EXPECT_EQ(test, kvms_config_validate(&kvms_config, why, sizeof(why), &attr), 0);
}

/* Every other tunable, at both ends of its range and one past each. */
struct tunable_case {
	const char *desc;
	size_t off;
	u32 min, max;
	const char *name;	/* must appear in the message */
};

#define TC(field, lo, hi, nm) \
	{ #field, offsetof(struct kvms_config, field), lo, hi, nm }

static const struct tunable_case tunable_cases[] = {
	TC(reserve_headroom_pct, 0, 50, "reserve_headroom_pct"),
	TC(balloon_period_ms, 100, 600000, "balloon_period_ms"),
	TC(mem.low_pct, 6, 90, "mem_low_pct"),	/* min 1, but > critical (5) */
	TC(mem.critical_pct, 0, 19, "mem_critical_pct"),	/* < low (20) */
	TC(mem.hysteresis_pct, 0, 50, "mem_hysteresis_pct"),
	TC(mem.step_pct, 1, 100, "balloon_step_pct"),
	TC(mem.min_step_bp, 0, 10000, "balloon_min_step_bp"),
	TC(mem.idle_tax_pct, 0, 99, "idle_tax_pct"),
	TC(mem.max_pct, 0, 90, "balloon_max_pct"),
	TC(mem.psi_reclaim_bp, 0, 10000, "mem_psi_reclaim_bp"),
	TC(starve_ms, 100, 60000, "starve_ms"),
};

static void tunable_desc(const struct tunable_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(tunable, tunable_cases, tunable_desc);

static void config_set(struct kvms_config *cfg, size_t off, u32 v)
{
	*(u32 *)((char *)cfg + off) = v;
}

static void config_tunable_ranges(struct kunit *test)
{
	const struct tunable_case *c = test->param_value;
	struct kvms_config cfg = kvms_config;
	char why[96] = "";
	int attr = 0;

	config_set(&cfg, c->off, c->min);
	KUNIT_EXPECT_EQ(test, kvms_config_validate(&cfg, why, sizeof(why), &attr), 0);
	config_set(&cfg, c->off, c->max);
	KUNIT_EXPECT_EQ(test, kvms_config_validate(&cfg, why, sizeof(why), &attr), 0);
	config_set(&cfg, c->off, c->max + 1);
	why[0] = 0;
	KUNIT_EXPECT_NE(test, kvms_config_validate(&cfg, why, sizeof(why), &attr), 0);
	KUNIT_ASSERT_NE(test, why[0], 0);
	KUNIT_EXPECT_NOT_NULL(test, strstr(why, c->name));
	if (c->min) {
		config_set(&cfg, c->off, c->min - 1);
		why[0] = 0;
		KUNIT_EXPECT_NE(test, kvms_config_validate(&cfg, why, sizeof(why), &attr), 0);
		KUNIT_ASSERT_NE(test, why[0], 0);
		KUNIT_EXPECT_NOT_NULL(test, strstr(why, c->name));
	}
}

/* starve_ms: 0 is "off", under its minimum; the message says both. */
static void config_starve_ms_zero_is_off(struct kunit *test)
{
	struct kvms_config cfg = kvms_config;
	char why[96] = "";
	int attr = 0;

	KUNIT_EXPECT_EQ(test, cfg.starve_ms, (u32)KVMSCHED_STARVE_MS_DEFAULT);
	cfg.starve_ms = 0;
	KUNIT_EXPECT_EQ(test, kvms_config_validate(&cfg, why, sizeof(why), &attr), 0);
	cfg.starve_ms = 1;
	KUNIT_EXPECT_EQ(test, kvms_config_validate(&cfg, why, sizeof(why), &attr), -ERANGE);
	KUNIT_EXPECT_STREQ(test, why, "starve_ms must be 0 (off) or 100-60000");
	KUNIT_EXPECT_EQ(test, attr, KVMSCHED_A_CONFIG_STARVE_MS);
}

/* Fields that must agree: critical under low, low + hysteresis <= 95. */
static void config_cross_checks(struct kunit *test)
{
	struct kvms_config cfg = kvms_config;
	char why[96] = "";
	int attr = 0;

	cfg.mem.low_pct = 10;
	cfg.mem.critical_pct = 10;
	KUNIT_EXPECT_EQ(test, kvms_config_validate(&cfg, why, sizeof(why), &attr), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, strstr(why, "below mem_low_pct"));
	cfg.mem.critical_pct = 9;
	KUNIT_EXPECT_EQ(test, kvms_config_validate(&cfg, why, sizeof(why), &attr), 0);
	cfg.mem.low_pct = 90;
	cfg.mem.hysteresis_pct = 5;
	KUNIT_EXPECT_EQ(test, kvms_config_validate(&cfg, why, sizeof(why), &attr), 0);
	cfg.mem.hysteresis_pct = 6;
	KUNIT_EXPECT_EQ(test, kvms_config_validate(&cfg, why, sizeof(why), &attr), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, strstr(why, "at most 95"));
}

static struct kunit_case kvmsched_config_cases[] = {
	KUNIT_CASE(config_default_is_valid),
	KUNIT_CASE_PARAM(config_validate_ranges, config_gen_params),
	KUNIT_CASE_PARAM(config_tunable_ranges, tunable_gen_params),
	KUNIT_CASE(config_starve_ms_zero_is_off),
	KUNIT_CASE(config_cross_checks),
	{}
};

static struct kunit_suite kvmsched_config_suite = {
	.name = "kvmsched_config",
	.test_cases = kvmsched_config_cases,
};

kunit_test_suite(kvmsched_config_suite);
