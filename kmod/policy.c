// SPDX-License-Identifier: GPL-2.0
/*
 * kvmsched policy core (KVM-free, see policy.h and Documentation/design.rst).
 *
 * 1. Entitlement: weighted max-min fairness ("water filling") over the
 *    host's CPU capacity, per VM, whatever its vCPU count. A VM never gets
 *    more than it wants (its demand); what it leaves is shared by the others
 *    in proportion to their weights. Shares VMs are served first; background
 *    VMs share what is left.
 *
 * 2. Weights: the kernel divides CPU between runnable threads in proportion
 *    to their fair-class weights. A VM's share is spread evenly over its
 *    active vCPUs and scaled so that one whole CPU is the weight of nice 0.
 *    Nice levels are ~1.25x apart, so one level per vCPU can miss the target
 *    by ~12 %. Instead, a VM's k active vCPUs are split between two adjacent
 *    levels so that their summed weight is closest to k x target, and what
 *    is still missed is carried into the next period (error diffusion), so a
 *    1-vCPU VM alternates between the two levels in the right proportion.
 *
 * 3. Bounds (part 2): a VM's reservation is a floor and its limit a ceiling
 *    on its entitlement: entitled = clamp(weight x level, lo, hi) with
 *    lo = min(reservation, demand) and hi = min(limit, demand), where the
 *    water level is the one at which the entitlements add up to the
 *    capacity. Every VM's floor is set aside first, whatever its class;
 *    a limit simply caps what the VM wants. A VM is "bound" when its limit
 *    decided its entitlement, or when it has a reservation and wants CPU
 *    (weights cannot promise a floor against host tasks): the mechanism
 *    then enforces its entitlement exactly (with SCHED_DEADLINE) instead of
 *    through weights.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/minmax.h>

#include "policy.h"

/*
 * The kernel's sched_prio_to_weight[], nice -20..19 (kernel/sched/core.c),
 * and one more level under nice 19: KVMS_NICE_IDLE, SCHED_IDLE's weight
 * (WEIGHT_IDLEPRIO).
 */
static const u32 kvms_prio_to_weight[41] = {
	/* -20 */ 88761, 71755, 56483, 46273, 36291,
	/* -15 */ 29154, 23254, 18705, 14949, 11916,
	/* -10 */  9548,  7620,  6100,  4904,  3906,
	/*  -5 */  3121,  2501,  1991,  1586,  1277,
	/*   0 */  1024,   820,   655,   526,   423,
	/*   5 */   335,   272,   215,   172,   137,
	/*  10 */   110,    87,    70,    56,    45,
	/*  15 */    36,    29,    23,    18,    15,
	/* idle */    3,
};

/**
 * kvms_nice_weight() - the fair-class weight of a nice level
 * @nice: -20..19, or KVMS_NICE_IDLE for SCHED_IDLE (clamped to that range)
 *
 * Return: the weight, as the kernel uses it (nice 0 = 1024, idle = 3).
 */
u32 kvms_nice_weight(int nice)
{
	return kvms_prio_to_weight[clamp(nice, -20, KVMS_NICE_IDLE) + 20];
}

/*
 * Water-fill @cap over the VMs of @class: set their entitled_mcpu and
 * share_mcpu, and return what is left of @cap.
 *
 * The water level (CPU per unit of weight) only rises as VMs are found
 * satisfied (their demand is under their weighted slice of what is left),
 * so a pass over the VMs can settle them as it goes; passes repeat until
 * one settles nobody (a few in practice). What is left is then split by
 * weight among the unsatisfied VMs, and that level also sets the share of
 * the satisfied ones, capped at one CPU per active vCPU. No sorting, no
 * allocation.
 */
/* What @v can use: its demand, capped by its limit. */
static u32 kvms_hi(const struct kvms_policy_vm *v)
{
	if (v->limit_mcpu && v->limit_mcpu < v->demand_mcpu)
		return v->limit_mcpu;
	return v->demand_mcpu;
}

/* The floor of @v: its reservation, but never more than it can use. */
static u32 kvms_lo(const struct kvms_policy_vm *v)
{
	return min(v->reservation_mcpu, kvms_hi(v));
}

/*
 * The fill @v's class takes part in: the latency class is the shares class
 * as far as CPU goes (it changes when a vCPU runs, not how much).
 */
