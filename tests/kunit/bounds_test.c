// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the bounds of kvmsched's scheduling class (part 2, in
 * kmod/policy.c): admission control of reservations, the per-vCPU split of
 * a bound VM's CPU, and how reservation, limit and weight combine in the
 * entitlement. Expected values are worked out by hand in each comment.
 */
#include <kunit/test.h>
#include <linux/slab.h>

#include "policy.h"

#define S KVMSCHED_CLASS_SHARES
#define B KVMSCHED_CLASS_BACKGROUND

/* -- admission ---------------------------------------------------------------- */

struct admit_case {
	const char *desc;
	u32 reservable, reserved, old, new;
	int err;
	u32 left;
};

static const struct admit_case admit_cases[] = {
	{ "fits", 1800, 800, 0, 500, 0, 1000 },
	{ "exactly full", 1800, 800, 0, 1000, 0, 1000 },
	{ "over by one", 1800, 800, 0, 1001, -EBUSY, 1000 },
	{ "full host refuses 1", 1800, 1800, 0, 1, -EBUSY, 0 },
	{ "own old reservation counts as room", 1800, 1800, 800, 800, 0, 800 },
	{ "raise own reservation into the room", 1800, 1000, 200, 1000, 0, 1000 },
	{ "raise own reservation past the room", 1800, 1000, 200, 1001, -EBUSY, 1000 },
	/* a CPU went offline: 1800 reserved, 900 reservable */
	{ "capacity shrink: raising is refused", 900, 1800, 900, 901, -EBUSY, 0 },
	{ "capacity shrink: lowering is admitted", 900, 1800, 900, 100, 0, 0 },
	{ "capacity shrink: setting 0 is admitted", 900, 1800, 900, 0, 0, 0 },
	{ "zero reservable refuses anything", 0, 0, 0, 1, -EBUSY, 0 },
};

static void admit_desc(const struct admit_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(admit, admit_cases, admit_desc);

static void bounds_admit_table(struct kunit *test)
{
	const struct admit_case *c = test->param_value;
	u32 left = 12345;

	KUNIT_EXPECT_EQ(test, kvms_policy_admit(c->reservable, c->reserved,
						c->old, c->new, &left), c->err);
	KUNIT_EXPECT_EQ(test, left, c->left);
}

static void bounds_reservable(struct kunit *test)
{
	/* 2 CPUs, 10 % headroom: 1800 under both 95 % (6.1) and 90 % (6.12) */
	KUNIT_EXPECT_EQ(test, kvms_reservable_mcpu(2000, 10, 95), 1800U);
	KUNIT_EXPECT_EQ(test, kvms_reservable_mcpu(2000, 10, 90), 1800U);
	/* no headroom: the kernel's deadline admission is the limit */
	KUNIT_EXPECT_EQ(test, kvms_reservable_mcpu(2000, 0, 95), 1900U);
	KUNIT_EXPECT_EQ(test, kvms_reservable_mcpu(2000, 0, 90), 1800U);
	/* 50 % headroom */
	KUNIT_EXPECT_EQ(test, kvms_reservable_mcpu(2000, 50, 95), 1000U);
	/* capacity shrink to one CPU */
	KUNIT_EXPECT_EQ(test, kvms_reservable_mcpu(1000, 10, 95), 900U);
	/* large hosts do not overflow: 1024 CPUs */
	KUNIT_EXPECT_EQ(test, kvms_reservable_mcpu(1024000, 10, 95), 921600U);
}

static void bounds_check(struct kunit *test)
{
	const char *why = NULL;

	/* at most nr_vcpus x 950: a deadline vCPU holds at most 95 % of a CPU */
	KUNIT_EXPECT_EQ(test, kvms_policy_check_bounds(2, 1900, 0, &why), 0);
	KUNIT_EXPECT_EQ(test, kvms_policy_check_bounds(2, 1901, 0, &why), -EINVAL);
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, strstr(why, "nr_vcpus"));
	why = NULL;
	KUNIT_EXPECT_EQ(test, kvms_policy_check_bounds(2, 800, 600, &why), -EINVAL);
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, strstr(why, "limit_mcpu"));
	KUNIT_EXPECT_EQ(test, kvms_policy_check_bounds(2, 600, 600, &why), 0);
	/* a limit without a reservation, or no bounds at all */
	KUNIT_EXPECT_EQ(test, kvms_policy_check_bounds(1, 0, 5000, &why), 0);
	KUNIT_EXPECT_EQ(test, kvms_policy_check_bounds(0, 0, 0, &why), 0);
	/* a VM with no vCPU found yet cannot reserve */
	KUNIT_EXPECT_EQ(test, kvms_policy_check_bounds(0, 1, 0, &why), -EINVAL);
}

