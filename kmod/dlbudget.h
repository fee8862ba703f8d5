/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmsched deadline budget core: how much SCHED_DEADLINE runtime each bound
 * VM's vCPUs get every period, and when a vCPU thread may (not) run in
 * SCHED_DEADLINE.
 *
 * KVM-free and scheduler-free: plain arithmetic over plain structs, tested
 * by the KUnit suite kvmsched_dlbudget on UML. The mechanism (enforce.c)
 * measures, calls these functions and applies what they decide.
 */
#ifndef _KVMSCHED_DLBUDGET_H
#define _KVMSCHED_DLBUDGET_H

#include <linux/types.h>

#include "policy.h"

/*
 * A deadline vCPU that used this share of its runtime wanted more: runtime
 * comes in deadline-period slices enforced at ticks, so one period's usage
 * of a throttled vCPU can fall 10-20 % short of its runtime.
 */
#define KVMS_DL_SATURATED_PCT	75

/*
 * How far a bound VM's runtime is set inside its bound, percent: above a
 * floor (when reservable-mcpu has room for it), under a ceiling. Deadline
 * runtime is enforced at ticks, so what a vCPU receives scatters by about
 * a percent around its runtime.
 */
#define KVMS_DL_MARGIN_PCT	1

/**
 * struct kvms_dlb - a VM's deadline budget
 * @policy:	the policy's view of the VM (input; set once by the registry)
 * @nr_threads:	vCPU threads kvmsched manages for the VM: its vCPUs less
 *		those run by a thread another vCPU already manages (input)
 * @next:	scratch of kvms_dlb_plan()
 * @target:	what the bound VM should receive this period (its deadline
 *		part plus the margin of a floor), mcpu; 0: not bound
 * @adj:	feedback correction added to @target, mcpu
 * @runtime:	output of kvms_dlb_plan(): the deadline runtime the VM's
 *		vCPUs share this period, mcpu of one deadline period; 0: the
 *		VM is not bound (or has nothing to run)
 * @last_runtime: what the mechanism applied last period, mcpu (0: none);
 *		written by the mechanism after applying
 * @grows:	output of kvms_dlb_plan(): @runtime is over @last_runtime. The
 *		kernel admits deadline bandwidth per change, so a VM that grows
 *		before another one shrinks can be refused (EBUSY) although the
 *		whole plan fits: the mechanism applies growing VMs last.
 * @win_used:	CPU received in the current miss window, mcpu x periods
 * @win_periods: periods in the current miss window
 * @misses:	windows of KVMS_MISS_WINDOW periods in which the VM wanted its
 *		reservation and received under KVMS_MISS_PCT of it
 * @throttled_ns: time the VM's vCPUs were held back by its limit
 * @replanned:	the plan changed in the middle of this period (a vm-set
 *		applied at once), or a thread's change waited for the next
 *		period (a wake-up under way, kvms_set()): kvms_dlb_account()
 *		takes no feedback from it
 *
 * Written by the period worker (and a vm-set) under kvms_reg.lock; @misses and
 * @throttled_ns are read locklessly (READ_ONCE()) by sysfs and netlink.
 */
struct kvms_dlb {
	const struct kvms_policy_vm *policy;
	u32 nr_threads;
	u32 next;
	u32 target;
	s32 adj;
	u32 runtime;
	u32 last_runtime;
	bool grows;
	u64 win_used;
	u32 win_periods;
	u32 misses;
	u64 throttled_ns;
	bool replanned;
};

void kvms_dlb_account(struct kvms_dlb *b, u8 last_bound, bool saturated,
		      u32 used_mcpu, u64 throttled_ns);
u32 kvms_dlb_want(const struct kvms_dlb *b);
void kvms_dlb_plan(struct kvms_dlb **v, unsigned int n, u32 reservable_mcpu,
		   u32 dl_cap_mcpu);
void kvms_dlb_reset(struct kvms_dlb *b);

/*
 * Why a vCPU thread may not enter SCHED_DEADLINE now: enum kvmsched_dl_block
 * of the uapi header (the spec's dl-block), as kvms_dl_check() decides it.
 * NONE: it may. PINNED: its allowed CPUs do not include every active CPU
 * (taskset, libvirt <vcpupin>, a cpuset); the kernel's deadline admission
 * is per root domain, not per CPU, and a module's sched_setattr_nocheck()
 * skips the affinity check the syscall makes, so a pinned deadline thread
 * could take a CPU whole. LEAVING: it left SCHED_DEADLINE throttled and the
 * kernel has not reset its deadline state yet: its inactive timer (0-lag
 * time) is still ahead. Entering again now would leave it throttled with no
 * replenishment timer: a vCPU that never runs again. A throttled flag with
 * no inactive timer armed is never reset by the kernel: such a thread may
 * enter, and if it then is stuck, STUCK takes it out with its 0-lag time
 * past, which resets it. STUCK: it is in SCHED_DEADLINE, runnable and
 * throttled with no replenishment timer armed, and received no CPU for a
 * whole period: it must leave the class to run again. EXITING: the thread
 * is exiting.
 */

/**
 * struct kvms_dl_view - what the mechanism read of a vCPU thread
 * @in_dl:		its policy is SCHED_DEADLINE now
 * @narrowed:		its allowed CPUs miss an active CPU
 * @throttled:		the kernel's dl_throttled flag
 * @inactive_armed:	its inactive (0-lag) timer is armed
 * @runnable:		queued on a runqueue
 * @timer_armed:	its replenishment timer is armed
 * @exiting:		PF_EXITING
 * @cpu_ns:		CPU it received last period, ns
 */
struct kvms_dl_view {
	bool in_dl;
	bool narrowed;
	bool throttled;
	bool inactive_armed;
	bool runnable;
	bool timer_armed;
	bool exiting;
	u64 cpu_ns;
};

enum kvmsched_dl_block kvms_dl_check(const struct kvms_dl_view *t);

#endif /* _KVMSCHED_DLBUDGET_H */
