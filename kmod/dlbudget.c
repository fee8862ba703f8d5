// SPDX-License-Identifier: GPL-2.0
/*
 * kvmsched deadline budget core (KVM-free, see dlbudget.h).
 */
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/minmax.h>

#include "dlbudget.h"

/*
 * Reservation misses are judged over windows of KVMS_MISS_WINDOW periods in
 * which the VM wanted at least its reservation: deadline runtime comes in
 * deadline-period slices enforced at tick granularity, so a single period
 * can fall a few percent short while the VM still receives its reservation
 * on average. A window misses when the VM received under KVMS_MISS_PCT of
 * reservation x periods.
 */
static void kvms_dlb_account_miss(struct kvms_dlb *b, u32 used)
{
	const struct kvms_policy_vm *p = b->policy;

	if (!p->reservation_mcpu || p->demand_mcpu < p->reservation_mcpu)
		return;
	b->win_used += used;
	if (++b->win_periods < KVMS_MISS_WINDOW)
		return;
	if (b->win_used * 100 <
	    (u64)p->reservation_mcpu * KVMS_MISS_WINDOW * KVMS_MISS_PCT)
		WRITE_ONCE(b->misses, b->misses + 1);
	b->win_used = 0;
	b->win_periods = 0;
}

/**
 * kvms_dlb_account() - account last period of a VM's deadline budget
 * @b:		the VM's budget; b->policy holds last period's demand
 * @last_bound:	the bound that decided the VM last period (KVMS_BOUND_*)
 * @saturated:	an active deadline vCPU used at least KVMS_DL_SATURATED_PCT
 *		of its runtime
 * @used_mcpu:	CPU the VM received last period
 * @throttled_ns: time its vCPUs were held back by a limit last period
 *
 * Counts a reservation miss, and feeds back what the kernel did not deliver.
 * What a deadline vCPU receives is not exactly its runtime: the kernel
 * notices an exhausted runtime at the next tick and scales runtime by CPU
 * frequency and capacity. An integral term corrects for it: while the VM
 * stays bound and uses all it is given, a quarter of each period's error
 * (target minus received) is added to its runtime, within a quarter of the
 * target either way. A period in which it used less holds the term, and so
 * does one whose plan changed midway (@b->replanned: what it received was
 * had under two runtimes); it is dropped when the VM is no longer bound or
 * its target changes.
 * kvms_dlb_plan() keeps a positive term out of the headroom and never lets
 * it lift a VM over its limit.
 */
void kvms_dlb_account(struct kvms_dlb *b, u8 last_bound, bool saturated,
		      u32 used_mcpu, u64 throttled_ns)
{
	s32 t = b->target, lim = t / 4;
	bool replanned = b->replanned;

	b->replanned = false;
	if (throttled_ns)
		WRITE_ONCE(b->throttled_ns, b->throttled_ns + throttled_ns);
	kvms_dlb_account_miss(b, used_mcpu);
	if (last_bound == KVMSCHED_BOUND_NONE || !t) {
		b->adj = 0;
		return;
	}
	if (saturated && !replanned)
		b->adj = clamp(b->adj + (t - (s32)used_mcpu) / 4, -lim, lim);
}

/**
 * kvms_dlb_want() - deadline CPU a bound VM is to receive before fitting
 * @b: the VM's budget, after kvms_policy_entitle()
 *
 * Return: its entitlement; for a limit-bound VM its share, which is what
 * its weight would give it up to the limit (so a VM under its limit can
 * grow into its share without leaving SCHED_DEADLINE), and at least the
 * parts its halted vCPUs keep; for a latency-bound VM its share (it may
 * burst up to what its weight gives it, and no further), at most what its
 * active vCPUs can hold (KVMS_DL_VCPU_MAX_MCPU each).
 */
