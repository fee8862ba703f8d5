// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for kvmsched's global tunables (kmod/config.c): the default
 * configuration is valid and each field is accepted exactly on its range.
 */
#include <kunit/test.h>

#include "config.h"

struct config_case {
	const char *desc;
	u32 period_ms;
	int expected;
};

static const struct config_case config_cases[] = {
	{ "default period", KVMS_PERIOD_MS_DEFAULT, 0 },
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
	const char *why = NULL;

	/* Arrange */
	cfg.period_ms = c->period_ms;

	/* Act and Assert */
	KUNIT_EXPECT_EQ(test, kvms_config_validate(&cfg, &why), c->expected);
	if (c->expected)
		KUNIT_EXPECT_NOT_NULL(test, why);
}

static void config_default_is_valid(struct kunit *test)
{
	const char *why = NULL;

	KUNIT_EXPECT_EQ(test, kvms_config.period_ms, (u32)KVMS_PERIOD_MS_DEFAULT);
	KUNIT_EXPECT_EQ(test, kvms_config_validate(&kvms_config, &why), 0);
}

static struct kunit_case kvmsched_config_cases[] = {
	KUNIT_CASE(config_default_is_valid),
	KUNIT_CASE_PARAM(config_validate_ranges, config_gen_params),
	{}
};

static struct kunit_suite kvmsched_config_suite = {
	.name = "kvmsched_config",
	.test_cases = kvmsched_config_cases,
};

kunit_test_suite(kvmsched_config_suite);
