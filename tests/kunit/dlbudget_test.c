// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for kvmsched's deadline budget core (kmod/dlbudget.c): how
 * much SCHED_DEADLINE runtime bound VMs get each period, the feedback that
 * corrects for what the kernel delivers, reservation misses, the order in
 * which VMs are applied, and when a vCPU thread may (not) run in
 * SCHED_DEADLINE. Expected values are worked out by hand in the comments.
 */
#include <kunit/test.h>
#include <linux/slab.h>

#include "dlbudget.h"
#include "names.h"

struct dvm {
	struct kvms_policy_vm policy;
	struct kvms_dlb b;
};

/* A VM whose entitlement the policy core already decided. */
static void dvm_init(struct dvm *v, u8 bound, u32 res, u32 lim, u32 ent,
		     u32 share, u32 nr_active, u32 nr_threads)
{
	memset(v, 0, sizeof(*v));
	v->policy.weight = KVMSCHED_WEIGHT_DEFAULT;
	v->policy.bound = bound;
	v->policy.reservation_mcpu = res;
	v->policy.limit_mcpu = lim;
	v->policy.entitled_mcpu = ent;
	v->policy.share_mcpu = share;
	v->policy.nr_active = nr_active;
	v->policy.demand_mcpu = nr_active * 1000;
	v->b.policy = &v->policy;
	v->b.nr_threads = nr_threads;
}

static void plan1(struct dvm *v, u32 reservable, u32 dl_cap)
{
	struct kvms_dlb *b = &v->b;

	kvms_dlb_plan(&b, 1, reservable, dl_cap);
}

/* One period: the mechanism applied b->runtime and the VM used @used. */
static void period1(struct dvm *v, u32 used, u32 reservable, u32 dl_cap)
{
	bool saturated = used * 100 >= v->b.runtime * KVMS_DL_SATURATED_PCT;

	v->b.last_runtime = v->b.runtime;
	kvms_dlb_account(&v->b, v->policy.bound, saturated, used, 0);
	plan1(v, reservable, dl_cap);
}

/* -- plan ------------------------------------------------------------------- */

static void dlb_limit_margin(struct kunit *test)
{
	struct dvm v;

	/* limit 500 alone on 2 CPUs: its share is the limit, 1 % under it */
	dvm_init(&v, KVMSCHED_BOUND_LIMIT, 0, 500, 500, 500, 1, 1);
	plan1(&v, 1800, 1900);
	KUNIT_EXPECT_EQ(test, v.b.runtime, 495U);
	KUNIT_EXPECT_TRUE(test, v.b.grows);
}

static void dlb_floors_fill_reservable(struct kunit *test)
{
	struct dvm a, b;
	struct kvms_dlb *v[] = { &a.b, &b.b };

	/* 900 + 900 fill reservable 1800: no room for margins */
	dvm_init(&a, KVMSCHED_BOUND_RESERVATION, 900, 0, 900, 900, 1, 1);
	dvm_init(&b, KVMSCHED_BOUND_RESERVATION, 900, 0, 900, 900, 1, 1);
	kvms_dlb_plan(v, 2, 1800, 1900);
	KUNIT_EXPECT_EQ(test, a.b.runtime, 900U);
	KUNIT_EXPECT_EQ(test, b.b.runtime, 900U);
	/* a CPU went offline: reservable 900, the floors shrink alike */
	kvms_dlb_plan(v, 2, 900, 950);
	KUNIT_EXPECT_EQ(test, a.b.runtime, 450U);
	KUNIT_EXPECT_EQ(test, b.b.runtime, 450U);
}

static void dlb_floor_margin(struct kunit *test)
{
	struct dvm v;

	/* one floor of 800 with room: 1 % margin on top */
	dvm_init(&v, KVMSCHED_BOUND_RESERVATION, 800, 0, 800, 800, 1, 1);
	plan1(&v, 1800, 1900);
	KUNIT_EXPECT_EQ(test, v.b.runtime, 808U);
	/* ... but never over its limit */
	dvm_init(&v, KVMSCHED_BOUND_RESERVATION, 800, 802, 800, 800, 1, 1);
	plan1(&v, 1800, 1900);
	KUNIT_EXPECT_EQ(test, v.b.runtime, 802U);
}

