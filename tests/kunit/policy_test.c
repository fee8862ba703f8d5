// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for kvmsched's policy core (kmod/policy.c): weighted max-min
 * entitlements, the weight/nice mapping and its error diffusion.
 *
 * Expected entitlements are worked out by hand (water filling) in each
 * case's comment; property tests check invariants over many VMs.
 */
#include <kunit/test.h>
#include <linux/slab.h>

#include "policy.h"

#define S KVMSCHED_CLASS_SHARES
#define B KVMSCHED_CLASS_BACKGROUND
#define R KVMSCHED_CLASS_REALTIME
#define L KVMSCHED_CLASS_LATENCY

struct entitle_case {
	const char *desc;
	u32 capacity;
	unsigned int n;
	struct kvms_policy_vm in[4];		/* class, weight, nr_active, demand */
	u32 entitled[4];
	u32 share[4];
};

static const struct entitle_case entitle_cases[] = {
	{ "4 vs 1 vCPUs at equal weight split 50/50", 2000, 2,
	  /* D/w: B 10 < A 40. B's slice 2000*100/200 = 1000 >= 1000: satisfied.
	   * A gets the rest, 1000. Level 1000/100 = 10 per weight unit. */
	  { { S, 100, 4, 4000 }, { S, 100, 1, 1000 } },
	  { 1000, 1000 }, { 1000, 1000 } },
	{ "2+2 vCPUs at 3:1 split 75/25", 2000, 2,
	  /* nobody satisfied: 2000*300/400 = 1500, then 500 */
	  { { S, 300, 2, 2000 }, { S, 100, 2, 2000 } },
	  { 1500, 500 }, { 1500, 500 } },
	{ "1+1+4 vCPUs at 1:1:2", 2000, 3,
	  /* A's slice 2000*100/400 = 500 < 1000: nobody satisfied; 500/500/1000 */
	  { { S, 100, 1, 1000 }, { S, 100, 1, 1000 }, { S, 200, 4, 4000 } },
	  { 500, 500, 1000 }, { 500, 500, 1000 } },
	{ "half the vCPUs halted vs a busy VM", 2000, 2,
	  /* the 4-vCPU VM has 2 active vCPUs (demand 2000): 1000 each */
	  { { S, 100, 2, 2000 }, { S, 100, 2, 2000 } },
	  { 1000, 1000 }, { 1000, 1000 } },
	{ "extreme weights 1:10000", 2000, 2,
	  /* in array order: floor(2000*1/10001) = 0, then the 2000 left */
	  { { S, 1, 2, 2000 }, { S, 10000, 2, 2000 } },
	  { 0, 2000 }, { 0, 2000 } },
	{ "extreme weights 10000:1", 2000, 2,
	  /* floor(2000*10000/10001) = 1999, then 1 */
	  { { S, 10000, 2, 2000 }, { S, 1, 2, 2000 } },
	  { 1999, 1 }, { 1999, 1 } },
	{ "satisfied VMs found over several passes", 3000, 4,
	  /* level 3000/400 = 7.5/w: D (100) settles in pass 1; then 2900/300:
	   * C (900 <= 966) settles; then 2000/200: B (1000 <= 1000) settles;
	   * A gets the 1000 left. Shares: level 1000/100 = 10 -> 1000 each,
	   * capped by vCPUs: C 1000, D 1000 */
	  { { S, 100, 4, 4000 }, { S, 100, 1, 1000 }, { S, 100, 1, 900 },
	    { S, 100, 1, 100 } },
	  { 1000, 1000, 900, 100 }, { 1000, 1000, 1000, 1000 } },
	{ "uncontended: each VM gets its demand", 2000, 2,
	  /* 800 <= 2000; shares are a CPU per active vCPU */
	  { { S, 100, 1, 300 }, { S, 100, 1, 500 } },
	  { 300, 500 }, { 1000, 1000 } },
	{ "an idle VM leaves everything to the other", 2000, 2,
	  { { S, 100, 0, 0 }, { S, 100, 4, 4000 } },
	  { 0, 2000 }, { 0, 2000 } },
	{ "a light VM is satisfied, the rest split by weight", 2000, 3,
	  /* A: 200 <= 2000/3 satisfied; 1800 left split 900/900; A's share is
	   * the level 1800/200 * 100 = 900, under its one vCPU */
	  { { S, 100, 1, 200 }, { S, 100, 2, 2000 }, { S, 100, 2, 2000 } },
	  { 200, 900, 900 }, { 900, 900, 900 } },
	{ "background gets what shares VMs leave", 2000, 2,
	  { { S, 100, 1, 1000 }, { B, 100, 2, 2000 } },
	  { 1000, 1000 }, { 1000, 1000 } },
	{ "background gets nothing when shares VMs saturate", 2000, 2,
	  /* whatever its weight */
	  { { S, 100, 2, 2000 }, { B, 10000, 2, 2000 } },
	  { 2000, 0 }, { 2000, 0 } },
	{ "two background VMs split the leftover by weight", 2000, 3,
	  /* 500 left after A; 500*300/400 = 375, then 125 */
	  { { S, 100, 2, 1500 }, { B, 300, 2, 2000 }, { B, 100, 2, 2000 } },
	  { 1500, 375, 125 }, { 2000, 375, 125 } },
	{ "a latency VM is filled with the shares VMs, by weight", 2000, 2,
	  /* as "2+2 vCPUs at 3:1": 1500, then 500 */
	  { { L, 300, 2, 2000 }, { S, 100, 2, 2000 } },
	  { 1500, 500 }, { 1500, 500 } },
	{ "a light latency VM is satisfied, its share the level", 2000, 3,
	  /* as "a light VM is satisfied": 200, then 900/900; share 900 */
	  { { L, 100, 1, 200 }, { S, 100, 2, 2000 }, { S, 100, 2, 2000 } },
	  { 200, 900, 900 }, { 900, 900, 900 } },
	{ "background gets nothing when latency VMs saturate", 2000, 2,
	  { { L, 100, 2, 2000 }, { B, 10000, 2, 2000 } },
	  { 2000, 0 }, { 2000, 0 } },
};