u32 kvms_dlb_want(const struct kvms_dlb *b)
{
	const struct kvms_policy_vm *p = b->policy;
	u32 idle = (b->nr_threads - min(p->nr_active, b->nr_threads)) *
		   KVMS_DL_IDLE_MCPU;

	/* latency, boost: the share, at most what its vCPUs can hold */
	if (p->bound == KVMSCHED_BOUND_LATENCY || p->bound == KVMSCHED_BOUND_BOOST)
		return min(p->share_mcpu, p->nr_active * KVMS_DL_VCPU_MAX_MCPU);
	if (p->bound != KVMSCHED_BOUND_LIMIT)
		return p->entitled_mcpu;
	return min(max(p->share_mcpu, idle), p->limit_mcpu);
}

/*
 * The deadline bandwidth of a bound VM. Its floor, min(reservation,
 * entitlement), is always covered: admission control keeps the floors
 * under reservable-mcpu (when capacity shrank and they no longer fit, they
 * are scaled down alike). What the VM's entitlement adds above its floor
 * (its weight's share, or a limit-bound VM's whole entitlement) comes out
 * of what the floors leave of reservable-mcpu, @room, scaled down when the
 * bound VMs together want more (@extra_sum), so deadline vCPUs never take
 * the headroom from host tasks.
 */
static u32 kvms_dlb_total(const struct kvms_dlb *b, u64 room, u64 extra_sum,
			  u64 base_sum, u32 reservable)
{
	u32 ent = kvms_dlb_want(b);
	u64 base = min(b->policy->reservation_mcpu, ent);
	u64 extra = ent - base;

	/* Over-committed (capacity shrank): the floors shrink alike. */
	if (base_sum > reservable)
		base = div64_u64(base * reservable, base_sum);
	if (extra_sum > room)
		extra = div64_u64(extra * room, extra_sum);
	/* A ceiling errs on the side of less. */
	if (b->policy->bound == KVMSCHED_BOUND_LIMIT)
		return base + extra - div_u64((base + extra) * KVMS_DL_MARGIN_PCT, 100);
	return base + extra;
}

/* Is @b's VM to get deadline runtime this period? */
static bool kvms_dlb_runs(const struct kvms_dlb *b)
{
	const struct kvms_policy_vm *p = b->policy;

	/* A floor is only held while the VM wants CPU; a limit always. */
	return p->bound != KVMSCHED_BOUND_NONE &&
	       (p->nr_active || p->bound == KVMSCHED_BOUND_LIMIT);
}

/**
 * kvms_dlb_plan() - this period's deadline runtime of every VM
 * @v:			the VMs' budgets, after kvms_policy_entitle()
 * @n:			how many
 * @reservable_mcpu:	what deadline vCPUs may take together
 *			(kvms_reservable_mcpu())
 * @dl_cap_mcpu:	what the kernel's deadline admission lets all
 *			deadline tasks take (capacity x its share)
 *
 * Sets every b->runtime: 0 for a VM that is not bound. Floors are covered
 * first, what bound VMs get above them comes from what the floors leave of
 * @reservable_mcpu, a floor gets KVMS_DL_MARGIN_PCT on top where there is
 * room, and feedback corrections (kvms_dlb_account()) may use only what the
 * goals leave of @dl_cap_mcpu. Whatever the correction, a VM with a limit
 * never gets more runtime than its limit: the ceiling holds in the window
 * after its demand rises, too.
 */