static u8 kvms_fill_class(const struct kvms_policy_vm *v)
{
	return v->class == KVMSCHED_CLASS_LATENCY ? KVMSCHED_CLASS_SHARES : v->class;
}

/* @v takes part in this fill: of @class and not fixed at its floor. */
static bool kvms_in_fill(const struct kvms_policy_vm *v, u8 class)
{
	return kvms_fill_class(v) == class && !v->floored;
}

static u32 kvms_fill(struct kvms_policy_vm **vms, unsigned int n, u32 cap, u8 class)
{
	u64 wsum = 0, left = cap, lvl_num, lvl_den;
	unsigned int i, unsat = 0;
	bool settled;

	for (i = 0; i < n; i++) {
		struct kvms_policy_vm *v = vms[i];

		if (!kvms_in_fill(v, class))
			continue;
		/* share_mcpu doubles as "not satisfied yet" until the end */
		v->entitled_mcpu = 0;
		v->share_mcpu = 1;
		wsum += v->weight;
		unsat++;
	}
	do {
		settled = false;
		for (i = 0; i < n && unsat; i++) {
			struct kvms_policy_vm *v = vms[i];

			if (!kvms_in_fill(v, class) || !v->share_mcpu)
				continue;
			/* hi <= left * weight / wsum, without dividing */
			if ((u64)kvms_hi(v) * wsum > left * v->weight)
				continue;
			v->entitled_mcpu = kvms_hi(v);
			v->share_mcpu = 0;
			left -= v->entitled_mcpu;
			wsum -= v->weight;
			unsat--;
			settled = true;
		}
	} while (settled && unsat);

	/* The water level the unsatisfied VMs settle at: left / wsum. */
	lvl_num = left;
	lvl_den = wsum;
	for (i = 0; i < n; i++) {
		struct kvms_policy_vm *v = vms[i];
		u64 slice;

		if (!kvms_in_fill(v, class) || !v->share_mcpu)
			continue;
		slice = div64_u64(left * v->weight, wsum);
		v->entitled_mcpu = slice;
		v->share_mcpu = slice | (1ULL << 31);	/* still "unsatisfied" */
		left -= slice;
		wsum -= v->weight;
	}
	for (i = 0; i < n; i++) {
		struct kvms_policy_vm *v = vms[i];
		u64 share = (u64)v->nr_active * 1000;

		if (!kvms_in_fill(v, class))
			continue;
		if (v->share_mcpu) {	/* unsatisfied: its slice */
			v->share_mcpu = v->entitled_mcpu;
			continue;
		}
		if (lvl_den)
			share = min(share, div64_u64(lvl_num * v->weight, lvl_den));
		if (v->limit_mcpu)
			share = min_t(u64, share, v->limit_mcpu);
		v->share_mcpu = max_t(u64, share, v->entitled_mcpu);
	}
	return left;
}

/*
 * Shortest-burst boost: a shares VM that wants CPU, and whose active vCPUs
 * all ran in bursts shorter than the threshold last period, each ending in
 * a halt more often than in a preemption (I/O-bound, interactive), is run
 * as a latency VM is: ahead of every fair-class thread, within its share.
 */
static bool kvms_policy_boosted(const struct kvms_policy_vm *v)
{
	return v->class == KVMSCHED_CLASS_SHARES && v->nr_active &&
	       v->boost_below_us && v->burst_us < v->boost_below_us;
}

/*
 * Clamped water filling of @cap over the VMs of @class: the plain fill, and
 * every VM that came out under its floor is fixed at it and the rest filled
 * again. With @floors_inside, fixed floors come out of @cap: that only
 * lowers the level for the others, so a fixed VM stays fixed and this ends
 * after at most n rounds (one or two in practice). Otherwise floors come on
 * top of @cap (their room was set aside before), the level only rises, and
 * it ends after two rounds. Return: what is left of @cap.
 */