static void dlb_extra_scaled_to_room(struct kunit *test)
{
	struct dvm a, b;
	struct kvms_dlb *v[] = { &a.b, &b.b };

	/*
	 * floor 1000 of an entitlement of 1500, and a limit VM wanting 1000:
	 * the floors leave 800 of 1800, wanted above them 500 + 1000: scaled
	 * to 800 x 500/1500 = 266 and 800 x 1000/1500 = 533 (less 1 %: 528)
	 */
	dvm_init(&a, KVMSCHED_BOUND_RESERVATION, 1000, 0, 1500, 1500, 2, 2);
	dvm_init(&b, KVMSCHED_BOUND_LIMIT, 0, 1000, 1000, 1000, 1, 1);
	kvms_dlb_plan(v, 2, 1800, 1900);
	/* a's 1 % margin (12) gets what is left of reservable: 6 */
	KUNIT_EXPECT_EQ(test, a.b.runtime, 1272U);
	KUNIT_EXPECT_EQ(test, b.b.runtime, 528U);
	KUNIT_EXPECT_EQ(test, a.b.runtime + b.b.runtime, 1800U);
}

static void dlb_unbound_and_idle(struct kunit *test)
{
	struct dvm v;

	dvm_init(&v, KVMSCHED_BOUND_NONE, 0, 0, 700, 700, 1, 1);
	plan1(&v, 1800, 1900);
	KUNIT_EXPECT_EQ(test, v.b.runtime, 0U);
	/* a reserved VM that wants nothing holds no floor */
	dvm_init(&v, KVMSCHED_BOUND_RESERVATION, 500, 0, 0, 0, 0, 2);
	plan1(&v, 1800, 1900);
	KUNIT_EXPECT_EQ(test, v.b.runtime, 0U);
	/* a limited idle VM keeps 50 mcpu per halted thread, under its limit */
	dvm_init(&v, KVMSCHED_BOUND_LIMIT, 0, 1000, 0, 0, 0, 4);
	KUNIT_EXPECT_EQ(test, kvms_dlb_want(&v.b), 200U);
	dvm_init(&v, KVMSCHED_BOUND_LIMIT, 0, 100, 0, 0, 0, 4);
	KUNIT_EXPECT_EQ(test, kvms_dlb_want(&v.b), 100U);
}

/*
 * A latency-bound VM (latency class, no bound of its own) runs its share: it
 * may burst up to what its weight gives it, no further, no margin on top;
 * above a floor it comes out of what the floors leave of reservable.
 */
static void dlb_latency_share(struct kunit *test)
{
	struct dvm a, b;
	struct kvms_dlb *v[] = { &a.b, &b.b };

	/* entitled 300 (its demand), share 850: runtime 850 */
	dvm_init(&a, KVMSCHED_BOUND_LATENCY, 0, 0, 300, 850, 1, 1);
	KUNIT_EXPECT_EQ(test, kvms_dlb_want(&a.b), 850U);
	plan1(&a, 1800, 1900);
	KUNIT_EXPECT_EQ(test, a.b.runtime, 850U);
	/* boosted: the same */
	dvm_init(&a, KVMSCHED_BOUND_BOOST, 0, 0, 300, 850, 1, 1);
	KUNIT_EXPECT_EQ(test, kvms_dlb_want(&a.b), 850U);
	/* share a whole CPU (every VM satisfied): its one vCPU holds 950 */
	dvm_init(&a, KVMSCHED_BOUND_LATENCY, 0, 0, 1000, 1000, 1, 1);
	KUNIT_EXPECT_EQ(test, kvms_dlb_want(&a.b), 950U);
	/* idle: no runtime */
	dvm_init(&a, KVMSCHED_BOUND_LATENCY, 0, 0, 0, 0, 0, 1);
	plan1(&a, 1800, 1900);
	KUNIT_EXPECT_EQ(test, a.b.runtime, 0U);
	/* a floor of 1200 leaves 600 of 1800: the share is scaled to it */
	dvm_init(&a, KVMSCHED_BOUND_LATENCY, 0, 0, 300, 850, 1, 1);
	dvm_init(&b, KVMSCHED_BOUND_RESERVATION, 1200, 0, 1200, 1200, 2, 2);
	kvms_dlb_plan(v, 2, 1800, 1900);
	KUNIT_EXPECT_EQ(test, a.b.runtime, 600U);
	KUNIT_EXPECT_EQ(test, b.b.runtime, 1200U);
}