static void entitle_desc(const struct entitle_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(entitle, entitle_cases, entitle_desc);

static void policy_entitle_table(struct kunit *test)
{
	const struct entitle_case *c = test->param_value;
	struct kvms_policy_vm vms[4], *ptrs[4];
	unsigned int i;

	/* Arrange: the array is reordered by the policy; keep our own order */
	for (i = 0; i < c->n; i++) {
		vms[i] = c->in[i];
		ptrs[i] = &vms[i];
	}

	/* Act */
	KUNIT_ASSERT_EQ(test, kvms_policy_entitle(ptrs, c->n, c->capacity), 0);

	/* Assert */
	for (i = 0; i < c->n; i++) {
		KUNIT_EXPECT_EQ_MSG(test, vms[i].entitled_mcpu, c->entitled[i],
				    "VM %u entitlement", i);
		KUNIT_EXPECT_EQ_MSG(test, vms[i].share_mcpu, c->share[i],
				    "VM %u share", i);
	}
}

static void policy_entitle_rejects_bad_input(struct kunit *test)
{
	struct kvms_policy_vm a = { S, 100, 1, 1000 }, b = { S, 0, 1, 1000 };
	struct kvms_policy_vm c = { 7, 100, 1, 1000 };
	struct kvms_policy_vm *ptrs[2] = { &a, &b };

	KUNIT_EXPECT_EQ(test, kvms_policy_entitle(ptrs, 2, 2000), -EINVAL);
	b.weight = KVMSCHED_WEIGHT_MAX + 1;
	KUNIT_EXPECT_EQ(test, kvms_policy_entitle(ptrs, 2, 2000), -EINVAL);
	ptrs[1] = &c;
	KUNIT_EXPECT_EQ(test, kvms_policy_entitle(ptrs, 2, 2000), -EINVAL);
}

/* 1000 VMs x 4 vCPUs: the max-min invariants hold for every VM. */
static void policy_entitle_1000_vms(struct kunit *test)
{
	const unsigned int n = 1000;
	struct kvms_policy_vm *vms, **ptrs;
	u64 sum = 0, level_lo = U64_MAX, level_hi = 0;
	unsigned int i;

	vms = kunit_kcalloc(test, n, sizeof(*vms), GFP_KERNEL);
	ptrs = kunit_kcalloc(test, n, sizeof(*ptrs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, vms);
	KUNIT_ASSERT_NOT_NULL(test, ptrs);
	for (i = 0; i < n; i++) {
		vms[i].class = i % 10 ? S : B;
		vms[i].weight = 1 + (i * 7919) % KVMSCHED_WEIGHT_MAX;
		vms[i].nr_active = i % 5;		/* 0-4 active vCPUs */
		vms[i].demand_mcpu = vms[i].nr_active * (i % 3 ? 1000 : 150);
		ptrs[i] = &vms[i];
	}

	KUNIT_ASSERT_EQ(test, kvms_policy_entitle(ptrs, n, 64000), 0);

	for (i = 0; i < n; i++) {
		const struct kvms_policy_vm *v = &vms[i];

		/* never more than wanted; share covers the entitlement */
		KUNIT_EXPECT_LE(test, v->entitled_mcpu, v->demand_mcpu);
		KUNIT_EXPECT_GE(test, v->share_mcpu, v->entitled_mcpu);
		sum += v->entitled_mcpu;
		if (v->class == S && v->entitled_mcpu < v->demand_mcpu) {
			/* every constrained shares VM sits on one water level */
			u64 lvl = div_u64((u64)v->entitled_mcpu * 1000000, v->weight);

			level_lo = min(level_lo, lvl);
			level_hi = max(level_hi, lvl);
		}
		if (v->class == B)	/* shares VMs saturate 64 CPUs here */
			KUNIT_EXPECT_EQ(test, v->entitled_mcpu, 0U);
	}
	/* contended: the whole capacity is handed out, rounding aside */
	KUNIT_EXPECT_LE(test, sum, 64000ULL);
	KUNIT_EXPECT_GE(test, sum, 64000ULL - n);
	KUNIT_ASSERT_NE(test, level_hi, 0ULL);
	/* one water level, within the rounding of one millicpu per VM */
	KUNIT_EXPECT_LE(test, level_hi - level_lo, 1000000ULL);
}

static void policy_nice_weights(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, kvms_nice_weight(0), 1024U);
	KUNIT_EXPECT_EQ(test, kvms_nice_weight(-20), 88761U);
	KUNIT_EXPECT_EQ(test, kvms_nice_weight(19), 15U);
	KUNIT_EXPECT_EQ(test, kvms_nice_weight(5), 335U);
	KUNIT_EXPECT_EQ(test, kvms_nice_weight(-21), 88761U);	/* clamped */
	KUNIT_EXPECT_EQ(test, kvms_nice_weight(KVMS_NICE_IDLE), 3U);
	KUNIT_EXPECT_EQ(test, kvms_nice_weight(40), 3U);	/* clamped to idle */
}

static void policy_target_weight(struct kunit *test)
{
	struct kvms_policy_vm v = {
		.class = S, .weight = 100, .nr_active = 4, .demand_mcpu = 4000,
		.entitled_mcpu = 1000, .share_mcpu = 1000,
	};

	/* 1000 mcpu over 4 vCPUs = 250 mcpu each = 256 weight each */
	KUNIT_EXPECT_EQ(test, kvms_policy_target_weight(&v), 1024ULL);
	v.share_mcpu = 4000;
	KUNIT_EXPECT_EQ(test, kvms_policy_target_weight(&v), 4096ULL);
	v.share_mcpu = 9000;	/* capped at one CPU per active vCPU */
	KUNIT_EXPECT_EQ(test, kvms_policy_target_weight(&v), 4096ULL);
	v.nr_active = 0;
	KUNIT_EXPECT_EQ(test, kvms_policy_target_weight(&v), 0ULL);
}

/*
 * Light vCPUs (an idle guest CPU waking for its ticks) take what they want
 * out of the share; the busy ones split the rest, as a VM of busy vCPUs
 * only would. All light: equals again.
 */
static void policy_target_weight_light(struct kunit *test)
{
	struct kvms_policy_vm v = {
		.class = S, .weight = 100, .nr_active = 4, .demand_mcpu = 2080,
		.entitled_mcpu = 1000, .share_mcpu = 1000,
		.nr_light = 2, .light_mcpu = 80,
	};

	KUNIT_EXPECT_EQ(test, kvms_policy_nr_weighted(&v), 2U);
	/* (1000 - 80) mcpu over the 2 busy vCPUs: 942 weight */
	KUNIT_EXPECT_EQ(test, kvms_policy_target_weight(&v), 942ULL);
	v.nr_light = 0;		/* the old split: 1000 over 4 */
	KUNIT_EXPECT_EQ(test, kvms_policy_nr_weighted(&v), 4U);
	KUNIT_EXPECT_EQ(test, kvms_policy_target_weight(&v), 1024ULL);
	v.nr_light = 4;		/* all light: 4 equals */
	v.light_mcpu = 320;
	KUNIT_EXPECT_EQ(test, kvms_policy_nr_weighted(&v), 4U);
	KUNIT_EXPECT_EQ(test, kvms_policy_target_weight(&v), 1024ULL);
	v.nr_light = 3;		/* one busy vCPU: at most one CPU */
	v.light_mcpu = 60;
	v.share_mcpu = 2000;
	KUNIT_EXPECT_EQ(test, kvms_policy_nr_weighted(&v), 1U);
	KUNIT_EXPECT_EQ(test, kvms_policy_target_weight(&v), 1024ULL);
	v.light_mcpu = 3000;	/* they want it all: the busy one gets none */
	KUNIT_EXPECT_EQ(test, kvms_policy_target_weight(&v), 0ULL);
}

/*
 * The nice mix: within one period the summed weight is within one level
 * step per vCPU of the wanted one, and over 200 periods the average is
 * within 0.5 % of the target (error diffusion), whenever the target is in
 * the reachable range.
 */
struct mix_case {
	const char *desc;
	u64 target;
	u32 k;
	bool reachable;
};

static const struct mix_case mix_cases[] = {
	{ "one vCPU at exactly nice 0", 1024, 1, true },
	{ "one vCPU between nice 0 and 1", 900, 1, true },
	{ "one vCPU at a quarter CPU", 256, 1, true },
	{ "four vCPUs at a quarter CPU each", 1024, 4, true },
	{ "three vCPUs between levels", 3 * 700, 3, true },
	{ "two vCPUs at 1/2000 CPU: below SCHED_IDLE", 2, 2, false },
	{ "one vCPU between SCHED_IDLE and nice 19", 10, 1, true },
	{ "one vCPU at a tenth of a CPU", 102, 1, true },
	{ "sixteen vCPUs at full weight", 16 * 1024, 16, true },
};

static void mix_desc(const struct mix_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mix, mix_cases, mix_desc);

static void policy_mix_diffuses_error(struct kunit *test)
{
	const struct mix_case *c = test->param_value;
	s64 carry = 0, total = 0;
	struct kvms_mix m;
	int p;

	for (p = 0; p < 200; p++) {
		s64 hi, lo, applied;

		kvms_policy_mix(c->target, c->k, &carry, &m);
		KUNIT_ASSERT_LE(test, m.nr_hi, c->k);
		KUNIT_ASSERT_GE(test, m.nice_hi, -20);
		KUNIT_ASSERT_LE(test, m.nice_hi, 19);
		hi = kvms_nice_weight(m.nice_hi);
		lo = kvms_nice_weight(m.nice_hi + 1);
		applied = m.nr_hi * hi + (c->k - m.nr_hi) * lo;
		/* carry stays bounded: no wind-up */
		KUNIT_ASSERT_LE(test, abs(carry), (s64)c->k * (hi - lo));
		total += applied;
	}
	if (c->reachable) {
		s64 err = total - 200 * (s64)c->target;

		KUNIT_EXPECT_LE_MSG(test, abs(err) * 1000, 5 * 200 * (s64)c->target,
				    "average %lld/200 vs target %llu", total, c->target);
	} else {
		/* as low as the kernel goes: every vCPU SCHED_IDLE */
		KUNIT_EXPECT_EQ(test, total, 200LL * c->k * kvms_nice_weight(KVMS_NICE_IDLE));
	}
}

static void policy_mix_exact_level_is_steady(struct kunit *test)
{
	struct kvms_mix m;
	s64 carry = 0;
	int p;

	/* 3 x nice 5: every period the same, nothing carried */
	for (p = 0; p < 10; p++) {
		kvms_policy_mix(3 * 335, 3, &carry, &m);
		KUNIT_EXPECT_EQ(test, carry, 0LL);
		KUNIT_EXPECT_EQ(test, m.nr_hi == 3 ? m.nice_hi : m.nice_hi + 1, 5);
	}
}

/*
 * Realtime VMs take their demand first, higher priority first and equal
 * priorities in list order, up to the realtime budget; the shares VMs
 * divide what is left of the capacity.
 */
static void policy_entitle_realtime(struct kunit *test)
{
	struct kvms_policy_vm v[5] = {
		{ .class = R, .weight = 100, .rt_priority = 10, .nr_active = 2, .demand_mcpu = 2000 },
		{ .class = R, .weight = 100, .rt_priority = 30, .nr_active = 2, .demand_mcpu = 1500 },
		{ .class = S, .weight = 100, .nr_active = 2, .demand_mcpu = 2000 },
		{ .class = R, .weight = 100, .rt_priority = 30, .nr_active = 1, .demand_mcpu = 1000 },
		{ .class = R, .weight = 100, .rt_priority = 20, .nr_active = 1, .demand_mcpu = 100 },
	};
	struct kvms_policy_vm *vms[5] = { &v[0], &v[1], &v[2], &v[3], &v[4] };
	u32 given;

	/* budget 1800 of 2000: prio 30 first (1500, then 300 of 1000), then none */
	given = kvms_policy_entitle_rt(vms, 5, 1800);
	KUNIT_EXPECT_EQ(test, given, 1800U);
	KUNIT_EXPECT_EQ(test, v[1].entitled_mcpu, 1500U);
	KUNIT_EXPECT_EQ(test, v[3].entitled_mcpu, 300U);
	KUNIT_EXPECT_EQ(test, v[4].entitled_mcpu, 0U);
	KUNIT_EXPECT_EQ(test, v[0].entitled_mcpu, 0U);
	KUNIT_EXPECT_EQ(test, v[1].bound, (u8)KVMSCHED_BOUND_NONE);
	KUNIT_ASSERT_EQ(test, kvms_policy_entitle(vms, 5, 2000 - given), 0);
	KUNIT_EXPECT_EQ(test, v[2].entitled_mcpu, 200U);	/* the shares VM */
	KUNIT_EXPECT_EQ(test, v[1].entitled_mcpu, 1500U);	/* not refilled */

	/* light realtime demand: each gets it, the rest is the shares VM's */
	v[1].demand_mcpu = 100;
	v[3].demand_mcpu = 100;
	v[0].demand_mcpu = 50;
	given = kvms_policy_entitle_rt(vms, 5, 1800);
	KUNIT_EXPECT_EQ(test, given, 350U);
	KUNIT_EXPECT_EQ(test, v[4].entitled_mcpu, 100U);
	KUNIT_EXPECT_EQ(test, v[0].entitled_mcpu, 50U);
	KUNIT_ASSERT_EQ(test, kvms_policy_entitle(vms, 5, 2000 - given), 0);
	KUNIT_EXPECT_EQ(test, v[2].entitled_mcpu, 1650U);

	/* no realtime VM: nothing taken */
	KUNIT_EXPECT_EQ(test, kvms_policy_entitle_rt(&vms[2], 1, 1800), 0U);
}

/*
 * A latency VM that wants CPU is bound LATENCY (its share enforced with
 * SCHED_DEADLINE), with the entitlement and share of a shares VM of its
 * weight; its own reservation or limit decides first.
 */
static void policy_entitle_latency_bound(struct kunit *test)
{
	struct kvms_policy_vm v[3] = {
		{ .class = L, .weight = 100, .nr_active = 1, .demand_mcpu = 300 },
		{ .class = S, .weight = 100, .nr_active = 2, .demand_mcpu = 2000 },
		{ .class = S, .weight = 100, .nr_active = 2, .demand_mcpu = 2000 },
	};
	struct kvms_policy_vm *vms[3] = { &v[0], &v[1], &v[2] };

	KUNIT_ASSERT_EQ(test, kvms_policy_entitle(vms, 3, 2000), 0);
	KUNIT_EXPECT_EQ(test, v[0].bound, (u8)KVMSCHED_BOUND_LATENCY);
	KUNIT_EXPECT_EQ(test, v[0].entitled_mcpu, 300U);
	/* share: the level 1700/200 x 100 = 850, under its one vCPU */
	KUNIT_EXPECT_EQ(test, v[0].share_mcpu, 850U);
	KUNIT_EXPECT_EQ(test, v[1].bound, (u8)KVMSCHED_BOUND_NONE);
	KUNIT_EXPECT_EQ(test, v[1].entitled_mcpu, 850U);

	/* as a shares VM it would get the same, unbound */
	v[0].class = S;
	KUNIT_ASSERT_EQ(test, kvms_policy_entitle(vms, 3, 2000), 0);
	KUNIT_EXPECT_EQ(test, v[0].bound, (u8)KVMSCHED_BOUND_NONE);
	KUNIT_EXPECT_EQ(test, v[0].entitled_mcpu, 300U);
	KUNIT_EXPECT_EQ(test, v[0].share_mcpu, 850U);
	v[0].class = L;

	/* idle: no bound (it holds no deadline bandwidth) */
	v[0].nr_active = 0;
	v[0].demand_mcpu = 0;
	KUNIT_ASSERT_EQ(test, kvms_policy_entitle(vms, 3, 2000), 0);
	KUNIT_EXPECT_EQ(test, v[0].bound, (u8)KVMSCHED_BOUND_NONE);

	/* its limit and its reservation decide first */
	v[0].nr_active = 1;
	v[0].demand_mcpu = 300;
	v[0].limit_mcpu = 500;
	KUNIT_ASSERT_EQ(test, kvms_policy_entitle(vms, 3, 2000), 0);
	KUNIT_EXPECT_EQ(test, v[0].bound, (u8)KVMSCHED_BOUND_LIMIT);
	v[0].limit_mcpu = 0;
	v[0].reservation_mcpu = 200;
	KUNIT_ASSERT_EQ(test, kvms_policy_entitle(vms, 3, 2000), 0);
	KUNIT_EXPECT_EQ(test, v[0].bound, (u8)KVMSCHED_BOUND_RESERVATION);
}

/*
 * Shortest-burst boost: a shares VM whose active vCPUs all ran in bursts
 * under the threshold is bound BOOST, with the entitlement and share it
 * has anyway; not with the boost off, a longer burst, no CPU wanted, or
 * another class; a reservation or limit decides first.
 */
static void policy_entitle_burst_boost(struct kunit *test)
{
	struct kvms_policy_vm v[2] = {
		{ .class = S, .weight = 100, .nr_active = 1, .demand_mcpu = 300,
		  .burst_us = 400, .boost_below_us = 1000 },
		{ .class = S, .weight = 100, .nr_active = 2, .demand_mcpu = 2000,
		  .burst_us = 4000, .boost_below_us = 1000 },
	};
	struct kvms_policy_vm *vms[2] = { &v[0], &v[1] };

	KUNIT_ASSERT_EQ(test, kvms_policy_entitle(vms, 2, 2000), 0);
	KUNIT_EXPECT_EQ(test, v[0].bound, (u8)KVMSCHED_BOUND_BOOST);
	KUNIT_EXPECT_EQ(test, v[0].entitled_mcpu, 300U);
	KUNIT_EXPECT_EQ(test, v[0].share_mcpu, 1000U);
	/* the long bursts of the other VM: no boost, and its entitlement stays */
	KUNIT_EXPECT_EQ(test, v[1].bound, (u8)KVMSCHED_BOUND_NONE);
	KUNIT_EXPECT_EQ(test, v[1].entitled_mcpu, 1700U);

	/* at the threshold: no boost */
	v[0].burst_us = 1000;
	KUNIT_ASSERT_EQ(test, kvms_policy_entitle(vms, 2, 2000), 0);
	KUNIT_EXPECT_EQ(test, v[0].bound, (u8)KVMSCHED_BOUND_NONE);
	v[0].burst_us = 400;
	/* boost off */
	v[0].boost_below_us = 0;
	KUNIT_ASSERT_EQ(test, kvms_policy_entitle(vms, 2, 2000), 0);
	KUNIT_EXPECT_EQ(test, v[0].bound, (u8)KVMSCHED_BOUND_NONE);
	v[0].boost_below_us = 1000;
	/* wants no CPU */
	v[0].nr_active = 0;
	v[0].demand_mcpu = 0;
	KUNIT_ASSERT_EQ(test, kvms_policy_entitle(vms, 2, 2000), 0);
	KUNIT_EXPECT_EQ(test, v[0].bound, (u8)KVMSCHED_BOUND_NONE);
	v[0].nr_active = 1;
	v[0].demand_mcpu = 300;
	/* background and latency VMs are not boosted (latency has its own) */
	v[0].class = B;
	KUNIT_ASSERT_EQ(test, kvms_policy_entitle(vms, 2, 2000), 0);
	KUNIT_EXPECT_EQ(test, v[0].bound, (u8)KVMSCHED_BOUND_NONE);
	v[0].class = L;
	KUNIT_ASSERT_EQ(test, kvms_policy_entitle(vms, 2, 2000), 0);
	KUNIT_EXPECT_EQ(test, v[0].bound, (u8)KVMSCHED_BOUND_LATENCY);
	v[0].class = S;
	/* a limit decides first */
	v[0].limit_mcpu = 500;
	KUNIT_ASSERT_EQ(test, kvms_policy_entitle(vms, 2, 2000), 0);
	KUNIT_EXPECT_EQ(test, v[0].bound, (u8)KVMSCHED_BOUND_LIMIT);
}

/* The watchdog's budget and when it must look again. */
static void policy_rt_budget(struct kunit *test)
{
	/* 100 ms windows, 10 % headroom, 2 CPUs: 180 ms of CPU */
	KUNIT_EXPECT_EQ(test, kvms_policy_rt_budget_ns(100000000, 10, 2), 180000000ULL);
	KUNIT_EXPECT_EQ(test, kvms_policy_rt_budget_ns(100000000, 0, 1), 100000000ULL);
	KUNIT_EXPECT_EQ(test, kvms_policy_rt_budget_ns(1000000000, 50, 4), 2000000000ULL);
	KUNIT_EXPECT_EQ(test, kvms_policy_rt_budget_ns(100000000, 200, 2), 0ULL);
	/* 80 ms left over 2 CPUs: not before 40 ms */
	KUNIT_EXPECT_EQ(test, kvms_policy_rt_check_ns(180000000, 100000000, 2, 1000000),
			40000000ULL);
	/* almost spent: the shortest sleep */
	KUNIT_EXPECT_EQ(test, kvms_policy_rt_check_ns(180000000, 179999000, 2, 1000000),
			1000000ULL);
	/* spent, or overspent: throttle now */
	KUNIT_EXPECT_EQ(test, kvms_policy_rt_check_ns(180000000, 180000000, 2, 1000000), 0ULL);
	KUNIT_EXPECT_EQ(test, kvms_policy_rt_check_ns(180000000, 190000000, 2, 1000000), 0ULL);
	/* no CPU count: treated as one */
	KUNIT_EXPECT_EQ(test, kvms_policy_rt_check_ns(100, 0, 0, 1), 100ULL);
}

/* A contended shares VM, as kvms_policy_correct() sees it. */
static void corr_vm(struct kvms_policy_vm *v, u32 nr_active, u32 share,
		    u32 used)
{
	*v = (struct kvms_policy_vm){
		.class = S, .weight = 100, .nr_active = nr_active,
		.demand_mcpu = nr_active * 1000, .entitled_mcpu = share,
		.share_mcpu = share, .bound = KVMSCHED_BOUND_NONE,
		.used_mcpu = used, .wait_mcpu = 1000, .steady = true,
	};
}

/*
 * One period: the VM that received less than its share's part of what the
 * contended VMs received together moves up by KVMS_CORR_GAIN_PCT of its
 * shortfall, the other down, and the weight follows.
 */
static void policy_correct_pair(struct kunit *test)
{
	struct kvms_policy_vm a, b, *vms[] = { &a, &b };

	corr_vm(&a, 1, 1000, 900);
	corr_vm(&b, 4, 1000, 1100);
	KUNIT_EXPECT_EQ(test, kvms_policy_target_weight(&a), 1024ULL);
	kvms_policy_correct(vms, 2);
	/* 100 per mille short, x 25 % */
	KUNIT_EXPECT_EQ(test, a.corr_permille, 25);
	KUNIT_EXPECT_EQ(test, b.corr_permille, -25);
	/*
	 * 1024 x 0.975 = 998.4; 1024 x 1.025 would weigh more than a nice-0
	 * host task: a whole CPU's vCPU stays at nice 0 ...
	 */
	KUNIT_EXPECT_EQ(test, kvms_policy_target_weight(&a), 1024ULL);
	KUNIT_EXPECT_EQ(test, kvms_policy_target_weight(&b), 998ULL);
	/* ... and one entitled to less moves up: 512 x 1.025 = 524.8 */
	a.share_mcpu = 500;
	KUNIT_EXPECT_EQ(test, kvms_policy_target_weight(&a), 525ULL);
	a.share_mcpu = 1000;
	/* received as entitled: it stays */
	a.used_mcpu = 1000;
	b.used_mcpu = 1000;
	kvms_policy_correct(vms, 2);
	KUNIT_EXPECT_EQ(test, a.corr_permille, 25);
	KUNIT_EXPECT_EQ(test, b.corr_permille, -25);
	/*
	 * Host tasks took 10 % from both alike: no one is short of the
	 * others, and nothing moves.
	 */
	a.used_mcpu = 900;
	b.used_mcpu = 900;
	kvms_policy_correct(vms, 2);
	KUNIT_EXPECT_EQ(test, a.corr_permille, 25);
	KUNIT_EXPECT_EQ(test, b.corr_permille, -25);
}

/*
 * Only contended shares VMs that ran by weights and waited take part, two
 * at least. Other shares VMs running by weights keep their corrections;
 * the rest decay by a quarter a period, to zero.
 */
static void policy_correct_who(struct kunit *test)
{
	struct kvms_policy_vm a, b, *vms[] = { &a, &b };
	int i;

	corr_vm(&a, 1, 1000, 500);
	corr_vm(&b, 1, 1000, 1000);
	a.demand_mcpu = 600;		/* wanted less than its share */
	a.corr_permille = 400;
	b.corr_permille = 200;
	kvms_policy_correct(vms, 2);
	KUNIT_EXPECT_EQ(test, a.corr_permille, 400);	/* held */
	KUNIT_EXPECT_EQ(test, b.corr_permille, 200);	/* alone: held */

	corr_vm(&a, 1, 1000, 970);
	a.wait_mcpu = 0;		/* 3 % idle: no weight is missing */
	a.corr_permille = 100;
	kvms_policy_correct(vms, 2);
	KUNIT_EXPECT_EQ(test, a.corr_permille, 100);
	KUNIT_EXPECT_EQ(test, b.corr_permille, 200);
	a.wait_mcpu = 19;		/* under 2 % of its share */
	kvms_policy_correct(vms, 2);
	KUNIT_EXPECT_EQ(test, a.corr_permille, 100);
	/*
	 * Compared: of the 1970 they received, each should have had 985;
	 * a is 1.5 % short (+3), b 1.5 % over (-3), and both are centred
	 * on their mean, (103 + 197) / 2.
	 */
	a.wait_mcpu = 20;
	kvms_policy_correct(vms, 2);
	KUNIT_EXPECT_EQ(test, a.corr_permille, 103 - 150);
	KUNIT_EXPECT_EQ(test, b.corr_permille, 197 - 150);
	b.corr_permille = 200;

	corr_vm(&a, 1, 1000, 500);
	a.corr_permille = 200;
	a.bound = KVMSCHED_BOUND_RESERVATION;
	kvms_policy_correct(vms, 2);
	KUNIT_EXPECT_EQ(test, a.corr_permille, 150);

	corr_vm(&a, 1, 1000, 500);
	a.class = L;
	a.corr_permille = 8;
	kvms_policy_correct(vms, 2);
	KUNIT_EXPECT_EQ(test, a.corr_permille, 6);

	corr_vm(&a, 1, 1000, 500);
	a.steady = false;		/* a vm-set changed its plan midway */
	a.corr_permille = -8;
	b.corr_permille = 0;
	kvms_policy_correct(vms, 2);
	KUNIT_EXPECT_EQ(test, a.corr_permille, -8);
	KUNIT_EXPECT_EQ(test, b.corr_permille, 0);

	corr_vm(&a, 1, 19, 0);		/* a share too small to measure */
	corr_vm(&b, 2, 2000, 1970);
	b.corr_permille = 40;
	kvms_policy_correct(vms, 2);
	KUNIT_EXPECT_EQ(test, a.corr_permille, 0);
	KUNIT_EXPECT_EQ(test, b.corr_permille, 40);

	a.nr_active = 0;		/* idle: decays to zero */
	a.corr_permille = -250;
	for (i = 0; i < 30; i++)
		kvms_policy_correct(vms, 2);
	KUNIT_EXPECT_EQ(test, a.corr_permille, 0);
}

/*
 * Closed loop: each VM receives CPU in proportion to its weight times a
 * placement factor (per mille) the controller does not know. It converges
 * to the shares within a few periods; the corrections stay within
 * +-KVMS_CORR_MAX_PERMILLE and their share-weighted sum stays ~0.
 */
static void corr_run(struct kunit *test, const u32 *bias, const u32 *share,
		     const u32 *nr, unsigned int n, unsigned int periods,
		     bool bounded, u32 *used)
{
	struct kvms_policy_vm v[3], *vms[3];
	unsigned int i, t;

	for (i = 0; i < n; i++) {
		corr_vm(&v[i], nr[i], share[i], 0);
		vms[i] = &v[i];
	}
	for (t = 0; t < periods; t++) {
		u64 tot = 0, w[3];
		s64 sum = 0;

		for (i = 0; i < n; i++) {
			w[i] = kvms_policy_target_weight(&v[i]) * bias[i];
			tot += w[i];
		}
		for (i = 0; i < n; i++)
			v[i].used_mcpu = div64_u64(w[i] * 2000, tot);
		kvms_policy_correct(vms, n);
		for (i = 0; i < n; i++) {
			KUNIT_EXPECT_LE(test, abs(v[i].corr_permille),
					KVMS_CORR_MAX_PERMILLE);
			sum += (s64)v[i].corr_permille * share[i];
		}
		if (!bounded)	/* at a bound, see below */
			KUNIT_EXPECT_LE(test, abs(div_s64(sum, 2000)), 1);
	}
	for (i = 0; i < n; i++)
		used[i] = v[i].used_mcpu;
}

static void policy_correct_converges(struct kunit *test)
{
	static const u32 share2[] = { 1000, 1000 }, nr2[] = { 1, 4 };
	static const u32 share3[] = { 500, 500, 1000 }, nr3[] = { 1, 1, 4 };
	static const u32 bias_a[] = { 950, 1000 }, bias_b[] = { 800, 1000 };
	static const u32 bias_c[] = { 900, 1000, 1100 };
	static const u32 bias_d[] = { 200, 1000 }, share_e[] = { 500, 1000 };
	u32 used[3];

	/* 95.4 % of its share, as the lone vCPU got on 6.12 */
	corr_run(test, bias_a, share2, nr2, 2, 40, false, used);
	KUNIT_EXPECT_LE(test, abs((int)used[0] - 1000), 5);
	corr_run(test, bias_b, share2, nr2, 2, 40, false, used);
	KUNIT_EXPECT_LE(test, abs((int)used[0] - 1000), 5);
	corr_run(test, bias_c, share3, nr3, 3, 40, false, used);
	KUNIT_EXPECT_LE(test, abs((int)used[0] - 500), 5);
	KUNIT_EXPECT_LE(test, abs((int)used[1] - 500), 5);
	KUNIT_EXPECT_LE(test, abs((int)used[2] - 1000), 5);
	/*
	 * Beyond what the bounds can make up: it gets as far as they allow
	 * (its one vCPU stays at nice 0, the other VM goes to 3/4:
	 * 200 x 1024 against 1000 x 768) and stays.
	 */
	corr_run(test, bias_d, share2, nr2, 2, 40, true, used);
	KUNIT_EXPECT_EQ(test, used[0], 421U);
	/*
	 * Under the ceiling it goes up to +25 % and the other down: at least
	 * 512 x 1.25 x 200 against 1024 x 0.875 x 1000 (1/8 of 2000; 182
	 * uncorrected), short of its 667. At a bound the mean is not kept
	 * exactly (the bound cuts what the mean gave back).
	 */
	corr_run(test, bias_d, share_e, nr2, 2, 40, true, used);
	KUNIT_EXPECT_GE(test, used[0], 250U);
	KUNIT_EXPECT_LT(test, used[0], 667U);
}

static struct kunit_case kvmsched_policy_cases[] = {
	KUNIT_CASE_PARAM(policy_entitle_table, entitle_gen_params),
	KUNIT_CASE(policy_entitle_rejects_bad_input),
	KUNIT_CASE(policy_entitle_1000_vms),
	KUNIT_CASE(policy_entitle_realtime),
	KUNIT_CASE(policy_entitle_latency_bound),
	KUNIT_CASE(policy_entitle_burst_boost),
	KUNIT_CASE(policy_rt_budget),
	KUNIT_CASE(policy_nice_weights),
	KUNIT_CASE(policy_target_weight),
	KUNIT_CASE(policy_target_weight_light),
	KUNIT_CASE(policy_correct_pair),
	KUNIT_CASE(policy_correct_who),
	KUNIT_CASE(policy_correct_converges),
	KUNIT_CASE_PARAM(policy_mix_diffuses_error, mix_gen_params),
	KUNIT_CASE(policy_mix_exact_level_is_steady),
	{}
};

static struct kunit_suite kvmsched_policy_suite = {
	.name = "kvmsched_policy",
	.test_cases = kvmsched_policy_cases,
};

kunit_test_suite(kvmsched_policy_suite);