static u32 kvms_fill_bounded(struct kvms_policy_vm **vms, unsigned int n, u32 cap,
			     u8 class, bool floors_inside)
{
	u64 fixed = 0;
	unsigned int i;
	bool again;
	u32 left;

	for (i = 0; i < n; i++) {
		if (kvms_fill_class(vms[i]) == class)
			vms[i]->floored = false;
	}
	do {
		left = kvms_fill(vms, n, fixed < cap ? cap - fixed : 0, class);
		again = false;
		for (i = 0; i < n; i++) {
			struct kvms_policy_vm *v = vms[i];

			if (!kvms_in_fill(v, class) ||
			    v->entitled_mcpu >= kvms_lo(v))
				continue;
			v->floored = true;
			if (floors_inside)
				fixed += kvms_lo(v);
			again = true;
		}
	} while (again);
	for (i = 0; i < n; i++) {
		struct kvms_policy_vm *v = vms[i];

		if (kvms_fill_class(v) != class)
			continue;
		if (v->floored) {
			v->entitled_mcpu = kvms_lo(v);
			v->share_mcpu = v->entitled_mcpu;
		}
		/*
		 * A limit holds whatever the VM's demand was last period
		 * (demand can jump within one), unless its floor decided.
		 */
		if (v->floored)
			v->bound = KVMSCHED_BOUND_RESERVATION;
		else if (v->limit_mcpu)
			v->bound = KVMSCHED_BOUND_LIMIT;
		else if (kvms_lo(v))
			v->bound = KVMSCHED_BOUND_RESERVATION;
		else if (v->class == KVMSCHED_CLASS_LATENCY && v->nr_active)
			v->bound = KVMSCHED_BOUND_LATENCY;
		else if (kvms_policy_boosted(v))
			v->bound = KVMSCHED_BOUND_BOOST;
		else
			v->bound = KVMSCHED_BOUND_NONE;
	}
	return left;
}

/**
 * kvms_policy_entitle_rt() - entitlements of the realtime VMs
 * @vms:		the VMs (others are skipped)
 * @n:			how many
 * @rt_cap_mcpu:	what the realtime VMs may take together: the capacity
 *			less reserve_headroom_pct (the starvation watchdog's
 *			budget)
 *
 * Realtime VMs run before every other class (but deadline vCPUs: latency
 * VMs and bound VMs, within what is left), higher rt_priority first and
 * equal priorities in @vms order (first come, first served): each is
 * entitled to its demand, as far as @rt_cap_mcpu reaches. No bound.
 *
 * Context: any; no allocation. O(n) per priority level in use.
 * Return: the mcpu given to realtime VMs; kvms_policy_entitle() divides
 * the rest of the capacity.
 */
u32 kvms_policy_entitle_rt(struct kvms_policy_vm **vms, unsigned int n,
			   u32 rt_cap_mcpu)
{
	u32 left = rt_cap_mcpu, prio = KVMSCHED_RT_PRIORITY_MAX + 1, next;
	unsigned int i;

	for (;;) {
		/* the highest priority under @prio that a realtime VM has */
		next = 0;
		for (i = 0; i < n; i++) {
			const struct kvms_policy_vm *v = vms[i];

			if (v->class == KVMSCHED_CLASS_REALTIME &&
			    v->rt_priority < prio && v->rt_priority > next)
				next = v->rt_priority;
		}
		if (!next)
			break;
		prio = next;
		for (i = 0; i < n; i++) {
			struct kvms_policy_vm *v = vms[i];

			if (v->class != KVMSCHED_CLASS_REALTIME ||
			    v->rt_priority != prio)
				continue;
			v->entitled_mcpu = min(v->demand_mcpu, left);
			v->share_mcpu = v->entitled_mcpu;
			v->bound = KVMSCHED_BOUND_NONE;
			v->floored = false;
			left -= v->entitled_mcpu;
		}
	}
	return rt_cap_mcpu - left;
}

/**
 * kvms_policy_rt_budget_ns() - what realtime vCPUs may run in one window
 * @window_ns:		the watchdog's window (one period)
 * @headroom_pct:	reserve_headroom_pct, kept for everything else
 * @nr_cpus:		the online CPUs the realtime vCPU threads may run on
 *
 * Return: @window_ns x @nr_cpus x (100 - @headroom_pct) / 100, ns of CPU.
 */
u64 kvms_policy_rt_budget_ns(u64 window_ns, u32 headroom_pct, u32 nr_cpus)
{
	u32 pct = 100 - min(headroom_pct, 100U);

	return div_u64(window_ns * pct, 100) * nr_cpus;
}

