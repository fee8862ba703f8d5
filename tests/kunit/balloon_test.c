// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for kvmsched's balloon policy core (kmod/balloon.c): the host
 * memory state and its hysteresis (avail and PSI), PSI expiry, limits, the
 * shares-per-taxed-MiB order, step limits (and the bound by the balloon's
 * actual size), announcements, multi-round convergence, and invariants over
 * 1000 VMs.
 *
 * Unless a case says otherwise, tunables are the defaults (low 20 %,
 * critical 5 %, hysteresis 5 %, step 5 %, min step 0.25 %, idle tax 75 %,
 * max 65 %, PSI 10 %), and in the compute table the host has 100000 MiB
 * (1 % = 1000 MiB, reclaim goal 25 % = 25000 MiB) and a guest 40000 MiB
 * (floor 14000, step 2000, 4000 in critical, min step 100).
 */
#include <kunit/test.h>
#include <linux/limits.h>
#include <linux/slab.h>

#include "balloon.h"

#define N KVMSCHED_MEM_STATE_NORMAL
#define R KVMSCHED_MEM_STATE_RECLAIM
#define C KVMSCHED_MEM_STATE_CRITICAL

static const struct kvms_mem_tun tun_default = {
	.low_pct = 20,
	.critical_pct = 5,
	.hysteresis_pct = 5,
	.step_pct = 5,
	.min_step_bp = 25,
	.idle_tax_pct = 75,
	.max_pct = 65,
	.psi_reclaim_bp = 1000,
};

/* --- State and hysteresis, host of 10000 MiB: 1 % = 100 MiB. ---------- */

struct state_case {
	const char *desc;
	u8 prev;
	u64 total;
	u64 avail;
	s32 psi;
	u32 critical_pct;	/* default 5 */
	u32 hysteresis_pct;	/* default 5 */
	u32 psi_reclaim_bp;	/* default 1000 */
	u8 state;
};

static const struct state_case state_cases[] = {
	{ "normal at exactly low% stays normal", N, 10000, 2000, -1, 5, 5, 1000, N },
	{ "normal under low% reclaims", N, 10000, 1999, -1, 5, 5, 1000, R },
	{ "normal at critical% reclaims", N, 10000, 500, -1, 5, 5, 1000, R },
	{ "normal under critical% goes critical", N, 10000, 499, -1, 5, 5, 1000, C },
	{ "normal inside the band stays normal", N, 10000, 2499, -1, 5, 5, 1000, N },
	{ "reclaim inside the band keeps reclaiming", R, 10000, 2499, -1, 5, 5, 1000, R },
	{ "reclaim ends at low+hyst%", R, 10000, 2500, -1, 5, 5, 1000, N },
	{ "reclaim under critical% goes critical", R, 10000, 499, -1, 5, 5, 1000, C },
	{ "critical inside its band stays critical", C, 10000, 999, -1, 5, 5, 1000, C },
	{ "critical ends at critical+hyst%", C, 10000, 1000, -1, 5, 5, 1000, R },
	{ "critical to normal when memory is back", C, 10000, 2500, -1, 5, 5, 1000, N },
	{ "PSI at the threshold reclaims", N, 10000, 5000, 1000, 5, 5, 1000, R },
	{ "PSI under the threshold is ignored", N, 10000, 5000, 999, 5, 5, 1000, N },
	{ "PSI keeps reclaim going", R, 10000, 5000, 1500, 5, 5, 1000, R },
	{ "PSI just under the threshold keeps reclaim", R, 10000, 5000, 999, 5, 5, 1000, R },
	{ "PSI at half the threshold keeps reclaim", R, 10000, 5000, 500, 5, 5, 1000, R },
	{ "PSI under half the threshold ends reclaim", R, 10000, 5000, 499, 5, 5, 1000, N },
	{ "PSI unknown (or expired) ends reclaim", R, 10000, 5000, -1, 5, 5, 1000, N },
	{ "critical with PSI in the band ends in reclaim", C, 10000, 5000, 999, 5, 5, 1000, R },
	{ "critical with PSI under half ends in normal", C, 10000, 5000, 499, 5, 5, 1000, N },
	{ "PSI threshold 1: only 0 is under half", R, 10000, 5000, 1, 5, 5, 1, R },
	{ "PSI threshold 1: 0 ends reclaim", R, 10000, 5000, 0, 5, 5, 1, N },
	{ "PSI never reported is ignored", N, 10000, 5000, -1, 5, 5, 1000, N },
	{ "PSI threshold 0 ignores PSI", N, 10000, 5000, 9000, 5, 5, 0, N },
	{ "PSI alone never makes critical", N, 10000, 5000, 10000, 5, 5, 1000, R },
	{ "critical with PSI ends in reclaim", C, 10000, 5000, 5000, 5, 5, 1000, R },
	{ "critical 0 is never critical", N, 10000, 0, -1, 0, 5, 1000, R },
	{ "hysteresis 0 ends reclaim at low%", R, 10000, 2000, -1, 5, 0, 1000, N },
	{ "unknown host RAM keeps the state", R, 0, 0, -1, 5, 5, 1000, R },
	{ "an invalid previous state counts as normal", 7, 10000, 2400, -1, 5, 5, 1000, N },
};

