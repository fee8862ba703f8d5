/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmsched policy core: how much CPU each VM is entitled to, and which
 * fair-class weights (nice levels) make the kernel deliver it.
 *
 * KVM-free and scheduler-free: plain arithmetic over plain structs, tested
 * by the KUnit suite kvmsched_policy on UML. The mechanism (enforce.c) feeds
 * it measured demand and applies its output to the vCPU threads.
 */
#ifndef _KVMSCHED_POLICY_H
#define _KVMSCHED_POLICY_H

#include <linux/types.h>

/*
 * Classes, bounds, weights and their ranges are the uapi header's, which is
 * generated from the netlink spec (the one source of these numbers).
 */
#include "../uapi/linux/kvmsched.h"

#define KVMS_CLASS_MAX		KVMSCHED_CLASS_LATENCY

/* A vCPU that wanted at least this much CPU last period counts as active. */
#define KVMS_ACTIVE_MCPU	50
/* ... in the latency class: any CPU at all */
#define KVMS_LATENCY_ACTIVE_MCPU	1
/*
 * An active vCPU that wanted less than this, mcpu, is light: an idle
 * guest CPU waking for its timer ticks, or a vCPU that sleeps most of the
 * time. It needs only what it wants, not an equal part of its VM's weight
 * (kvms_policy_nr_weighted()).
 */
#define KVMS_LIGHT_MCPU		100

/*
 * Weight correction (kvms_policy_correct()): how much of a contended VM's
 * relative shortfall, per mille, goes into its correction each period, and
 * the most the correction may scale its weight by (+-, per mille).
 */
#define KVMS_CORR_GAIN_PCT	25
#define KVMS_CORR_MAX_PERMILLE	250
/* ... and the least share (mcpu) it corrects: smaller ones are all noise */
#define KVMS_CORR_MIN_MCPU	20

/*
 * A vCPU on a CPU at the sample whose demand is within a tick of a whole
 * CPU counts as wanting one (kvms_measure()), while a tick is at most this
 * part of the period, mcpu (40 at HZ 250 and the default period_ms).
 */
#define KVMS_TICK_ROUND_MCPU	50

/*
 * Most deadline bandwidth one vCPU thread is given, per mille of a CPU, so
 * a bound vCPU never monopolises the CPU it runs on.
 */
#define KVMS_DL_VCPU_MAX_MCPU	950	/* the "950" of the messages */

/*
 * Deadline part a halted vCPU of a limit-bound VM keeps, at most, mcpu:
 * enough to wake and be seen wanting CPU next period (it then uses all of
 * it), small enough that the parts of all vCPUs stay under the limit.
 */
#define KVMS_DL_IDLE_MCPU	KVMS_ACTIVE_MCPU

/*
 * A window of KVMS_MISS_WINDOW periods in which the VM wanted its reservation
 * misses it when the VM received under KVMS_MISS_PCT of it.
 */
#define KVMS_MISS_PCT		98
#define KVMS_MISS_WINDOW	10

/* The fair-class weight of nice 0, which one whole CPU of entitlement maps to. */
#define KVMS_NICE0_WEIGHT	1024

/*
 * The level under nice 19: SCHED_IDLE (weight 3), for vCPUs entitled to
 * (next to) nothing, e.g. the light side of 1:10000 weights.
 */
#define KVMS_NICE_IDLE		20