/**
 * kvms_policy_rt_check_ns() - when the watchdog must look again
 * @budget_ns:	the window's budget (kvms_policy_rt_budget_ns())
 * @used_ns:	what the realtime vCPU threads ran so far in the window
 * @nr_cpus:	the CPUs they may run on: they use at most this many ns of
 *		CPU per ns
 * @min_ns:	the shortest sleep (timer granularity)
 *
 * Return: 0 when the budget is spent (throttle now), else the time, ns,
 * before which the threads cannot spend it, at least @min_ns.
 */
u64 kvms_policy_rt_check_ns(u64 budget_ns, u64 used_ns, u32 nr_cpus,
			    u64 min_ns)
{
	if (used_ns >= budget_ns)
		return 0;
	return max(div_u64(budget_ns - used_ns, max(nr_cpus, 1U)), min_ns);
}

/**
 * kvms_policy_entitle() - max-min weighted fair entitlements within bounds
 * @vms:		the VMs
 * @n:			how many
 * @capacity_mcpu:	CPU to divide, millicpus
 *
 * The floors of background VMs are set aside first; shares VMs are filled
 * from the rest, then background VMs from what shares VMs leave, each one
 * under its floor getting the floor from the room set aside. Sets each VM's
 * entitled_mcpu, share_mcpu and bound.
 *
 * Context: any; no allocation. O(n) per pass, a few passes in practice.
 * Return: 0, or -EINVAL if a VM has a weight, class or bounds out of range
 * (the VMs are then left unchanged).
 */
int kvms_policy_entitle(struct kvms_policy_vm **vms, unsigned int n,
			u32 capacity_mcpu)
{
	u64 bg_floor = 0;
	unsigned int i;
	u32 left, cap;

	for (i = 0; i < n; i++) {
		const struct kvms_policy_vm *v = vms[i];

		if (v->weight < KVMSCHED_WEIGHT_MIN ||
		    v->weight > KVMSCHED_WEIGHT_MAX ||
		    v->class > KVMS_CLASS_MAX ||
		    v->reservation_mcpu > KVMSCHED_MCPU_MAX ||
		    v->limit_mcpu > KVMSCHED_MCPU_MAX ||
		    (v->limit_mcpu && v->reservation_mcpu > v->limit_mcpu))
			return -EINVAL;
		if (v->class == KVMSCHED_CLASS_BACKGROUND)
			bg_floor += kvms_lo(v);
	}
	cap = bg_floor < capacity_mcpu ? capacity_mcpu - bg_floor : 0;
	left = kvms_fill_bounded(vms, n, cap, KVMSCHED_CLASS_SHARES, true);
	kvms_fill_bounded(vms, n, left, KVMSCHED_CLASS_BACKGROUND, false);
	return 0;
}

/**
 * kvms_reservable_mcpu() - what the sum of reservations may reach
 * @capacity_mcpu:	active CPUs x 1000
 * @headroom_pct:	reserve_headroom_pct, kept for everything not a vCPU
 * @dl_pct:		share of each CPU the kernel's deadline admission
 *			allows (95, or 90 with a fair server)
 *
 * Return: @capacity_mcpu x min(100 - @headroom_pct, @dl_pct) / 100.
 */
u32 kvms_reservable_mcpu(u32 capacity_mcpu, u32 headroom_pct, u32 dl_pct)
{
	u32 pct = min(100 - min(headroom_pct, 100U), dl_pct);

	return div_u64((u64)capacity_mcpu * pct, 100);
}

/**
 * kvms_policy_check_bounds() - are a VM's reservation and limit consistent
 * @nr_vcpus:		the VM's vCPUs
 * @reservation_mcpu:	the floor asked for (0 = none)
 * @limit_mcpu:		the ceiling asked for (0 = none)
 * @why:		set to what is wrong on failure (a string literal)
 *
 * Return: 0, or -EINVAL if the reservation exceeds @nr_vcpus x
 * KVMS_DL_VCPU_MAX_MCPU (what deadline vCPUs can hold at most) or the
 * limit.
 */
