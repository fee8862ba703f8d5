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

/* Host memory states; the values are ABI (enum kvmsched_mem_state). */
#define KVMS_MEM_NORMAL		0
#define KVMS_MEM_RECLAIM	1
#define KVMS_MEM_CRITICAL	2

/* Why a target is what it is; ABI (enum kvmsched_balloon_reason). */
#define KVMS_BALLOON_NONE	0
#define KVMS_BALLOON_AT_MAX	1
#define KVMS_BALLOON_INFLATE	2
#define KVMS_BALLOON_DEFLATE	3
#define KVMS_BALLOON_AT_MIN	4
#define KVMS_BALLOON_HOLD	5

#define KVMS_MEM_SHARES_MIN	1
#define KVMS_MEM_SHARES_MAX	10000
#define KVMS_MEM_SHARES_DEFAULT	100

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
 *		RAM, 1-100 (default 5); twice that in KVMS_MEM_CRITICAL
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
 *		KVMS_MEM_RECLAIM; 0 = ignore PSI
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

/**
 * struct kvms_mem_host - the host's memory, as sampled this round
 * @total_mib:	host RAM, MiB; 0 = unknown (the state is then kept)
 * @avail_mib:	MemAvailable, MiB
 * @psi_some_bp: memory PSI "some" avg10, basis points; -1 = never reported
 * @state:	KVMS_MEM_*: in, the previous round's state (KVMS_MEM_NORMAL
 *		at first); out, this round's
 */
struct kvms_mem_host {
	u64 total_mib;
	u64 avail_mib;
	s32 psi_some_bp;
	u8 state;
};

/**
 * struct kvms_bvm - one VM as the balloon policy sees it
 * @shares:	KVMS_MEM_SHARES_MIN..KVMS_MEM_SHARES_MAX (in): more shares,
 *		reclaimed later and given back to first
 * @min_mib:	floor set by the admin, MiB; 0 = none (in)
 * @max_mib:	ceiling set by the admin, MiB; 0 or above @guest_mib means
 *		@guest_mib (in)
 * @guest_mib:	guest RAM, MiB; 0 = unknown: the VM is skipped, its target
 *		and @notified_mib are left as they are, @reason is
 *		KVMS_BALLOON_NONE and @notify false (in)
 * @free_mib:	guest-reported free memory, MiB; -1 = unknown, then all of
 *		the target counts as active (in)
 * @target_mib:	memory the guest may keep, MiB (in/out); 0 = none yet, and
 *		it starts at the effective max
 * @reason:	KVMS_BALLOON_* (out)
 * @notified_mib: the target last announced, MiB (in/out); set to
 *		@target_mib when @notify is set
 * @notify:	announce the target (out): it differs from @notified_mib by
 *		at least the min step, or it is at the floor or the max and
 *		differs at all
 */
struct kvms_bvm {
	u32 shares;
	u32 min_mib;
	u32 max_mib;
	u32 guest_mib;
	s32 free_mib;
	u32 target_mib;
	u8 reason;
	u32 notified_mib;
	bool notify;
	/* private: scratch of kvms_balloon_compute(), meaningless outside */
	u64 rho;
	u32 full;
	u32 min_step;
};

u8 kvms_mem_state(const struct kvms_mem_tun *t, const struct kvms_mem_host *h,
		  u8 prev);
u32 kvms_balloon_max_mib(const struct kvms_bvm *vm);
u32 kvms_balloon_floor_mib(const struct kvms_mem_tun *t,
			   const struct kvms_bvm *vm);
u64 kvms_balloon_rho(const struct kvms_mem_tun *t, const struct kvms_bvm *vm);
void kvms_balloon_compute(const struct kvms_mem_tun *t,
			  struct kvms_mem_host *h, struct kvms_bvm **vms,
			  unsigned int n);

#endif /* _KVMSCHED_BALLOON_H */