/*
 * Item 3 of "safe on a real host": a guest at 95 % of limit_mcpu=500 used
 * to grow the feedback term until its runtime reached ~618, which it then
 * took when its demand rose. The limit must hold in every period, also the
 * ones after a demand step.
 */
static void dlb_limit_holds_after_demand_step(struct kunit *test)
{
	struct dvm v;
	int i;

	dvm_init(&v, KVMSCHED_BOUND_LIMIT, 0, 500, 500, 500, 1, 1);
	plan1(&v, 1800, 1900);
	for (i = 0; i < 50; i++) {	/* 95 % of the limit: 475 */
		period1(&v, 475, 1800, 1900);
		KUNIT_EXPECT_LE(test, v.b.runtime, 500U);
	}
	for (i = 0; i < 20; i++) {	/* demand step: it uses all it gets */
		period1(&v, v.b.runtime, 1800, 1900);
		KUNIT_EXPECT_LE(test, v.b.runtime, 500U);
	}
	/* tick-granular under-delivery is still made up, up to the limit */
	for (i = 0; i < 50; i++)
		period1(&v, 480, 1800, 1900);
	KUNIT_EXPECT_EQ(test, v.b.runtime, 500U);
}

static void dlb_feedback_lifts_floor(struct kunit *test)
{
	struct dvm v;
	int i;

	/* a floor of 800 that receives 20 under its runtime gets more */
	dvm_init(&v, KVMSCHED_BOUND_RESERVATION, 800, 0, 800, 800, 1, 1);
	plan1(&v, 1800, 1900);
	for (i = 0; i < 30; i++)
		period1(&v, v.b.runtime - 20, 1800, 1900);
	KUNIT_EXPECT_GT(test, v.b.runtime, 808U);
	/* within a quarter of the target */
	KUNIT_EXPECT_LE(test, v.b.runtime, 808U + 808U / 4);
	/* corrections never go past what the kernel admits (dl_cap) */
	plan1(&v, 1800, 810);
	KUNIT_EXPECT_EQ(test, v.b.runtime, 810U);
}

/* A period whose plan changed midway (a vm-set applied at once) feeds nothing back. */
static void dlb_replanned_period_holds_feedback(struct kunit *test)
{
	struct dvm v;
	s32 adj;

	dvm_init(&v, KVMSCHED_BOUND_RESERVATION, 800, 0, 800, 800, 1, 1);
	v.b.target = 800;
	kvms_dlb_account(&v.b, KVMSCHED_BOUND_RESERVATION, true, 760, 0);
	adj = v.b.adj;
	KUNIT_EXPECT_EQ(test, adj, 10);		/* (800 - 760) / 4 */
	/* received 400 under two runtimes: no correction from it */
	v.b.replanned = true;
	kvms_dlb_account(&v.b, KVMSCHED_BOUND_RESERVATION, true, 400, 0);
	KUNIT_EXPECT_EQ(test, v.b.adj, adj);
	KUNIT_EXPECT_FALSE(test, v.b.replanned);
	/* and the next plain period feeds back again */
	kvms_dlb_account(&v.b, KVMSCHED_BOUND_RESERVATION, true, 760, 0);
	KUNIT_EXPECT_EQ(test, v.b.adj, 20);
}

static void dlb_new_goal_drops_feedback(struct kunit *test)
{
	struct dvm v;
	int i;

	dvm_init(&v, KVMSCHED_BOUND_RESERVATION, 800, 0, 800, 800, 1, 1);
	plan1(&v, 1800, 1900);
	for (i = 0; i < 10; i++)
		period1(&v, v.b.runtime - 30, 1800, 1900);
	KUNIT_EXPECT_NE(test, v.b.adj, 0);
	v.policy.reservation_mcpu = 600;
	v.policy.entitled_mcpu = 600;
	plan1(&v, 1800, 1900);
	KUNIT_EXPECT_EQ(test, v.b.adj, 0);
	KUNIT_EXPECT_EQ(test, v.b.runtime, 606U);
	/* unbound: the term is dropped */
	v.b.adj = 50;
	kvms_dlb_account(&v.b, KVMSCHED_BOUND_NONE, true, 600, 0);
	KUNIT_EXPECT_EQ(test, v.b.adj, 0);
}