int kvms_policy_check_bounds(u32 nr_vcpus, u32 reservation_mcpu,
			     u32 limit_mcpu, const char **why)
{
	if (reservation_mcpu > (u64)nr_vcpus * KVMS_DL_VCPU_MAX_MCPU) {
		*why = "reservation_mcpu exceeds nr_vcpus x 950";
		return -EINVAL;
	}
	if (limit_mcpu && reservation_mcpu > limit_mcpu) {
		*why = "reservation_mcpu exceeds limit_mcpu";
		return -EINVAL;
	}
	return 0;
}

/**
 * kvms_policy_admit() - admission control for one VM's new reservation
 * @reservable_mcpu:	what all reservations together may reach
 * @reserved_mcpu:	the sum of reservations now, @old_mcpu included
 * @old_mcpu:		the VM's reservation now
 * @new_mcpu:		the VM's reservation asked for
 * @left_mcpu:		set to what this VM could have at most
 *
 * Lowering a reservation is always admitted, even on an over-committed
 * host (a CPU went offline).
 *
 * Return: 0 if admitted, -EBUSY if the sum would exceed @reservable_mcpu.
 */
int kvms_policy_admit(u32 reservable_mcpu, u32 reserved_mcpu, u32 old_mcpu,
		      u32 new_mcpu, u32 *left_mcpu)
{
	u32 others = reserved_mcpu - min(old_mcpu, reserved_mcpu);

	*left_mcpu = others < reservable_mcpu ? reservable_mcpu - others : 0;
	if (new_mcpu <= old_mcpu || new_mcpu <= *left_mcpu)
		return 0;
	return -EBUSY;
}

/**
 * kvms_policy_split() - one vCPU's part of a VM's bound entitlement
 * @total_mcpu:	the VM's entitlement
 * @k:		its active vCPUs (halted ones hold none)
 * @i:		this vCPU's index among the active ones, 0..k-1
 *
 * An even split; the remainder goes one millicpu each to the first vCPUs,
 * so the parts add up to @total_mcpu. Each part is capped at
 * KVMS_DL_VCPU_MAX_MCPU.
 *
 * Return: the vCPU's part, millicpus (0 if @k is 0 or @i out of range).
 */
u32 kvms_policy_split(u32 total_mcpu, u32 k, u32 i)
{
	u32 part;

	if (!k || i >= k)
		return 0;
	part = total_mcpu / k + (i < total_mcpu % k ? 1 : 0);
	return min_t(u32, part, KVMS_DL_VCPU_MAX_MCPU);
}

/**
 * kvms_policy_idle_part() - the deadline part of a limited VM's halted vCPU
 * @total_mcpu:	the VM's deadline total (under its limit)
 * @nr_vcpus:	all its vCPUs
 *
 * A halted vCPU of a limit-bound VM keeps a small deadline part, taken out
 * of @total_mcpu before the active vCPUs split the rest, so that one that
 * wakes cannot exceed the limit before the next period. Every vCPU holds at
 * least 1 mcpu, so a limit under @nr_vcpus mcpu is held at @nr_vcpus mcpu.
 *
 * Return: @total_mcpu / @nr_vcpus, within 1..KVMS_DL_IDLE_MCPU.
 */
u32 kvms_policy_idle_part(u32 total_mcpu, u32 nr_vcpus)
{
	if (!nr_vcpus)
		return 1;
	return clamp_t(u32, total_mcpu / nr_vcpus, 1, KVMS_DL_IDLE_MCPU);
}

/**
 * kvms_policy_nr_weighted() - how many active vCPUs share a VM's weight
 * @vm: a VM
 *
 * The light ones (under KVMS_LIGHT_MCPU) get what they want out of the
 * VM's share and run at the others' higher level, which they do not use;
 * the others split the rest. Were they counted as equals, a VM with busy
 * vCPUs and idle ones that wake for timer ticks (now under
 * KVMS_ACTIVE_MCPU, now over it) would give its busy vCPUs a smaller part
 * in every period they were counted: 2.6 pp short of an equal VM without
 * idle vCPUs on 6.12 (make bench, P1), 0.5 pp on 6.1. When every active
 * vCPU is light, they are all equals again.
 *
 * Return: the active vCPUs that are not light, or all active ones.
 */
u32 kvms_policy_nr_weighted(const struct kvms_policy_vm *vm)
{
	if (vm->nr_light >= vm->nr_active)
		return vm->nr_active;
	return vm->nr_active - vm->nr_light;
}