/* -- per-vCPU split ------------------------------------------------------------ */

static void bounds_split(struct kunit *test)
{
	u32 i, sum;

	/* 800 over 2 active vCPUs (2 more halted hold none): 400 + 400 */
	KUNIT_EXPECT_EQ(test, kvms_policy_split(800, 2, 0), 400U);
	KUNIT_EXPECT_EQ(test, kvms_policy_split(800, 2, 1), 400U);
	KUNIT_EXPECT_EQ(test, kvms_policy_split(800, 2, 2), 0U);
	/* the remainder goes to the first vCPUs and the parts add up */
	for (sum = 0, i = 0; i < 3; i++)
		sum += kvms_policy_split(1000, 3, i);
	KUNIT_EXPECT_EQ(test, sum, 1000U);
	KUNIT_EXPECT_EQ(test, kvms_policy_split(1000, 3, 0), 334U);
	KUNIT_EXPECT_EQ(test, kvms_policy_split(1000, 3, 2), 333U);
	/* a limited VM's halted vCPUs: KVMS_DL_IDLE_MCPU each at most */
	KUNIT_EXPECT_EQ(test, kvms_policy_idle_part(490, 2), (u32)KVMS_DL_IDLE_MCPU);
	KUNIT_EXPECT_EQ(test, kvms_policy_idle_part(60, 2), 30U);
	KUNIT_EXPECT_EQ(test, kvms_policy_idle_part(3, 4), 1U);
	KUNIT_EXPECT_EQ(test, kvms_policy_idle_part(0, 2), 1U);
	KUNIT_EXPECT_EQ(test, kvms_policy_idle_part(500, 0), 1U);
	/* 4 vCPUs, 1 active, total 490: 3 x 50 halted, 340 active, sum 490 */
	KUNIT_EXPECT_EQ(test, 490 - 3 * kvms_policy_idle_part(490, 4), 340U);
	KUNIT_EXPECT_LE(test, 4 * kvms_policy_idle_part(190, 4), 190U);
	/* no active vCPU: nothing */
	KUNIT_EXPECT_EQ(test, kvms_policy_split(800, 0, 0), 0U);
	/* a part never exceeds the per-vCPU deadline cap */
	KUNIT_EXPECT_EQ(test, kvms_policy_split(2000, 2, 0),
			(u32)KVMS_DL_VCPU_MAX_MCPU);
	KUNIT_EXPECT_EQ(test, kvms_policy_split(1000, 1, 0),
			(u32)KVMS_DL_VCPU_MAX_MCPU);
}

/* -- entitlement with bounds ------------------------------------------------------ */

struct bent_case {
	const char *desc;
	u32 capacity;
	unsigned int n;
	struct kvms_policy_vm in[4];	/* class, weight, nr_active, demand, res, limit */
	u32 entitled[4];
	u8 bound[4];
};

#define N KVMSCHED_BOUND_NONE
#define RS KVMSCHED_BOUND_RESERVATION
#define L KVMSCHED_BOUND_LIMIT

