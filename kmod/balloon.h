/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmsched memory-balloon policy core: the host's memory state, and how far
 * each VM's balloon target moves this round.
 *
 * KVM-free and mm-free: plain arithmetic over plain structs, tested by the
 * KUnit suite kvmsched_balloon on UML. The mechanism feeds it the host's
 * available memory and PSI and each guest's size and free memory, and sends
 * the targets it computes to the guests' balloon drivers. The formulas and
 * constants are documented at the top of balloon.c.
 */
#ifndef _KVMSCHED_BALLOON_H
#define _KVMSCHED_BALLOON_H

#include <linux/types.h>

/*
 * Memory states, balloon reasons, shares and their ranges are the uapi
 * header's (generated from the netlink spec).
 */
#include "../uapi/linux/kvmsched.h"

/* kvms_balloon_rho() is shares per taxed MiB, in units of 2^-32. */
#define KVMS_BALLOON_RHO_SHIFT	32

/**
 * struct kvms_mem_tun - global balloon tunables (validated by config.c)
 * @low_pct:	reclaim when available memory is under this % of host RAM,
 *		1-90 (default 20)
 * @critical_pct: critical when available memory is under this % of host
 *		RAM, 0-89 and under @low_pct (default 5); 0 = never critical
 * @hysteresis_pct: reclaim ends only when available memory is back at
 *		(@low_pct + @hysteresis_pct)% and critical at (@critical_pct +
 *		@hysteresis_pct)%, 0-50 (default 5)
 * @step_pct:	the most one VM's target moves in a round, % of its guest
 *		RAM, 1-100 (default 5); twice that in KVMSCHED_MEM_STATE_CRITICAL
 * @min_step_bp: no move smaller than this, basis points of guest RAM,
 *		0-10000 (default 25 = 0.25 %), except one that reaches the
 *		floor or the max exactly
 * @idle_tax_pct: idle memory tax, 0-99 (default 75): an idle MiB counts
 *		as 100 / (100 - @idle_tax_pct) MiB when choosing whom to
 *		reclaim from
 * @max_pct:	the balloon never takes more than this % of guest RAM, 0-90
 *		(default 65)
 * @psi_reclaim_bp: host memory PSI "some" avg10 at or above this (basis
 *		points, 0-10000, default 1000 = 10 %) means at least
 *		KVMSCHED_MEM_STATE_RECLAIM, and reclaim ends only once PSI is under half
 *		of it; 0 = ignore PSI
 *
 * The policy core only reads it. The mechanism's copy is struct
 * kvms_config.mem (see config.h for who writes it and how it is read).
 */
struct kvms_mem_tun {
	u32 low_pct;
	u32 critical_pct;
	u32 hysteresis_pct;
	u32 step_pct;
	u32 min_step_bp;
	u32 idle_tax_pct;
	u32 max_pct;
	u32 psi_reclaim_bp;
};

/*
 * A PSI report older than this, in ms, is unknown (-1) to the policy: PSI
 * "some" avg10 averages the last 10 s, so three windows on it says nothing
 * about now, and a controller that stopped must not keep the host in
 * reclaim. Fixed rather than a multiple of balloon_period_ms, so a short
 * balloon period does not expire the reports of a controller that sends
 * them every 2 s (kvmschedctl balloond's default --interval-ms).
 */
#define KVMS_PSI_MAX_AGE_MS	30000

/**
 * struct kvms_mem_host - the host's memory, as sampled this round
 * @total_mib:	host RAM, MiB; 0 = unknown (the state is then kept)
 * @avail_mib:	MemAvailable, MiB
 * @psi_some_bp: memory PSI "some" avg10, basis points; -1 = unknown (never
 *		reported, or expired: see kvms_balloon_psi_bp())
 * @state:	KVMS_MEM_*: in, the previous round's state (KVMSCHED_MEM_STATE_NORMAL
 *		at first); out, this round's, stored with WRITE_ONCE()
 *
 * The mechanism's instance, kvms_host_mem (memory.c): @total_mib,
 * @avail_mib and @state are written by the balloon worker under
 * kvms_reg.lock, @psi_some_bp by host-mem-report under kvms_reg.lock (as
 * last reported, unexpired); sysfs and config-get read single fields with
 * READ_ONCE() and no lock. The worker hands kvms_balloon_compute() a copy
 * with @psi_some_bp expired, and publishes @state from it.
 */