/**
 * struct kvms_policy_vm - one VM as the policy sees it
 * @class:	KVMS_CLASS_* (input)
 * @weight:	KVMSCHED_WEIGHT_MIN..KVMSCHED_WEIGHT_MAX (input)
 * @nr_active:	vCPUs that wanted CPU last period (input)
 * @nr_light:	of those, the ones that wanted under KVMS_LIGHT_MCPU
 *		(input; see kvms_policy_nr_weighted())
 * @light_mcpu:	what those light vCPUs wanted together (input)
 * @demand_mcpu: CPU the VM wanted last period: the sum over its vCPUs of
 *		 used + waiting time, each capped at one CPU (input)
 * @reservation_mcpu: CPU floor, 0 = none (input; at most @limit_mcpu when
 *		 that is set, see kvms_policy_check_bounds())
 * @limit_mcpu:	CPU ceiling, 0 = none (input)
 * @entitled_mcpu: max-min weighted fair entitlement, clamped to
 *		[min(reservation, demand), min(limit, demand)] (output)
 * @share_mcpu:	the VM's fair share at the final water level, capped at
 *		@nr_active CPUs and at the limit; at least @entitled_mcpu.
 *		Weights are derived from it so that a VM using less than its
 *		share can burst up to it (output)
 * @bound:	KVMS_BOUND_*: RESERVATION when the floor decided
 *		@entitled_mcpu, else LIMIT whenever the VM has a limit (busy
 *		or idle: the mechanism holds it under min(limit, @share_mcpu)
 *		whatever its demand does next), else RESERVATION when the VM
 *		has a reservation and wants CPU, else LATENCY for a
 *		latency-class VM that wants CPU, else BOOST for a shares VM
 *		that wants CPU in bursts under @boost_below_us; the mechanism
 *		enforces
 *		@entitled_mcpu of a RESERVATION-bound VM exactly, and holds a
 *		LATENCY- or BOOST-bound one under its @share_mcpu (output)
 * @floored:	the floor decided @entitled_mcpu: the weight alone would give
 *		less (output)
 * @rt_priority: KVMSCHED_RT_PRIORITY_MIN..MAX, realtime class (input;
 *		last, so the tests' positional initialisers stay short)
 * @burst_us:	the longest mean run burst of its active vCPUs last period,
 *		us; U32_MAX when one of them was preempted in more of its
 *		runs than it blocked in (CPU-bound) (input)
 * @boost_below_us: burst_threshold_us with burst_boost on, 0 off (input)
 * @used_mcpu:	CPU its vCPUs received last period (input)
 * @wait_mcpu:	time its vCPUs waited for a CPU last period, mcpu (input)
 * @steady:	last period ran under one plan: no vm-set changed it midway
 *		(input)
 * @corr_permille: weight correction, -KVMS_CORR_MAX_PERMILLE..
 *		+KVMS_CORR_MAX_PERMILLE: kvms_policy_correct() updates it from
 *		what the VM received, kvms_policy_target_weight() scales the
 *		weight by (1000 + it) / 1000 (state, kept between periods;
 *		zero when the VM is created)
 */
struct kvms_policy_vm {
	u8 class;
	u32 weight;
	u32 nr_active;
	u32 demand_mcpu;
	u32 reservation_mcpu;
	u32 limit_mcpu;
	u32 entitled_mcpu;
	u32 share_mcpu;
	u8 bound;
	bool floored;
	u32 rt_priority;
	u32 burst_us;
	u32 boost_below_us;
	u32 nr_light;
	u32 light_mcpu;
	u32 used_mcpu;
	u32 wait_mcpu;
	bool steady;
	s32 corr_permille;
};

/**
 * struct kvms_mix - nice levels for a VM's active vCPUs this period
 * @nice_hi:	the lower nice (higher weight) of two adjacent levels,
 *		-20..19
 * @nr_hi:	how many active vCPUs get @nice_hi; the rest get @nice_hi + 1,
 *		which is KVMS_NICE_IDLE (run them SCHED_IDLE) after 19
 */
struct kvms_mix {
	int nice_hi;
	u32 nr_hi;
};

u32 kvms_reservable_mcpu(u32 capacity_mcpu, u32 headroom_pct, u32 dl_pct);
int kvms_policy_check_bounds(u32 nr_vcpus, u32 reservation_mcpu,
			     u32 limit_mcpu, const char **why);
int kvms_policy_admit(u32 reservable_mcpu, u32 reserved_mcpu, u32 old_mcpu,
		      u32 new_mcpu, u32 *left_mcpu);
u32 kvms_policy_split(u32 total_mcpu, u32 k, u32 i);
u32 kvms_policy_idle_part(u32 total_mcpu, u32 nr_vcpus);
int kvms_policy_entitle(struct kvms_policy_vm **vms, unsigned int n,
			u32 capacity_mcpu);
u32 kvms_policy_entitle_rt(struct kvms_policy_vm **vms, unsigned int n,
			   u32 rt_cap_mcpu);
u64 kvms_policy_rt_budget_ns(u64 window_ns, u32 headroom_pct, u32 nr_cpus);
u64 kvms_policy_rt_check_ns(u64 budget_ns, u64 used_ns, u32 nr_cpus,
			    u64 min_ns);
u32 kvms_nice_weight(int nice);
u32 kvms_policy_nr_weighted(const struct kvms_policy_vm *vm);
u64 kvms_policy_target_weight(const struct kvms_policy_vm *vm);
void kvms_policy_correct(struct kvms_policy_vm **vms, unsigned int n);
void kvms_policy_mix(u64 target, u32 k, s64 *carry, struct kvms_mix *mix);

#endif /* _KVMSCHED_POLICY_H */