static const struct bent_case bent_cases[] = {
	{ "reservation 800 among three weight-10000 hogs", 2000, 4,
	  /* weight alone: 2000*100/30100 = 6 < 800: floored at 800; the hogs
	   * share the 1200 left, 400 each */
	  { { S, 100, 2, 2000, 800, 0 }, { S, 10000, 2, 2000 },
	    { S, 10000, 2, 2000 }, { S, 10000, 2, 2000 } },
	  { 800, 400, 400, 400 }, { RS, N, N, N } },
	{ "reservation under the weighted share: the weight decides", 2000, 2,
	  /* 1000 each by weight >= 300; bound all the same (enforced exactly) */
	  { { S, 100, 2, 2000, 300, 0 }, { S, 100, 2, 2000 } },
	  { 1000, 1000 }, { RS, N } },
	{ "reservation capped by demand", 2000, 2,
	  /* wants 200 < reservation 800: floor is 200, and the weight gives
	   * 2000*1/10001 = 0 < 200, so floored at its demand */
	  { { S, 1, 1, 200, 800, 0 }, { S, 10000, 2, 2000 } },
	  { 200, 1800 }, { RS, N } },
	{ "reservation of an idle VM holds nothing", 2000, 2,
	  { { S, 100, 0, 0, 800, 0 }, { S, 100, 2, 2000 } },
	  { 0, 2000 }, { N, N } },
	{ "limit 500 alone on the host", 2000, 1,
	  { { S, 100, 2, 2000, 0, 500 } },
	  { 500 }, { L } },
	{ "limit above demand holds all the same", 2000, 1,
	  /* entitled to its demand; held under min(limit, share = 1000) */
	  { { S, 100, 1, 700, 0, 1500 } },
	  { 700 }, { L } },
	{ "limit of an idle VM holds all the same", 2000, 2,
	  { { S, 100, 0, 0, 0, 500 }, { S, 100, 2, 2000 } },
	  { 0, 2000 }, { L, N } },
	{ "limit under the weighted share: the rest goes to the others", 2000, 2,
	  /* 1000 by weight > limit 600: capped; the other takes 1400 */
	  { { S, 100, 2, 2000, 0, 600 }, { S, 100, 2, 2000 } },
	  { 600, 1400 }, { L, N } },
	{ "limit over the weighted share: the share decides", 2000, 2,
	  { { S, 100, 2, 2000, 0, 1500 }, { S, 100, 2, 2000 } },
	  { 1000, 1000 }, { L, N } },
	{ "reservation 300 + limit 600 among hogs: the floor binds", 2000, 4,
	  { { S, 100, 2, 2000, 300, 600 }, { S, 10000, 2, 2000 },
	    { S, 10000, 2, 2000 }, { S, 10000, 2, 2000 } },
	  { 300, 566, 567, 567 }, { RS, N, N, N } },
	{ "reservation 300 + limit 600 alone: the limit binds", 2000, 1,
	  { { S, 100, 2, 2000, 300, 600 } },
	  { 600 }, { L } },
	{ "a background VM's reservation comes before shares VMs", 2000, 2,
	  /* background is floored at 500, shares get 1500 */
	  { { S, 100, 2, 2000 }, { B, 100, 2, 2000, 500, 0 } },
	  { 1500, 500 }, { N, RS } },
	{ "two reservations fill the host, a hog gets the rest", 2000, 3,
	  { { S, 1, 2, 2000, 900, 0 }, { S, 1, 2, 2000, 900, 0 },
	    { S, 10000, 2, 2000 } },
	  { 900, 900, 200 }, { RS, RS, N } },
	{ "floors found over two rounds", 3000, 3,
	  /* round 1: level 3000/300 -> 1000 each; A (res 1200) floored.
	   * round 2: 1800 over B, C: 900 each; B (res 950) floored.
	   * C gets 850. */
	  { { S, 100, 2, 2000, 1200, 0 }, { S, 100, 2, 2000, 950, 0 },
	    { S, 100, 2, 2000 } },
	  { 1200, 950, 850 }, { RS, RS, N } },
};

static void bent_desc(const struct bent_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bent, bent_cases, bent_desc);

static void bounds_entitle_table(struct kunit *test)
{
	const struct bent_case *c = test->param_value;
	struct kvms_policy_vm vms[4], *p[4];
	unsigned int i;

	for (i = 0; i < c->n; i++) {
		vms[i] = c->in[i];
		p[i] = &vms[i];
	}
	KUNIT_ASSERT_EQ(test, kvms_policy_entitle(p, c->n, c->capacity), 0);
	for (i = 0; i < c->n; i++) {
		KUNIT_EXPECT_EQ_MSG(test, vms[i].entitled_mcpu, c->entitled[i],
				    "VM %u", i);
		KUNIT_EXPECT_EQ_MSG(test, vms[i].bound, c->bound[i], "VM %u", i);
		/* never above the limit, never under min(reservation, demand) */
		if (vms[i].limit_mcpu)
			KUNIT_EXPECT_LE(test, vms[i].entitled_mcpu, vms[i].limit_mcpu);
		KUNIT_EXPECT_GE(test, vms[i].entitled_mcpu,
				min(vms[i].reservation_mcpu, vms[i].demand_mcpu));
		KUNIT_EXPECT_GE(test, vms[i].share_mcpu, vms[i].entitled_mcpu);
		if (vms[i].limit_mcpu)
			KUNIT_EXPECT_LE(test, vms[i].share_mcpu, vms[i].limit_mcpu);
	}
}