/*
 * Item 7: the kernel admits deadline bandwidth change by change, so a VM
 * that grows must be applied after one that shrinks.
 */
static void dlb_grows_orders_apply(struct kunit *test)
{
	struct dvm a, b, c;
	struct kvms_dlb *v[] = { &a.b, &b.b, &c.b };

	dvm_init(&a, KVMSCHED_BOUND_RESERVATION, 300, 0, 300, 300, 1, 1);
	dvm_init(&b, KVMSCHED_BOUND_RESERVATION, 900, 0, 900, 900, 1, 1);
	dvm_init(&c, KVMSCHED_BOUND_NONE, 0, 0, 500, 500, 1, 1);
	a.b.last_runtime = 900;	/* a shrinks 900 -> 300 */
	b.b.last_runtime = 300;	/* b grows 300 -> 900 */
	c.b.last_runtime = 400;	/* c leaves deadline */
	kvms_dlb_plan(v, 3, 1800, 1900);
	KUNIT_EXPECT_FALSE(test, a.b.grows);
	KUNIT_EXPECT_TRUE(test, b.b.grows);
	KUNIT_EXPECT_FALSE(test, c.b.grows);
	KUNIT_EXPECT_EQ(test, c.b.runtime, 0U);
	/* unchanged is not growth */
	a.b.last_runtime = a.b.runtime;
	kvms_dlb_plan(v, 3, 1800, 1900);
	KUNIT_EXPECT_FALSE(test, a.b.grows);
}

/* -- accounting ------------------------------------------------------------- */

static void dlb_misses(struct kunit *test)
{
	struct dvm v;
	int i;

	dvm_init(&v, KVMSCHED_BOUND_RESERVATION, 800, 0, 800, 800, 1, 1);
	v.b.target = 800;
	/* 10 periods at 790 (98.75 %): no miss */
	for (i = 0; i < KVMS_MISS_WINDOW; i++)
		kvms_dlb_account(&v.b, KVMSCHED_BOUND_RESERVATION, true, 790, 0);
	KUNIT_EXPECT_EQ(test, v.b.misses, 0U);
	/* 10 periods at 700: one miss */
	for (i = 0; i < KVMS_MISS_WINDOW; i++)
		kvms_dlb_account(&v.b, KVMSCHED_BOUND_RESERVATION, true, 700, 0);
	KUNIT_EXPECT_EQ(test, v.b.misses, 1U);
	/* a VM that wants less than its floor misses nothing */
	v.policy.demand_mcpu = 300;
	for (i = 0; i < 3 * KVMS_MISS_WINDOW; i++)
		kvms_dlb_account(&v.b, KVMSCHED_BOUND_RESERVATION, false, 300, 0);
	KUNIT_EXPECT_EQ(test, v.b.misses, 1U);
	/* throttled time adds up */
	kvms_dlb_account(&v.b, KVMSCHED_BOUND_LIMIT, true, 500, 5000);
	kvms_dlb_account(&v.b, KVMSCHED_BOUND_LIMIT, true, 500, 7000);
	KUNIT_EXPECT_EQ(test, v.b.throttled_ns, 12000ULL);
	kvms_dlb_reset(&v.b);
	KUNIT_EXPECT_EQ(test, v.b.target, 0U);
	KUNIT_EXPECT_EQ(test, v.b.win_periods, 0U);
	/* counters survive a reset */
	KUNIT_EXPECT_EQ(test, v.b.misses, 1U);
}

/* -- which threads may run SCHED_DEADLINE (items 1 and 2) -------------------- */

struct check_case {
	const char *desc;
	struct kvms_dl_view t;
	enum kvmsched_dl_block want;
};