/**
 * kvms_policy_target_weight() - summed weight of a VM's weighted vCPUs
 * @vm: a VM after kvms_policy_entitle()
 *
 * share_mcpu, less what its light vCPUs want (kvms_policy_nr_weighted()),
 * over its k weighted vCPUs, at most one CPU each; one CPU =
 * KVMS_NICE0_WEIGHT; scaled by the VM's correction (kvms_policy_correct()),
 * but never over nice 0 per vCPU, so that no vCPU thread weighs more than a
 * nice-0 host task.
 *
 * Return: k x per-vCPU target weight, or 0 for a VM with no active vCPU.
 */
u64 kvms_policy_target_weight(const struct kvms_policy_vm *vm)
{
	u32 k = kvms_policy_nr_weighted(vm), share;
	s32 corr = clamp_t(s32, vm->corr_permille, -KVMS_CORR_MAX_PERMILLE,
			   KVMS_CORR_MAX_PERMILLE);

	if (!k)
		return 0;
	share = vm->share_mcpu;
	if (k < vm->nr_active)
		share -= min(share, vm->light_mcpu);
	return min_t(u64, div_u64((u64)min(share, k * 1000) * KVMS_NICE0_WEIGHT *
				  (u32)(1000 + corr) + 500000, 1000000),
		     (u64)k * KVMS_NICE0_WEIGHT);
}

/*
 * Does kvms_policy_correct() compare @v with the others? A shares VM that
 * ran by weights last period (bound NONE) under one plan, with a share of
 * at least KVMS_CORR_MIN_MCPU, that wanted all of it and waited for a CPU
 * (at least 2 % of its share): more weight would have given it more. A
 * VM that did not wait is not short for want of weight, whatever it used.
 */
static bool kvms_policy_contended(const struct kvms_policy_vm *v)
{
	return v->class == KVMSCHED_CLASS_SHARES &&
	       v->bound == KVMSCHED_BOUND_NONE && v->steady && v->nr_active &&
	       v->share_mcpu >= KVMS_CORR_MIN_MCPU &&
	       (u64)v->demand_mcpu * 50 >= (u64)v->share_mcpu * 49 &&
	       (u64)v->wait_mcpu * 50 >= v->share_mcpu;
}

/* Does @v keep its correction while it is not compared? */
static bool kvms_policy_corr_held(const struct kvms_policy_vm *v)
{
	return v->class == KVMSCHED_CLASS_SHARES &&
	       v->bound == KVMSCHED_BOUND_NONE && v->nr_active;
}

/**
 * kvms_policy_correct() - correct the weights by what the VMs received
 * @vms:	every VM, with last period's share_mcpu and bound (call it
 *		before kvms_policy_entitle()) and measurements
 * @n:		how many
 *
 * Weights divide each CPU's time between the threads queued on it; the
 * kernel's load balancing places threads only roughly by load, and moves
 * the small ones. A 1-vCPU VM beside a 4-vCPU VM of equal weight (one
 * thread of weight 1024 against four of 256) loses whenever one of the
 * four sits on its CPU: on 6.12 it received 47.7 % instead of 50 % in one
 * boot (make bench, P1). cgroup v2 makes up for placement by spreading a
 * group's weight over the CPUs by its load on each; kvmsched measures
 * instead.
 *
 * When at least two VMs are contended (kvms_policy_contended()), each
 * should have received its share's part of what they received together; a
 * VM's correction moves by KVMS_CORR_GAIN_PCT of its relative shortfall
 * (an integral controller), within +-KVMS_CORR_MAX_PERMILLE, and the
 * share-weighted mean of their corrections is then taken out, so that
 * corrections move weight between them rather than add to it. That is
 * not exact: a VM at the nice-0 ceiling (kvms_policy_target_weight()) gains
 * only through the others' negative corrections, so their summed weight
 * against host tasks falls, and a bound can cut what the mean gives back.
 * A shares VM that runs by weights and is not compared this period (it did
 * not wait, or a vm-set changed its plan) keeps its correction; any other
 * VM's decays by a quarter a period.
 */