static void bounds_entitle_rejects_bad_bounds(struct kunit *test)
{
	struct kvms_policy_vm a = { S, 100, 2, 2000, 800, 500 };
	struct kvms_policy_vm b = { S, 100, 2, 2000, KVMSCHED_MCPU_MAX + 1, 0 };
	struct kvms_policy_vm *p = &a;

	a.entitled_mcpu = 77;
	KUNIT_EXPECT_EQ(test, kvms_policy_entitle(&p, 1, 2000), -EINVAL);
	KUNIT_EXPECT_EQ(test, a.entitled_mcpu, 77U);	/* unchanged */
	p = &b;
	KUNIT_EXPECT_EQ(test, kvms_policy_entitle(&p, 1, 2000), -EINVAL);
}

/* Many VMs with random bounds: every bound holds and capacity is respected. */
static void bounds_entitle_1000_vms(struct kunit *test)
{
	const unsigned int n = 1000;
	struct kvms_policy_vm *vms, **p;
	u64 sum = 0, floors = 0;
	unsigned int i;
	u32 state = 1;

	vms = kunit_kcalloc(test, n, sizeof(*vms), GFP_KERNEL);
	p = kunit_kcalloc(test, n, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, vms);
	KUNIT_ASSERT_NOT_NULL(test, p);
	for (i = 0; i < n; i++) {
		state = state * 1103515245 + 12345;
		vms[i].class = (state >> 8) % 5 ? S : B;
		vms[i].weight = 1 + (state >> 4) % 10000;
		vms[i].nr_active = 1 + (state >> 12) % 4;
		vms[i].demand_mcpu = (state >> 16) % (vms[i].nr_active * 1000 + 1);
		/* reservations add up to at most ~30 % of capacity */
		if (!(i % 7))
			vms[i].reservation_mcpu = (state >> 3) % 600;
		if (!(i % 5))
			vms[i].limit_mcpu = vms[i].reservation_mcpu +
					    (state >> 5) % 1500;
		floors += min(vms[i].reservation_mcpu, vms[i].demand_mcpu);
		p[i] = &vms[i];
	}
	KUNIT_ASSERT_EQ(test, kvms_policy_entitle(p, n, 64000), 0);
	for (i = 0; i < n; i++) {
		const struct kvms_policy_vm *v = &vms[i];
		u32 lo = min(v->reservation_mcpu, v->demand_mcpu);

		sum += v->entitled_mcpu;
		KUNIT_EXPECT_GE(test, v->entitled_mcpu, lo);
		KUNIT_EXPECT_LE(test, v->entitled_mcpu, v->demand_mcpu);
		if (v->limit_mcpu)
			KUNIT_EXPECT_LE(test, v->entitled_mcpu, v->limit_mcpu);
		if (v->bound == KVMSCHED_BOUND_RESERVATION)
			KUNIT_EXPECT_GT(test, lo, 0U);
		if (v->floored)
			KUNIT_EXPECT_EQ(test, v->entitled_mcpu, lo);
		/* a limit always holds, unless the floor decided */
		if (v->limit_mcpu && !v->floored)
			KUNIT_EXPECT_EQ(test, v->bound, (u8)KVMSCHED_BOUND_LIMIT);
		if (v->bound == KVMSCHED_BOUND_LIMIT)
			KUNIT_EXPECT_LE(test, v->share_mcpu, v->limit_mcpu);
	}
	KUNIT_EXPECT_LE(test, floors, 64000ULL);
	KUNIT_EXPECT_LE(test, sum, 64000ULL);
}

static struct kunit_case kvmsched_bounds_cases[] = {
	KUNIT_CASE_PARAM(bounds_admit_table, admit_gen_params),
	KUNIT_CASE(bounds_reservable),
	KUNIT_CASE(bounds_check),
	KUNIT_CASE(bounds_split),
	KUNIT_CASE_PARAM(bounds_entitle_table, bent_gen_params),
	KUNIT_CASE(bounds_entitle_rejects_bad_bounds),
	KUNIT_CASE(bounds_entitle_1000_vms),
	{}
};

static struct kunit_suite kvmsched_bounds_suite = {
	.name = "kvmsched_bounds",
	.test_cases = kvmsched_bounds_cases,
};

kunit_test_suite(kvmsched_bounds_suite);

MODULE_LICENSE("GPL");