static const struct check_case check_cases[] = {
	{ "fair thread, all CPUs: may enter", { .runnable = true }, KVMSCHED_DL_BLOCK_NONE },
	{ "fair thread pinned: refused",
	  { .narrowed = true, .runnable = true }, KVMSCHED_DL_BLOCK_PINNED },
	{ "deadline thread pinned after the fact: leaves",
	  { .in_dl = true, .narrowed = true, .cpu_ns = 1000 }, KVMSCHED_DL_BLOCK_PINNED },
	{ "left throttled, 0-lag ahead: waits",
	  { .throttled = true, .inactive_armed = true, .runnable = true },
	  KVMSCHED_DL_BLOCK_LEAVING },
	{ "left throttled, blocked since: still waits",
	  { .throttled = true, .inactive_armed = true }, KVMSCHED_DL_BLOCK_LEAVING },
	{ "throttled flag nothing will reset: may enter, never blocked for good",
	  { .throttled = true }, KVMSCHED_DL_BLOCK_NONE },
	{ "0-lag ahead, not throttled: may enter (keeps its runtime)",
	  { .inactive_armed = true, .runnable = true }, KVMSCHED_DL_BLOCK_NONE },
	{ "throttled with its timer: fine",
	  { .in_dl = true, .throttled = true, .runnable = true,
	    .timer_armed = true }, KVMSCHED_DL_BLOCK_NONE },
	{ "throttled, no timer, no CPU for a period: stuck",
	  { .in_dl = true, .throttled = true, .runnable = true }, KVMSCHED_DL_BLOCK_STUCK },
	{ "throttled, no timer, but it ran: not stuck",
	  { .in_dl = true, .throttled = true, .runnable = true,
	    .cpu_ns = 100 }, KVMSCHED_DL_BLOCK_NONE },
	{ "throttled, no timer, blocked: not stuck",
	  { .in_dl = true, .throttled = true }, KVMSCHED_DL_BLOCK_NONE },
	{ "exiting: left alone", { .exiting = true, .narrowed = true },
	  KVMSCHED_DL_BLOCK_EXITING },
};

static void check_desc(const struct check_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(check, check_cases, check_desc);

static void dlb_check_table(struct kunit *test)
{
	const struct check_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, kvms_dl_check(&c->t), c->want);
}

static void dlb_block_names(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, kvms_dl_block_name(KVMSCHED_DL_BLOCK_NONE), "none");
	KUNIT_EXPECT_STREQ(test, kvms_dl_block_name(KVMSCHED_DL_BLOCK_PINNED), "pinned");
	KUNIT_EXPECT_STREQ(test, kvms_dl_block_name(KVMSCHED_DL_BLOCK_LEAVING), "leaving");
	KUNIT_EXPECT_STREQ(test, kvms_dl_block_name(KVMSCHED_DL_BLOCK_STUCK), "stuck");
	KUNIT_EXPECT_STREQ(test, kvms_dl_block_name(KVMSCHED_DL_BLOCK_EXITING), "exiting");
	KUNIT_EXPECT_STREQ(test, kvms_dl_block_name(99), "?");
}

static struct kunit_case kvmsched_dlbudget_cases[] = {
	KUNIT_CASE(dlb_limit_margin),
	KUNIT_CASE(dlb_floors_fill_reservable),
	KUNIT_CASE(dlb_floor_margin),
	KUNIT_CASE(dlb_extra_scaled_to_room),
	KUNIT_CASE(dlb_unbound_and_idle),
	KUNIT_CASE(dlb_latency_share),
	KUNIT_CASE(dlb_limit_holds_after_demand_step),
	KUNIT_CASE(dlb_feedback_lifts_floor),
	KUNIT_CASE(dlb_new_goal_drops_feedback),
	KUNIT_CASE(dlb_replanned_period_holds_feedback),
	KUNIT_CASE(dlb_grows_orders_apply),
	KUNIT_CASE(dlb_misses),
	KUNIT_CASE_PARAM(dlb_check_table, check_gen_params),
	KUNIT_CASE(dlb_block_names),
	{}
};

static struct kunit_suite kvmsched_dlbudget_suite = {
	.name = "kvmsched_dlbudget",
	.test_cases = kvmsched_dlbudget_cases,
};

kunit_test_suite(kvmsched_dlbudget_suite);

MODULE_LICENSE("GPL");