void kvms_dlb_plan(struct kvms_dlb **v, unsigned int n, u32 reservable_mcpu,
		   u32 dl_cap_mcpu)
{
	u64 base_sum = 0, extra_sum = 0, room, tsum = 0, msum = 0, mroom;
	u64 gsum = 0, pos_adj = 0, adj_room;
	unsigned int i;

	for (i = 0; i < n; i++) {
		u32 ent = kvms_dlb_want(v[i]);
		u32 base = min(v[i]->policy->reservation_mcpu, ent);

		if (v[i]->policy->bound == KVMSCHED_BOUND_NONE)
			continue;
		base_sum += base;
		extra_sum += ent - base;
	}
	room = reservable_mcpu > base_sum ? reservable_mcpu - base_sum : 0;
	/* Deadline parts, and the margins floors get where reservable has room. */
	for (i = 0; i < n; i++) {
		struct kvms_dlb *b = v[i];

		b->next = 0;
		if (!kvms_dlb_runs(b))
			continue;
		b->next = kvms_dlb_total(b, room, extra_sum, base_sum,
					 reservable_mcpu);
		tsum += b->next;
		if (b->policy->bound == KVMSCHED_BOUND_RESERVATION)
			msum += div_u64((u64)b->next * KVMS_DL_MARGIN_PCT, 100);
	}
	mroom = reservable_mcpu > tsum ? reservable_mcpu - tsum : 0;
	for (i = 0; i < n; i++) {
		struct kvms_dlb *b = v[i];
		const struct kvms_policy_vm *p = b->policy;
		u64 m = 0;

		if (b->next && p->bound == KVMSCHED_BOUND_RESERVATION) {
			m = div_u64((u64)b->next * KVMS_DL_MARGIN_PCT, 100);
			if (msum > mroom)
				m = div64_u64(m * mroom, msum);
			/* a floor's margin never lifts it over its limit */
			if (p->limit_mcpu)
				m = min_t(u64, m, p->limit_mcpu -
					  min(p->limit_mcpu, b->next));
		}
		/* The goal: what the VM should receive this period. */
		if (b->next + m != b->target)
			b->adj = 0;	/* a new goal starts afresh */
		b->target = b->next + m;
		gsum += b->target;
		if (b->target && b->adj > 0)
			pos_adj += b->adj;
	}
	/*
	 * Corrections make up for runtime the kernel did not deliver, so what
	 * the VMs receive stays at their goals (under reservable-mcpu); in
	 * runtime they may only use what the kernel's own admission leaves.
	 */
	adj_room = dl_cap_mcpu > gsum ? dl_cap_mcpu - gsum : 0;
	for (i = 0; i < n; i++) {
		struct kvms_dlb *b = v[i];
		s64 adj = b->adj, rt;

		b->runtime = 0;
		if (b->target) {
			if (adj > 0 && pos_adj > adj_room)
				adj = div64_u64((u64)adj * adj_room, pos_adj);
			rt = max_t(s64, (s64)b->target + adj, 1);
			if (b->policy->limit_mcpu)
				rt = min_t(s64, rt, b->policy->limit_mcpu);
			b->runtime = rt;
		}
		b->grows = b->runtime > b->last_runtime;
	}
}

/**
 * kvms_dlb_reset() - forget a VM's feedback and miss window
 * @b: the budget (its VM's threads were given back their attributes)
 */
void kvms_dlb_reset(struct kvms_dlb *b)
{
	b->win_used = 0;
	b->win_periods = 0;
	b->target = 0;
	b->adj = 0;
	b->runtime = 0;
	b->last_runtime = 0;
	b->grows = false;
}

/**
 * kvms_dl_check() - may a vCPU thread run in SCHED_DEADLINE now?
 * @t: what the mechanism read of the thread
 *
 * A thread that is in the class is checked for staying (narrowed, stuck);
 * one that is not, for entering (narrowed, still leaving).
 *
 * Return: KVMSCHED_DL_BLOCK_NONE, or why not (enum kvmsched_dl_block).
 */
enum kvmsched_dl_block kvms_dl_check(const struct kvms_dl_view *t)
{
	if (t->exiting)
		return KVMSCHED_DL_BLOCK_EXITING;
	if (t->narrowed)
		return KVMSCHED_DL_BLOCK_PINNED;
	if (!t->in_dl)
		return t->throttled && t->inactive_armed ? KVMSCHED_DL_BLOCK_LEAVING :
							   KVMSCHED_DL_BLOCK_NONE;
	if (t->runnable && t->throttled && !t->timer_armed && !t->cpu_ns)
		return KVMSCHED_DL_BLOCK_STUCK;
	return KVMSCHED_DL_BLOCK_NONE;
}