static void state_desc(const struct state_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(state, state_cases, state_desc);

static void balloon_state_table(struct kunit *test)
{
	const struct state_case *c = test->param_value;
	struct kvms_mem_tun t = tun_default;
	struct kvms_mem_host h = {
		.total_mib = c->total, .avail_mib = c->avail,
		.psi_some_bp = c->psi, .state = c->prev,
	};

	/* Arrange */
	t.critical_pct = c->critical_pct;
	t.hysteresis_pct = c->hysteresis_pct;
	t.psi_reclaim_bp = c->psi_reclaim_bp;

	/* Act, Assert: both entry points agree */
	KUNIT_EXPECT_EQ(test, kvms_mem_state(&t, &h, c->prev), c->state);
	kvms_balloon_compute(&t, &h, NULL, 0);
	KUNIT_EXPECT_EQ(test, h.state, c->state);
}

/* Avail walking up and down through both bands: no flapping. */
static void balloon_state_walk(struct kunit *test)
{
	static const struct { u64 avail; u8 state; } walk[] = {
		{ 3000, N }, { 2000, N }, { 1999, R }, { 2400, R }, { 1999, R },
		{ 2499, R }, { 2500, N }, { 2400, N }, { 2000, N }, { 499, C },
		{ 900, C }, { 499, C }, { 999, C }, { 1000, R }, { 600, R },
		{ 499, C }, { 3000, N },
	};
	struct kvms_mem_host h = { .total_mib = 10000, .psi_some_bp = -1 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(walk); i++) {
		h.avail_mib = walk[i].avail;
		kvms_balloon_compute(&tun_default, &h, NULL, 0);
		KUNIT_EXPECT_EQ_MSG(test, h.state, walk[i].state,
				    "step %u, avail %llu", i, walk[i].avail);
	}
}

/*
 * PSI walking up and down through its band [500, 1000) with plenty of
 * memory (avail 50 %): reclaim starts at the threshold and ends under half.
 */
static void balloon_psi_walk(struct kunit *test)
{
	static const struct { s32 psi; u8 state; } walk[] = {
		{ 0, N }, { 999, N }, { 1000, R }, { 999, R }, { 1000, R },
		{ 700, R }, { 500, R }, { 499, N }, { 500, N }, { 999, N },
		{ 2000, R }, { -1, N }, { 1000, R }, { 0, N },
	};
	struct kvms_mem_host h = { .total_mib = 10000, .avail_mib = 5000 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(walk); i++) {
		/* Arrange */
		h.psi_some_bp = walk[i].psi;
		/* Act */
		kvms_balloon_compute(&tun_default, &h, NULL, 0);
		/* Assert */
		KUNIT_EXPECT_EQ_MSG(test, h.state, walk[i].state,
				    "step %u, PSI %d", i, walk[i].psi);
	}
}

/* --- PSI expiry: a report older than KVMS_PSI_MAX_AGE_MS is unknown ---- */

struct psi_age_case {
	const char *desc;
	s32 reported;
	u64 age_ms;
	s32 psi;	/* what the policy gets */
	u8 state;	/* from reclaim, avail 50 % */
};

static const struct psi_age_case psi_age_cases[] = {
	{ "a fresh report is used", 2000, 0, 2000, R },
	{ "a report at the age limit is used", 2000, 30000, 2000, R },
	{ "a report past the age limit is unknown", 2000, 30001, -1, N },
	{ "a report an hour old is unknown", 2000, 3600000, -1, N },
	{ "no report time (U64_MAX) is unknown", 10000, U64_MAX, -1, N },
	{ "a low report expires too", 0, 30001, -1, N },
	{ "never reported stays unknown", -1, 0, -1, N },
	{ "a fresh report in the band keeps reclaim", 600, 10000, 600, R },
};

static void psi_age_desc(const struct psi_age_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(psi_age, psi_age_cases, psi_age_desc);

static void balloon_psi_age_table(struct kunit *test)
{
	const struct psi_age_case *c = test->param_value;
	struct kvms_mem_host h = { .total_mib = 10000, .avail_mib = 5000,
				   .state = R };

	/* Act */
	h.psi_some_bp = kvms_balloon_psi_bp(c->reported, c->age_ms);

	/* Assert: the value, and that a stale one cannot hold reclaim */
	KUNIT_EXPECT_EQ(test, h.psi_some_bp, c->psi);
	KUNIT_EXPECT_EQ(test, kvms_mem_state(&tun_default, &h, R), c->state);
}

/* --- Limits ------------------------------------------------------------ */

struct limits_case {
	const char *desc;
	u32 guest, min, max, max_pct;
	u32 floor, eff_max;
};

static const struct limits_case limits_cases[] = {
	{ "defaults: the balloon takes at most 65 %", 40000, 0, 0, 65,
	  14000, 40000 },
	{ "admin max under guest RAM", 40000, 0, 20000, 65, 14000, 20000 },
	{ "admin max above guest RAM is guest RAM", 40000, 0, 50000, 65,
	  14000, 40000 },
	{ "admin min above the default floor", 40000, 30000, 0, 65,
	  30000, 40000 },
	{ "admin min above admin max: the max wins", 40000, 30000, 20000, 65,
	  20000, 20000 },
	{ "admin max under the default floor", 40000, 0, 10000, 65,
	  10000, 10000 },
	{ "max_pct 0: no ballooning", 40000, 0, 0, 0, 40000, 40000 },
	/* 1001 * 65 / 100 = 650.65: the balloon takes 650 */
	{ "rounding favours the guest", 1001, 0, 0, 65, 351, 1001 },
	{ "a 1 MiB guest keeps its MiB", 1, 0, 0, 90, 1, 1 },
	/* 16 TiB: 16777216 - 10905190 */
	{ "16 TiB guest", 16777216, 0, 0, 65, 5872026, 16777216 },
};

static void limits_desc(const struct limits_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(limits, limits_cases, limits_desc);

static void balloon_limits_table(struct kunit *test)
{
	const struct limits_case *c = test->param_value;
	struct kvms_mem_tun t = tun_default;
	struct kvms_balloon_vm vm = {
		.shares = 100, .min_mib = c->min, .max_mib = c->max,
		.guest_mib = c->guest, .free_mib = -1,
	};

	t.max_pct = c->max_pct;
	KUNIT_EXPECT_EQ(test, kvms_balloon_floor_mib(&t, &vm), c->floor);
	KUNIT_EXPECT_EQ(test, kvms_balloon_max_mib(&vm), c->eff_max);
}

/* --- rho: shares per taxed MiB ------------------------------------------ */

static u64 rho_of(u32 tax, u32 shares, u32 target, s32 free)
{
	struct kvms_mem_tun t = tun_default;
	struct kvms_balloon_vm vm = {
		.shares = shares, .guest_mib = target, .free_mib = free,
		.target_mib = target,
	};

	t.idle_tax_pct = tax;
	return kvms_balloon_rho(&t, &vm);
}

static void balloon_rho_values(struct kunit *test)
{
	/* no tax: shares / target = 0.1, in units of 2^-32 */
	KUNIT_EXPECT_EQ(test, rho_of(0, 100, 1000, -1), 429496729ULL);
	/* unknown free memory counts as active: no tax applies */
	KUNIT_EXPECT_EQ(test, rho_of(75, 100, 1000, -1), 429496729ULL);
	KUNIT_EXPECT_EQ(test, rho_of(75, 100, 1000, 0), 429496729ULL);
	/* all idle at 75 %: each MiB counts 4 times, 100 / 4000 */
	KUNIT_EXPECT_EQ(test, rho_of(75, 100, 1000, 1000), 107374182ULL);
	/* free above the target is capped at the target */
	KUNIT_EXPECT_EQ(test, rho_of(75, 100, 1000, 5000), 107374182ULL);
	/* half idle: 100 / (500 + 2000) */
	KUNIT_EXPECT_EQ(test, rho_of(75, 100, 1000, 500), 171798691ULL);
	/* 16 TiB, no overflow: 10000 / (2^24 * 100) and 1 / 2^24 */
	KUNIT_EXPECT_EQ(test, rho_of(99, 10000, 16777216, 16777216), 25600ULL);
	KUNIT_EXPECT_EQ(test, rho_of(0, 1, 16777216, -1), 256ULL);
	/* shares out of range are clamped */
	KUNIT_EXPECT_EQ(test, rho_of(0, 0, 1000, -1), rho_of(0, 1, 1000, -1));
	KUNIT_EXPECT_EQ(test, rho_of(0, 20000, 1000, -1),
			rho_of(0, 10000, 1000, -1));
	/* no memory held: never reclaimed from first */
	KUNIT_EXPECT_EQ(test, rho_of(75, 100, 0, -1), U64_MAX);
}

static void balloon_rho_order(struct kunit *test)
{
	/* same shares: the idler VM has the lower rho */
	KUNIT_EXPECT_LT(test, rho_of(75, 100, 40000, 20000),
			rho_of(75, 100, 40000, 1000));
	/* more shares, same memory: higher rho */
	KUNIT_EXPECT_GT(test, rho_of(75, 200, 40000, -1),
			rho_of(75, 100, 40000, -1));
	/* more memory, same shares: lower rho */
	KUNIT_EXPECT_LT(test, rho_of(75, 100, 40000, -1),
			rho_of(75, 100, 20000, -1));
	/*
	 * the tax: with 75 % a mostly idle VM with twice the shares goes
	 * first, without a tax it goes last
	 */
	KUNIT_EXPECT_LT(test, rho_of(75, 200, 40000, 30000),
			rho_of(75, 100, 40000, -1));
	KUNIT_EXPECT_GT(test, rho_of(0, 200, 40000, 30000),
			rho_of(0, 100, 40000, -1));
}

/* --- One round: table ----------------------------------------------------- */

struct bvm_out {
	u32 target;
	u8 reason;
	bool notify;
	u32 notified;
};

struct compute_case {
	const char *desc;
	u8 prev;
	u64 avail;
	s32 psi;
	u8 state;
	unsigned int n;
	struct kvms_balloon_vm in[2];
	struct bvm_out out[2];
};

/* shares, min, max, guest, free, target, notified */
#define VM(s, lo, hi, g, f, tg, nt) { .shares = (s), .min_mib = (lo), \
	.max_mib = (hi), .guest_mib = (g), .free_mib = (f), \
	.target_mib = (tg), .notified_mib = (nt) }
/* a 40000 MiB guest with no admin limits */
#define VM40(s, f, tg, nt) VM(s, 0, 0, 40000, f, tg, nt)
/* likewise, with the balloon's actual size known (0 = unknown) */
#define VM40A(s, f, tg, nt, ac) { .shares = (s), .guest_mib = 40000, \
	.free_mib = (f), .actual_mib = (ac), .target_mib = (tg), \
	.notified_mib = (nt) }
#define OUT(tg, why, ntf, nt) { (tg), KVMSCHED_BALLOON_REASON_##why, (ntf), (nt) }

static const struct compute_case compute_cases[] = {
	{ "same shares: the idle VM is reclaimed first", R, 24000, -1, R, 2,
	  /* need 1000; A holds at its max */
	  { VM40(100, -1, 40000, 40000), VM40(100, 20000, 40000, 40000) },
	  { OUT(40000, AT_MAX, false, 40000), OUT(39000, INFLATE, true, 39000) } },
	{ "more shares are reclaimed later", R, 24000, -1, R, 2,
	  { VM40(200, -1, 40000, 40000), VM40(100, -1, 40000, 40000) },
	  { OUT(40000, AT_MAX, false, 40000), OUT(39000, INFLATE, true, 39000) } },
	{ "the idle tax outweighs twice the shares", R, 24000, -1, R, 2,
	  /* A: 200 / (10000 + 4 * 30000) < B: 100 / 40000 */
	  { VM40(200, 30000, 40000, 40000), VM40(100, -1, 40000, 40000) },
	  { OUT(39000, INFLATE, true, 39000), OUT(40000, AT_MAX, false, 40000) } },
	{ "need spans VMs, 5 % per VM per round", R, 22000, -1, R, 2,
	  /* need 3000: A (idle) gives its step, B the remaining 1000 */
	  { VM40(100, 20000, 40000, 40000), VM40(100, -1, 40000, 40000) },
	  { OUT(38000, INFLATE, true, 38000), OUT(39000, INFLATE, true, 39000) } },
	{ "critical doubles the step", N, 4000, -1, C, 2,
	  /* need 21000, more than both can give: 4000 each */
	  { VM40(100, -1, 40000, 40000), VM40(100, -1, 40000, 40000) },
	  { OUT(36000, INFLATE, true, 36000), OUT(36000, INFLATE, true, 36000) } },
	{ "a need under the min step takes one min step", R, 24970, -1, R, 2,
	  { VM40(100, 20000, 40000, 40000), VM40(100, -1, 40000, 40000) },
	  { OUT(39900, INFLATE, true, 39900), OUT(40000, AT_MAX, false, 40000) } },
	{ "a move under the min step that ends at the floor", R, 24000, -1, R, 2,
	  /* A first (10 shares): only 50 above its floor; B gives 950 */
	  { VM40(10, -1, 14050, 14050), VM40(100, -1, 40000, 40000) },
	  { OUT(14000, INFLATE, true, 14000), OUT(39050, INFLATE, true, 39050) } },
	{ "a VM at its floor gives nothing", R, 22000, -1, R, 2,
	  { VM40(10, -1, 14000, 14000), VM40(100, -1, 40000, 40000) },
	  { OUT(14000, AT_MIN, false, 14000), OUT(38000, INFLATE, true, 38000) } },
	{ "an admin min above the target applies at once", R, 24500, -1, R, 2,
	  { VM(10, 30000, 0, 40000, -1, 20000, 20000),
	    VM40(100, -1, 40000, 40000) },
	  { OUT(30000, AT_MIN, true, 30000), OUT(39500, INFLATE, true, 39500) } },
	{ "an admin max under the target applies at once", N, 30000, -1, N, 2,
	  /* budget 5000: A drops 20000 in one round, B gets its step */
	  { VM(100, 0, 20000, 40000, -1, 40000, 40000),
	    VM40(100, -1, 30000, 30000) },
	  { OUT(20000, AT_MAX, true, 20000), OUT(32000, DEFLATE, true, 32000) } },
	{ "deflate up to the max", N, 50000, -1, N, 2,
	  /* budget 25000: A only lacks 50, under a min step but to its max */
	  { VM40(100, -1, 39950, 39950), VM40(100, -1, 30000, 30000) },
	  { OUT(40000, DEFLATE, true, 40000), OUT(32000, DEFLATE, true, 32000) } },
	{ "deflate: the most shares first, within the budget", N, 26000, -1, N, 2,
	  { VM40(100, -1, 30000, 30000), VM40(200, -1, 30000, 30000) },
	  { OUT(30000, HOLD, false, 30000), OUT(31000, DEFLATE, true, 31000) } },
	{ "deflate: the idle VM gets memory back last", N, 26000, -1, N, 2,
	  { VM40(100, 20000, 30000, 30000), VM40(100, -1, 30000, 30000) },
	  { OUT(30000, HOLD, false, 30000), OUT(31000, DEFLATE, true, 31000) } },
	{ "deflate: a budget under the min step gives nothing", N, 25050, -1, N,
	  2, { VM40(100, -1, 30000, 30000), VM40(200, -1, 30000, 30000) },
	  { OUT(30000, HOLD, false, 30000), OUT(30000, HOLD, false, 30000) } },
	{ "inside the band nothing moves", N, 24000, -1, N, 2,
	  { VM40(100, -1, 30000, 30000), VM40(100, -1, 40000, 40000) },
	  { OUT(30000, HOLD, false, 30000), OUT(40000, AT_MAX, false, 40000) } },
	{ "unknown guest RAM is skipped", R, 24000, -1, R, 2,
	  { VM(100, 0, 0, 0, -1, 0, 0), VM40(100, -1, 40000, 40000) },
	  { OUT(0, NONE, false, 0), OUT(39000, INFLATE, true, 39000) } },
	{ "the first round starts at the max and announces it", N, 50000, -1,
	  N, 2, { VM40(100, -1, 0, 0), VM(100, 0, 30000, 40000, -1, 0, 0) },
	  { OUT(40000, AT_MAX, true, 40000), OUT(30000, AT_MAX, true, 30000) } },
	{ "a move under the min step from the last announced is not announced",
	  R, 24900, -1, R, 2,
	  /* need 100: A moves 40000 -> 39900, 50 from what it announced */
	  { VM40(100, 20000, 40000, 39950), VM40(100, -1, 40000, 40000) },
	  { OUT(39900, INFLATE, false, 39950), OUT(40000, AT_MAX, false, 40000) } },
	{ "an unannounced target is announced later", N, 24000, -1, N, 2,
	  { VM40(100, -1, 30000, 28000), VM40(100, -1, 30000, 29950) },
	  { OUT(30000, HOLD, true, 30000), OUT(30000, HOLD, false, 29950) } },
	{ "PSI reclaims hyst% of host RAM despite free memory", N, 50000, 2000,
	  R, 2, { VM40(100, -1, 40000, 40000), VM40(100, -1, 40000, 40000) },
	  { OUT(38000, INFLATE, true, 38000), OUT(38000, INFLATE, true, 38000) } },
	{ "PSI in the band holds: no reclaim of its own, no deflate", R, 50000,
	  999, R, 2,
	  { VM40(100, -1, 38000, 38000), VM40(100, -1, 30000, 30000) },
	  { OUT(38000, HOLD, false, 38000), OUT(30000, HOLD, false, 30000) } },
	/* The bound by the balloon's actual size (need 3000, step 2000). */
	{ "inflate stops one step below the actual size", R, 22000, -1, R, 2,
	  /* A (idle, first) holds 40000: no lower than 38000 */
	  { VM40A(100, 20000, 38000, 38000, 40000), VM40(100, -1, 40000, 40000) },
	  { OUT(38000, HOLD, false, 38000), OUT(38000, INFLATE, true, 38000) } },
	{ "a lagging guest: inflate to one step below what it holds", R, 22000,
	  -1, R, 2,
	  { VM40A(100, 20000, 39000, 39000, 40000), VM40(100, -1, 40000, 40000) },
	  { OUT(38000, INFLATE, true, 38000), OUT(38000, INFLATE, true, 38000) } },
	{ "less than a min step above the bound waits for the guest", R, 22000,
	  -1, R, 2,
	  { VM40A(100, 20000, 38050, 38050, 40000), VM40(100, -1, 40000, 40000) },
	  { OUT(38050, HOLD, false, 38050), OUT(38000, INFLATE, true, 38000) } },
	{ "unknown actual (0): inflate as before", R, 22000, -1, R, 2,
	  { VM40A(100, 20000, 38000, 38000, 0), VM40A(100, -1, 40000, 40000, 0) },
	  { OUT(36000, INFLATE, true, 36000), OUT(39000, INFLATE, true, 39000) } },
	{ "an actual under the target does not bound inflate", R, 22000, -1, R,
	  2, { VM40A(100, 20000, 38000, 38000, 30000), VM40(100, -1, 40000, 40000) },
	  { OUT(36000, INFLATE, true, 36000), OUT(39000, INFLATE, true, 39000) } },
	{ "critical: the bound is the doubled step", N, 4000, -1, C, 2,
	  { VM40A(100, -1, 38000, 38000, 40000), VM40(100, -1, 40000, 40000) },
	  { OUT(36000, INFLATE, true, 36000), OUT(36000, INFLATE, true, 36000) } },
	{ "the floor still wins over the actual bound", R, 23000, -1, R, 2,
	  /* A: actual - step = 13000 is under its floor 14000 */
	  { VM40A(10, -1, 15000, 15000, 15000), VM40(100, -1, 40000, 40000) },
	  { OUT(14000, INFLATE, true, 14000), OUT(39000, INFLATE, true, 39000) } },
	{ "deflate ignores the actual size", N, 26000, -1, N, 2,
	  { VM40A(200, -1, 30000, 30000, 20000), VM40(100, -1, 30000, 30000) },
	  { OUT(31000, DEFLATE, true, 31000), OUT(30000, HOLD, false, 30000) } },
};

static void compute_desc(const struct compute_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(compute, compute_cases, compute_desc);

static void balloon_compute_table(struct kunit *test)
{
	const struct compute_case *c = test->param_value;
	struct kvms_mem_host h = {
		.total_mib = 100000, .avail_mib = c->avail,
		.psi_some_bp = c->psi, .state = c->prev,
	};
	struct kvms_balloon_vm vms[2], *ptrs[2];
	unsigned int i;

	/* Arrange */
	for (i = 0; i < c->n; i++) {
		vms[i] = c->in[i];
		vms[i].reason = 0xff;
		ptrs[i] = &vms[i];
	}

	/* Act */
	kvms_balloon_compute(&tun_default, &h, ptrs, c->n);

	/* Assert */
	KUNIT_EXPECT_EQ(test, h.state, c->state);
	for (i = 0; i < c->n; i++) {
		KUNIT_EXPECT_PTR_EQ(test, ptrs[i], &vms[i]);	/* order kept */
		KUNIT_EXPECT_EQ_MSG(test, vms[i].target_mib, c->out[i].target,
				    "VM %u target", i);
		KUNIT_EXPECT_EQ_MSG(test, vms[i].reason, c->out[i].reason,
				    "VM %u reason", i);
		KUNIT_EXPECT_EQ_MSG(test, vms[i].notify, c->out[i].notify,
				    "VM %u notify", i);
		KUNIT_EXPECT_EQ_MSG(test, vms[i].notified_mib,
				    c->out[i].notified, "VM %u notified", i);
	}
}

/* Step limits over one VM and several tunables. */
static void balloon_step_limits(struct kunit *test)
{
	struct kvms_mem_tun t = tun_default;
	struct kvms_mem_host h = { .total_mib = 100000, .avail_mib = 0,
				   .psi_some_bp = -1, .state = R };
	struct kvms_balloon_vm vm = VM40(100, -1, 40000, 40000), *p = &vm;

	/* Act: critical (avail 0), twice the 5 % step */
	kvms_balloon_compute(&t, &h, &p, 1);
	/* Assert */
	KUNIT_EXPECT_EQ(test, h.state, (u8)C);
	KUNIT_EXPECT_EQ(test, vm.target_mib, 36000U);

	/* Arrange: 1 % step; min step 2 % is capped at the step */
	t.step_pct = 1;
	t.min_step_bp = 200;
	h.state = R;
	h.avail_mib = 24990;	/* need 10: rounded up to one min step */
	vm.target_mib = 40000;
	kvms_balloon_compute(&t, &h, &p, 1);
	KUNIT_EXPECT_EQ(test, vm.target_mib, 39600U);

	/* Arrange: a tiny guest still moves at least 1 MiB a round */
	vm = (struct kvms_balloon_vm)VM(100, 0, 0, 10, -1, 10, 10);
	t = tun_default;
	h.state = R;
	h.avail_mib = 20000;
	kvms_balloon_compute(&t, &h, &p, 1);
	KUNIT_EXPECT_EQ(test, vm.target_mib, 9U);
	KUNIT_EXPECT_EQ(test, vm.reason, (u8)KVMSCHED_BALLOON_REASON_INFLATE);
	/* min step 0 at this size: every move is announced */
	KUNIT_EXPECT_TRUE(test, vm.notify);
}

/*
 * Ten reclaim rounds (avail stays at 20 %) over one 40000 MiB guest whose
 * balloon does or does not follow its target: with the actual size known,
 * the target never gets more than a step (2000) below it.
 */
struct stuck_case {
	const char *desc;
	u32 actual;	/* at the start; 0 = unknown */
	bool follows;	/* the guest gives its target back after each round */
	u32 target;	/* after ten rounds */
};

static const struct stuck_case stuck_cases[] = {
	{ "a guest that gives nothing back: one step, then hold", 40000, false,
	  38000 },
	{ "a guest that follows: a step a round", 40000, true, 20000 },
	{ "unknown actual: a step a round, as before", 0, false, 20000 },
};

static void stuck_desc(const struct stuck_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(stuck, stuck_cases, stuck_desc);

static void balloon_stuck_guest(struct kunit *test)
{
	const struct stuck_case *c = test->param_value;
	struct kvms_mem_host h = { .total_mib = 100000, .avail_mib = 20000,
				   .psi_some_bp = -1, .state = R };
	struct kvms_balloon_vm vm = VM40A(100, -1, 40000, 40000, c->actual), *p = &vm;
	unsigned int round;

	for (round = 1; round <= 10; round++) {
		/* Act */
		kvms_balloon_compute(&tun_default, &h, &p, 1);
		/* Assert */
		KUNIT_ASSERT_EQ(test, h.state, (u8)R);
		if (vm.actual_mib)
			KUNIT_ASSERT_GE_MSG(test, vm.target_mib + 2000,
					    vm.actual_mib, "round %u", round);
		if (c->follows)
			vm.actual_mib = vm.target_mib;
	}
	KUNIT_EXPECT_EQ(test, vm.target_mib, c->target);
	KUNIT_EXPECT_EQ(test, vm.reason, c->target == 38000 ?
			(u8)KVMSCHED_BALLOON_REASON_HOLD : (u8)KVMSCHED_BALLOON_REASON_INFLATE);
}

/* --- Rounds against a simulated host ------------------------------------- */

/*
 * The host has @total MiB and uses @host itself; each VM uses its whole
 * target, and its guest reports as free what its target holds above its
 * working set @ws. avail responds to every round's targets at once.
 */
struct converge_case {
	const char *desc;
	u64 total, host;
	u32 guest[4], ws[4], shares[4];
	bool start_at_floor;
	unsigned int rounds;	/* settled (nothing moves) within */
	u8 state;		/* final state */
	u8 end;			/* final targets: */
};

#define END_GOAL	0	/* avail within a min step above the goal */
#define END_FLOOR	1	/* every VM at its floor */
#define END_MAX		2	/* every VM at its max */

static const struct converge_case converge_cases[] = {
	{ "reclaim from 7 % to the 25 % goal", 100000, 5000,
	  { 22000, 22000, 22000, 22000 }, { 5000, 10000, 15000, 20000 },
	  { 100, 100, 200, 400 }, false, 6, N, END_GOAL },
	{ "critical from 0 %, through reclaim, to normal", 32768, 2048,
	  { 8192, 8192, 8192, 8192 }, { 1000, 2000, 4000, 8000 },
	  { 100, 10000, 1, 100 }, false, 8, N, END_GOAL },
	{ "floors reached: critical for good, never under them", 100000,
	  50000, { 30000, 30000, 30000, 30000 }, { 0, 10000, 20000, 30000 },
	  { 100, 100, 100, 100 }, false, 8, C, END_FLOOR },
	{ "deflate from the floors down to the goal", 100000, 10000,
	  { 22000, 22000, 22000, 22000 }, { 5000, 10000, 15000, 20000 },
	  { 100, 200, 300, 400 }, true, 8, N, END_GOAL },
	{ "deflate from the floors back to the max", 100000, 5000,
	  { 15000, 15000, 15000, 15000 }, { 5000, 5000, 5000, 5000 },
	  { 100, 100, 100, 100 }, true, 14, N, END_MAX },
};

static void converge_desc(const struct converge_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(converge, converge_cases, converge_desc);

static u64 sim_avail(const struct converge_case *c, struct kvms_balloon_vm *vms)
{
	u64 used = c->host;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		used += vms[i].target_mib ?: vms[i].guest_mib;
		vms[i].free_mib = vms[i].target_mib > c->ws[i] ?
				  vms[i].target_mib - c->ws[i] : 0;
	}
	return used < c->total ? c->total - used : 0;
}

static void balloon_converges(struct kunit *test)
{
	const struct converge_case *c = test->param_value;
	const struct kvms_mem_tun *t = &tun_default;
	struct kvms_mem_host h = { .total_mib = c->total, .psi_some_bp = -1 };
	struct kvms_balloon_vm vms[4] = {}, *ptrs[4];
	unsigned int i, round, settled = 0;
	u8 last_state = C;
	u64 goal = DIV_ROUND_UP_ULL(c->total * 25, 100);

	/* Arrange */
	for (i = 0; i < 4; i++) {
		vms[i].shares = c->shares[i];
		vms[i].guest_mib = c->guest[i];
		if (c->start_at_floor)
			vms[i].target_mib = kvms_balloon_floor_mib(t, &vms[i]);
		ptrs[i] = &vms[i];
	}

	for (round = 1; round <= 40; round++) {
		bool moved = false;

		/* Act */
		h.avail_mib = sim_avail(c, vms);
		kvms_balloon_compute(t, &h, ptrs, 4);

		/* Assert: limits every round, the state never flaps back */
		KUNIT_ASSERT_LE_MSG(test, h.state, last_state,
				    "round %u: state went back up", round);
		last_state = h.state;
		for (i = 0; i < 4; i++) {
			KUNIT_ASSERT_GE(test, vms[i].target_mib,
					kvms_balloon_floor_mib(t, &vms[i]));
			KUNIT_ASSERT_LE(test, vms[i].target_mib,
					kvms_balloon_max_mib(&vms[i]));
			moved |= vms[i].reason == KVMSCHED_BALLOON_REASON_INFLATE ||
				 vms[i].reason == KVMSCHED_BALLOON_REASON_DEFLATE;
		}
		if (round == 1)
			continue;	/* the first round sets the targets */
		if (!moved && !settled)
			settled = round;
		KUNIT_ASSERT_FALSE_MSG(test, moved && settled,
				       "round %u: moved after settling in %u",
				       round, settled);
	}
	KUNIT_EXPECT_NE(test, settled, 0U);
	KUNIT_EXPECT_LE(test, settled, c->rounds + 1);
	KUNIT_EXPECT_EQ(test, h.state, c->state);
	h.avail_mib = sim_avail(c, vms);
	for (i = 0; i < 4; i++) {
		u32 floor = kvms_balloon_floor_mib(t, &vms[i]);
		u32 max = kvms_balloon_max_mib(&vms[i]);

		if (c->end == END_FLOOR) {
			KUNIT_EXPECT_EQ(test, vms[i].target_mib, floor);
			KUNIT_EXPECT_EQ(test, vms[i].reason,
					(u8)KVMSCHED_BALLOON_REASON_AT_MIN);
		} else if (c->end == END_MAX) {
			KUNIT_EXPECT_EQ(test, vms[i].target_mib, max);
			KUNIT_EXPECT_EQ(test, vms[i].reason,
					(u8)KVMSCHED_BALLOON_REASON_AT_MAX);
		}
		/* everything announced */
		KUNIT_EXPECT_EQ(test, vms[i].notified_mib, vms[i].target_mib);
	}
	if (c->end == END_GOAL) {
		/* 0.25 % of a guest: the most any round overshoots */
		KUNIT_EXPECT_GE(test, h.avail_mib, goal);
		KUNIT_EXPECT_LT(test, h.avail_mib, goal + c->guest[0] / 400);
	}
}

/* --- 1000 VMs: invariants of one reclaim and one deflate round ----------- */

struct big {
	struct kvms_balloon_vm *vms, **ptrs, *before;
	u64 room_sum;
};

static void big_setup(struct kunit *test, struct big *b, unsigned int n,
		      bool give)
{
	const struct kvms_mem_tun *t = &tun_default;
	unsigned int i;

	b->vms = kunit_kcalloc(test, n, sizeof(*b->vms), GFP_KERNEL);
	b->before = kunit_kcalloc(test, n, sizeof(*b->before), GFP_KERNEL);
	b->ptrs = kunit_kcalloc(test, n, sizeof(*b->ptrs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b->vms);
	KUNIT_ASSERT_NOT_NULL(test, b->before);
	KUNIT_ASSERT_NOT_NULL(test, b->ptrs);
	b->room_sum = 0;
	for (i = 0; i < n; i++) {
		struct kvms_balloon_vm *v = &b->vms[i];
		u32 lo, hi, step;

		v->guest_mib = i % 97 ? 1024 + (i * 7919) % 65536 : 0;
		v->shares = 1 + (i * 104729) % KVMSCHED_MEM_SHARES_MAX;
		v->free_mib = i % 4 ? (s32)((i * 131) % 2048) : -1;
		v->min_mib = i % 7 ? 0 : v->guest_mib / 2;
		v->max_mib = i % 11 ? 0 : v->guest_mib / 4 * 3;
		/* some unset, some out of their limits */
		if (v->guest_mib && i % 13)
			v->target_mib = v->guest_mib - (i * 37) % v->guest_mib;
		b->ptrs[i] = v;

		/* the target once clamped, and what could move from there */
		b->before[i] = *v;
		if (!v->guest_mib)
			continue;
		lo = kvms_balloon_floor_mib(t, v);
		hi = kvms_balloon_max_mib(v);
		b->before[i].target_mib = clamp(v->target_mib ?: hi, lo, hi);
		b->before[i].rho = kvms_balloon_rho(t, &b->before[i]);
		step = max(v->guest_mib * t->step_pct / 100, 1U);
		b->before[i].full = min(give ? hi - b->before[i].target_mib :
					b->before[i].target_mib - lo, step);
		b->before[i].min_step = min(v->guest_mib * t->min_step_bp / 10000,
					    step);
		b->room_sum += b->before[i].full;
	}
}

static void balloon_1000_vms(struct kunit *test)
{
	const struct kvms_mem_tun *t = &tun_default;
	const unsigned int n = 1000;
	const u64 total = 10000000;
	u64 goal = total / 4, want, sum;
	unsigned int pass, i;

	for (pass = 0; pass < 2; pass++) {
		bool give = pass == 1;
		u64 moved_rho = give ? U64_MAX : 0, held_rho = give ? 0 : U64_MAX;
		struct kvms_mem_host h = { .total_mib = total, .psi_some_bp = -1,
					   .state = give ? N : R };
		u32 max_min_step = 0;
		struct big b;

		/* Arrange: ask for half of what could move */
		big_setup(test, &b, n, give);
		want = b.room_sum / 2;
		h.avail_mib = give ? goal + want : goal - want;

		/* Act */
		kvms_balloon_compute(t, &h, b.ptrs, n);

		/* Assert */
		KUNIT_ASSERT_EQ(test, h.state, give ? (u8)N : (u8)R);
		sum = 0;
		for (i = 0; i < n; i++) {
			const struct kvms_balloon_vm *v = &b.vms[i], *o = &b.before[i];
			u32 d = give ? v->target_mib - o->target_mib :
				       o->target_mib - v->target_mib;

			KUNIT_ASSERT_PTR_EQ(test, b.ptrs[i], &b.vms[i]);
			if (!v->guest_mib) {
				KUNIT_EXPECT_EQ(test, v->target_mib, 0U);
				KUNIT_EXPECT_EQ(test, v->reason,
						(u8)KVMSCHED_BALLOON_REASON_NONE);
				KUNIT_EXPECT_FALSE(test, v->notify);
				continue;
			}
			KUNIT_EXPECT_GE(test, v->target_mib,
					kvms_balloon_floor_mib(t, v));
			KUNIT_EXPECT_LE(test, v->target_mib,
					kvms_balloon_max_mib(v));
			/* only in the direction asked, within one step */
			KUNIT_ASSERT_LE(test, d, o->full);
			KUNIT_EXPECT_EQ(test, d != 0,
					v->reason == (give ? KVMSCHED_BALLOON_REASON_DEFLATE :
						      KVMSCHED_BALLOON_REASON_INFLATE));
			/* no move under the min step, unless to the limit */
			if (d && d < o->min_step)
				KUNIT_EXPECT_EQ(test, d, o->full);
			KUNIT_EXPECT_EQ(test, v->notified_mib, v->notify ?
					v->target_mib : o->notified_mib);
			sum += d;
			max_min_step = max(max_min_step, o->min_step);
			/* the order: nobody with room is passed over */
			if (d)
				moved_rho = give ? min(moved_rho, o->rho) :
						   max(moved_rho, o->rho);
			else if (o->full)
				held_rho = give ? max(held_rho, o->rho) :
						  min(held_rho, o->rho);
		}
		if (give) {
			KUNIT_EXPECT_LE(test, sum, want);
			KUNIT_EXPECT_GT(test, sum + max_min_step, want);
			KUNIT_EXPECT_GE(test, moved_rho, held_rho);
		} else {
			KUNIT_EXPECT_GE(test, sum, want);
			KUNIT_EXPECT_LT(test, sum, want + max_min_step);
			KUNIT_EXPECT_LE(test, moved_rho, held_rho);
		}
	}
}

static struct kunit_case kvmsched_balloon_cases[] = {
	KUNIT_CASE_PARAM(balloon_state_table, state_gen_params),
	KUNIT_CASE(balloon_state_walk),
	KUNIT_CASE(balloon_psi_walk),
	KUNIT_CASE_PARAM(balloon_psi_age_table, psi_age_gen_params),
	KUNIT_CASE_PARAM(balloon_limits_table, limits_gen_params),
	KUNIT_CASE(balloon_rho_values),
	KUNIT_CASE(balloon_rho_order),
	KUNIT_CASE_PARAM(balloon_compute_table, compute_gen_params),
	KUNIT_CASE(balloon_step_limits),
	KUNIT_CASE_PARAM(balloon_stuck_guest, stuck_gen_params),
	KUNIT_CASE_PARAM(balloon_converges, converge_gen_params),
	KUNIT_CASE(balloon_1000_vms),
	{}
};

static struct kunit_suite kvmsched_balloon_suite = {
	.name = "kvmsched_balloon",
	.test_cases = kvmsched_balloon_cases,
};

kunit_test_suite(kvmsched_balloon_suite);