struct kvms_mem_host {
	u64 total_mib;
	u64 avail_mib;
	s32 psi_some_bp;
	u8 state;
};

/**
 * struct kvms_balloon_vm - one VM as the balloon policy sees it
 * @shares:	KVMSCHED_MEM_SHARES_MIN..KVMSCHED_MEM_SHARES_MAX (in): more shares,
 *		reclaimed later and given back to first
 * @min_mib:	floor set by the admin, MiB; 0 = none (in)
 * @max_mib:	ceiling set by the admin, MiB; 0 or above @guest_mib means
 *		@guest_mib (in)
 * @guest_mib:	guest RAM, MiB; 0 = unknown: the VM is skipped, its target
 *		and @notified_mib are left as they are, @reason is
 *		KVMSCHED_BALLOON_REASON_NONE and @notify false (in)
 * @free_mib:	guest-reported free memory, MiB; -1 = unknown, then all of
 *		the target counts as active (in)
 * @actual_mib:	the guest's memory size with the balloon as it is now (QMP
 *		query-balloon "actual"), MiB; 0 = unknown (in). When known, an
 *		inflate step never takes @target_mib more than one step below
 *		it: a guest that does not give memory back holds its target
 * @target_mib:	memory the guest may keep, MiB (in/out); 0 = none yet, and
 *		it starts at the effective max
 * @reason:	KVMS_BALLOON_* (out)
 * @notified_mib: the target last announced, MiB (in/out); set to
 *		@target_mib when @notify is set
 * @notify:	announce the target (out): it differs from @notified_mib by
 *		at least the min step, or it is at the floor or the max and
 *		differs at all
 *
 * In the mechanism (struct kvms_vm.balloon) every field is written under
 * kvms_reg.lock: @shares, @min_mib and @max_mib by vm-set, @guest_mib by
 * the balloon worker and the netlink handlers (kvms_memory_read_vm()),
 * @free_mib by vm-mem-report, @actual_mib (a copy of struct
 * kvms_vm.actual_mib) and the outputs by the balloon worker. Netlink
 * replies and events read them under kvms_reg.lock; sysfs reads @shares,
 * @min_mib, @max_mib, @guest_mib, @free_mib, @target_mib and @reason with
 * READ_ONCE() and no lock, so their writers use WRITE_ONCE() (this core
 * included, for @target_mib and @reason).
 */
struct kvms_balloon_vm {
	u32 shares;
	u32 min_mib;
	u32 max_mib;
	u32 guest_mib;
	s32 free_mib;
	u32 actual_mib;
	u32 target_mib;
	u8 reason;
	u32 notified_mib;
	bool notify;
	/* private: scratch of kvms_balloon_compute(), meaningless outside */
	u64 rho;
	u32 full;
	u32 min_step;
};

s32 kvms_balloon_psi_bp(s32 psi_bp, u64 age_ms);
u8 kvms_mem_state(const struct kvms_mem_tun *t, const struct kvms_mem_host *h,
		  u8 prev);
u32 kvms_balloon_max_mib(const struct kvms_balloon_vm *vm);
u32 kvms_balloon_floor_mib(const struct kvms_mem_tun *t,
			   const struct kvms_balloon_vm *vm);
u64 kvms_balloon_rho(const struct kvms_mem_tun *t, const struct kvms_balloon_vm *vm);
void kvms_balloon_compute(const struct kvms_mem_tun *t,
			  struct kvms_mem_host *h, struct kvms_balloon_vm **vms,
			  unsigned int n);

#endif /* _KVMSCHED_BALLOON_H */