void kvms_policy_correct(struct kvms_policy_vm **vms, unsigned int n)
{
	u64 used = 0, share = 0;
	unsigned int i, nr = 0;
	s64 sum = 0, mean;

	for (i = 0; i < n; i++)
		if (kvms_policy_contended(vms[i])) {
			used += vms[i]->used_mcpu;
			share += vms[i]->share_mcpu;
			nr++;
		}
	for (i = 0; i < n; i++) {
		struct kvms_policy_vm *v = vms[i];
		s64 rel, corr = v->corr_permille;
		u64 want;

		if (nr < 2 || !used || !kvms_policy_contended(v)) {
			if (!kvms_policy_corr_held(v))
				v->corr_permille = div_s64(corr * 3, 4);
			continue;
		}
		/*
		 * Shortfall relative to its part, share_i x used / share,
		 * per mille: (share_i x used - used_i x share) x 1000 over
		 * share_i x used (at most ~2^40 each: no overflow).
		 */
		want = (u64)v->share_mcpu * used;
		rel = div64_s64(((s64)want - (s64)v->used_mcpu * (s64)share) * 1000,
				(s64)want);
		rel = clamp_t(s64, rel, -1000, 1000);
		corr += div_s64(rel * KVMS_CORR_GAIN_PCT, 100);
		corr = clamp_t(s64, corr, -KVMS_CORR_MAX_PERMILLE,
			       KVMS_CORR_MAX_PERMILLE);
		v->corr_permille = corr;
		sum += corr * v->share_mcpu;
	}
	if (nr < 2 || !used)
		return;
	mean = div64_s64(sum, share);
	for (i = 0; i < n; i++)
		if (kvms_policy_contended(vms[i]))
			vms[i]->corr_permille =
				clamp_t(s64, vms[i]->corr_permille - mean,
					-KVMS_CORR_MAX_PERMILLE,
					KVMS_CORR_MAX_PERMILLE);
}

/**
 * kvms_policy_mix() - split k vCPUs between two adjacent nice levels
 * @target:	summed weight the k vCPUs should have this period
 * @k:		active vCPUs (>= 1)
 * @carry:	error carried between periods (in/out): weight the previous
 *		periods fell short of (positive) or exceeded (negative)
 * @mix:	the result
 *
 * Chooses the pair of adjacent levels around (target + carry) / k and how
 * many vCPUs take the higher weight, so that the summed weight is as close
 * as possible; the remaining error is carried. The carry is bounded by one
 * level step per vCPU, so it cannot wind up when the target is out of the
 * reachable range (below k x nice 19 or above k x nice -20).
 */
void kvms_policy_mix(u64 target, u32 k, s64 *carry, struct kvms_mix *mix)
{
	s64 want = (s64)target + *carry;
	s64 avg, applied, hi_w, lo_w, step;
	int nice;

	if (!k) {
		mix->nice_hi = 0;
		mix->nr_hi = 0;
		*carry = 0;
		return;
	}
	avg = want > 0 ? div_s64(want, k) : 0;
	/*
	 * The pair (nice, nice + 1) with weight(nice) >= avg > weight(nice + 1),
	 * where nice + 1 may be KVMS_NICE_IDLE; nice 19 when avg is at or under
	 * the idle weight, -20 when above nice -20.
	 */
	{
		/* binary search: weights fall as nice rises */
		int lo = -20, hi = KVMS_NICE_IDLE - 1;

		while (lo < hi) {
			int mid = lo + (hi - lo + 1) / 2;

			if (kvms_nice_weight(mid) >= avg)
				lo = mid;
			else
				hi = mid - 1;
		}
		nice = lo;
	}
	hi_w = kvms_nice_weight(nice);
	lo_w = kvms_nice_weight(nice + 1);
	step = hi_w - lo_w;
	/* j = round((want - k * lo) / step), clamped to 0..k */
	applied = want - (s64)k * lo_w;
	if (applied <= 0) {
		mix->nr_hi = 0;
	} else {
		u64 j = div64_u64((u64)applied + step / 2, step);

		mix->nr_hi = min_t(u64, j, k);
	}
	mix->nice_hi = nice;
	applied = (s64)mix->nr_hi * hi_w + (s64)(k - mix->nr_hi) * lo_w;
	*carry = clamp(want - applied, -(s64)k * step, (s64)k * step);
}
