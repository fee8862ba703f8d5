/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/kvmsched.yaml */
/* YNL-GEN uapi header */

#ifndef _UAPI_LINUX_KVMSCHED_H
#define _UAPI_LINUX_KVMSCHED_H

#define KVMSCHED_FAMILY_NAME	"kvmsched"
#define KVMSCHED_FAMILY_VERSION	1

#define KVMSCHED_VM_NAME_MAX_LEN		63
#define KVMSCHED_WEIGHT_MIN			1
#define KVMSCHED_WEIGHT_MAX			10000
#define KVMSCHED_WEIGHT_DEFAULT			100
#define KVMSCHED_MCPU_MAX			1024000
#define KVMSCHED_MEM_SHARES_MIN			1
#define KVMSCHED_MEM_SHARES_MAX			10000
#define KVMSCHED_MEM_SHARES_DEFAULT		100
#define KVMSCHED_MEM_MIB_MAX			16777216
#define KVMSCHED_PERIOD_MS_MIN			10
#define KVMSCHED_PERIOD_MS_MAX			1000
#define KVMSCHED_PERIOD_MS_DEFAULT		100
#define KVMSCHED_RESERVE_HEADROOM_PCT_MAX	50
#define KVMSCHED_RESERVE_HEADROOM_PCT_DEFAULT	10
#define KVMSCHED_MEM_LOW_PCT_MIN		1
#define KVMSCHED_MEM_LOW_PCT_MAX		90
#define KVMSCHED_MEM_LOW_PCT_DEFAULT		20
#define KVMSCHED_MEM_CRITICAL_PCT_MAX		89
#define KVMSCHED_MEM_CRITICAL_PCT_DEFAULT	5
#define KVMSCHED_MEM_LOW_HYSTERESIS_PCT_MAX	95
#define KVMSCHED_MEM_HYSTERESIS_PCT_MAX		50
#define KVMSCHED_MEM_HYSTERESIS_PCT_DEFAULT	5
#define KVMSCHED_BALLOON_STEP_PCT_MIN		1
#define KVMSCHED_BALLOON_STEP_PCT_MAX		100
#define KVMSCHED_BALLOON_STEP_PCT_DEFAULT	5
#define KVMSCHED_BALLOON_MIN_STEP_BP_MAX	10000
#define KVMSCHED_BALLOON_MIN_STEP_BP_DEFAULT	25
#define KVMSCHED_IDLE_TAX_PCT_MAX		99
#define KVMSCHED_IDLE_TAX_PCT_DEFAULT		75
#define KVMSCHED_BALLOON_MAX_PCT_MAX		90
#define KVMSCHED_BALLOON_MAX_PCT_DEFAULT	65
#define KVMSCHED_BALLOON_PERIOD_MS_MIN		100
#define KVMSCHED_BALLOON_PERIOD_MS_MAX		600000
#define KVMSCHED_BALLOON_PERIOD_MS_DEFAULT	10000
#define KVMSCHED_MEM_PSI_RECLAIM_BP_MAX		10000
#define KVMSCHED_MEM_PSI_RECLAIM_BP_DEFAULT	1000
#define KVMSCHED_WAKE_LATENCY_BUCKETS		32
#define KVMSCHED_WAKE_LATENCY_WINDOW_PERIODS	10
#define KVMSCHED_RT_PRIORITY_MIN		1
#define KVMSCHED_RT_PRIORITY_MAX		99
#define KVMSCHED_RT_PRIORITY_DEFAULT		1
#define KVMSCHED_RR_QUANTUM_MS_MAX		1000
#define KVMSCHED_LATENCY_US_MIN			1000
#define KVMSCHED_LATENCY_US_MAX			10000
#define KVMSCHED_LATENCY_US_DEFAULT		5000
#define KVMSCHED_BURST_THRESHOLD_US_MIN		100
#define KVMSCHED_BURST_THRESHOLD_US_MAX		100000
#define KVMSCHED_BURST_THRESHOLD_US_DEFAULT	1000
#define KVMSCHED_STARVE_MS_MIN			100
#define KVMSCHED_STARVE_MS_MAX			60000
#define KVMSCHED_STARVE_MS_DEFAULT		1000

/**
 * enum kvmsched_class - A VM's scheduling class. kvmsched's classes are a
 *   policy layer over the kernel's own scheduling classes, applied to the VM's
 *   vCPU threads.
 * @KVMSCHED_CLASS_SHARES: Default. Under contention each VM receives CPU in
 *   proportion to its weight, whatever its vCPU count (weighted max-min
 *   fairness; idle vCPUs hold no share). Applied as fair-class nice levels.
 * @KVMSCHED_CLASS_BACKGROUND: The VM runs only when no shares VM wants the CPU
 *   (SCHED_IDLE).
 * @KVMSCHED_CLASS_REALTIME: The VM's vCPUs run before every shares and
 *   background VM, higher rt-priority first (SCHED_FIFO at rt-priority); equal
 *   priorities first-come-first-served, or round robin every rr-quantum-ms. A
 *   starvation watchdog keeps reserve-headroom-pct of the CPUs for everything
 *   else: realtime VMs that used the rest of a period are run SCHED_IDLE until
 *   it ends. Takes no reservation or limit.
 * @KVMSCHED_CLASS_LATENCY: The VM's vCPUs run as soon as they wake, while the
 *   VM receives no more CPU than its weight entitles it to: it takes part in
 *   the shares class's fill (reservation and limit included), and its active
 *   vCPUs run SCHED_DEADLINE with its weighted share as runtime every
 *   latency-us (bound latency). A waking vCPU with runtime left runs before
 *   every fair task; one that used its share waits for the next deadline
 *   period. The deadline class runs before SCHED_FIFO too, so a latency VM
 *   also runs before realtime VMs, within a share taken from what they leave.
 */
enum kvmsched_class {
	KVMSCHED_CLASS_SHARES,
	KVMSCHED_CLASS_BACKGROUND,
	KVMSCHED_CLASS_REALTIME,
	KVMSCHED_CLASS_LATENCY,
};

/**
 * enum kvmsched_bound - Which bound decided a VM's CPU in the last period, and
 *   so which kernel scheduling class its active vCPU threads ran in.
 * @KVMSCHED_BOUND_NONE: Neither reservation nor limit was binding: fair-class
 *   nice levels from the VM's weight (part 1 of the class).
 * @KVMSCHED_BOUND_RESERVATION: The VM has a reservation and wants CPU: its
 *   active vCPUs ran SCHED_DEADLINE with its entitlement (at least the
 *   reservation, more when its weight wins more) as runtime.
 * @KVMSCHED_BOUND_LIMIT: The VM has a limit (busy or idle) and its floor did
 *   not decide: its vCPUs ran SCHED_DEADLINE with min(limit, its weighted
 *   share) as runtime, halted vCPUs keeping a small part of it, and were
 *   throttled beyond it.
 * @KVMSCHED_BOUND_LATENCY: A latency-class VM that wants CPU, with no
 *   reservation or limit deciding: its active vCPUs ran SCHED_DEADLINE with
 *   its weighted share as runtime every latency-us.
 * @KVMSCHED_BOUND_BOOST: A shares VM boosted by burst-boost: every active vCPU
 *   ran in bursts under burst-threshold-us last period, so its active vCPUs
 *   ran as a latency VM's do (SCHED_DEADLINE with its weighted share as
 *   runtime every latency-us).
 */
enum kvmsched_bound {
	KVMSCHED_BOUND_NONE,
	KVMSCHED_BOUND_RESERVATION,
	KVMSCHED_BOUND_LIMIT,
	KVMSCHED_BOUND_LATENCY,
	KVMSCHED_BOUND_BOOST,
};

/**
 * enum kvmsched_mem_state - Host memory state, from available memory (and PSI
 *   when reported).
 * @KVMSCHED_MEM_STATE_NORMAL: Enough available memory; balloons deflate toward
 *   each VM's max.
 * @KVMSCHED_MEM_STATE_RECLAIM: Available memory under mem-low-pct; balloons
 *   inflate.
 * @KVMSCHED_MEM_STATE_CRITICAL: Available memory under mem-critical-pct;
 *   balloons inflate with twice the step.
 */
enum kvmsched_mem_state {
	KVMSCHED_MEM_STATE_NORMAL,
	KVMSCHED_MEM_STATE_RECLAIM,
	KVMSCHED_MEM_STATE_CRITICAL,
};

/**
 * enum kvmsched_balloon_reason - Why a VM's balloon target is what it is.
 * @KVMSCHED_BALLOON_REASON_NONE: No target yet (guest RAM unknown) or the VM
 *   is not ballooned.
 * @KVMSCHED_BALLOON_REASON_AT_MAX: The target is the VM's max; nothing is
 *   reclaimed from it.
 * @KVMSCHED_BALLOON_REASON_INFLATE: The host is short of memory and the target
 *   moved down.
 * @KVMSCHED_BALLOON_REASON_DEFLATE: The host has memory again and the target
 *   moved up.
 * @KVMSCHED_BALLOON_REASON_AT_MIN: The target is at the VM's floor:
 *   mem-min-mib, or the share of guest RAM the balloon may not take (100 -
 *   balloon-max-pct).
 * @KVMSCHED_BALLOON_REASON_HOLD: The target did not change this round.
 */
enum kvmsched_balloon_reason {
	KVMSCHED_BALLOON_REASON_NONE,
	KVMSCHED_BALLOON_REASON_AT_MAX,
	KVMSCHED_BALLOON_REASON_INFLATE,
	KVMSCHED_BALLOON_REASON_DEFLATE,
	KVMSCHED_BALLOON_REASON_AT_MIN,
	KVMSCHED_BALLOON_REASON_HOLD,
};

/**
 * enum kvmsched_dl_block - Why a vCPU thread of a VM whose bound wants
 *   SCHED_DEADLINE could not run in it last period (the VM then fell back to
 *   weights that period).
 * @KVMSCHED_DL_BLOCK_NONE: It could (or its VM did not want the class).
 * @KVMSCHED_DL_BLOCK_PINNED: Its allowed CPUs miss an active CPU (taskset,
 *   libvirt vcpupin, a cpuset): the kernel's deadline admission is per root
 *   domain, not per CPU, so a pinned deadline thread could take a CPU whole.
 * @KVMSCHED_DL_BLOCK_LEAVING: It left the class throttled and the kernel has
 *   not reset its deadline state yet (0-lag time ahead); entering now would
 *   stall it.
 * @KVMSCHED_DL_BLOCK_STUCK: It was runnable in the class, throttled with no
 *   replenishment timer, and got no CPU for a whole period: taken out of the
 *   class.
 * @KVMSCHED_DL_BLOCK_EXITING: The thread is exiting; it is left alone.
 */
enum kvmsched_dl_block {
	KVMSCHED_DL_BLOCK_NONE,
	KVMSCHED_DL_BLOCK_PINNED,
	KVMSCHED_DL_BLOCK_LEAVING,
	KVMSCHED_DL_BLOCK_STUCK,
	KVMSCHED_DL_BLOCK_EXITING,
};

enum {
	KVMSCHED_A_VM_ID = 1,
	KVMSCHED_A_VM_PID,
	KVMSCHED_A_VM_COMM,
	KVMSCHED_A_VM_NAME,
	KVMSCHED_A_VM_NR_VCPUS,
	KVMSCHED_A_VM_CPU_TIME_NS,
	KVMSCHED_A_VM_WAIT_TIME_NS,
	KVMSCHED_A_VM_VM_ENTRIES,
	KVMSCHED_A_VM_CPU_LAST_MCPU,
	KVMSCHED_A_VM_STEAL_LAST_PERMILLE,
	KVMSCHED_A_VM_PAD,
	KVMSCHED_A_VM_CLASS,
	KVMSCHED_A_VM_WEIGHT,
	KVMSCHED_A_VM_ENTITLED_MCPU,
	KVMSCHED_A_VM_DEMAND_MCPU,
	KVMSCHED_A_VM_NR_ACTIVE_VCPUS,
	KVMSCHED_A_VM_RESERVATION_MCPU,
	KVMSCHED_A_VM_LIMIT_MCPU,
	KVMSCHED_A_VM_BOUND,
	KVMSCHED_A_VM_THROTTLED_NS,
	KVMSCHED_A_VM_RESERVATION_MISSES,
	KVMSCHED_A_VM_MEM_SHARES,
	KVMSCHED_A_VM_MEM_MIN_MIB,
	KVMSCHED_A_VM_MEM_MAX_MIB,
	KVMSCHED_A_VM_GUEST_MEM_MIB,
	KVMSCHED_A_VM_RSS_MIB,
	KVMSCHED_A_VM_GUEST_FREE_MIB,
	KVMSCHED_A_VM_GUEST_AVAIL_MIB,
	KVMSCHED_A_VM_BALLOON_ACTUAL_MIB,
	KVMSCHED_A_VM_BALLOON_TARGET_MIB,
	KVMSCHED_A_VM_BALLOON_REASON,
	KVMSCHED_A_VM_WAKE_LATENCY_COUNT,
	KVMSCHED_A_VM_WAKE_LATENCY_P50_NS,
	KVMSCHED_A_VM_WAKE_LATENCY_P99_NS,
	KVMSCHED_A_VM_WAKE_LATENCY_MAX_NS,
	KVMSCHED_A_VM_WAKE_LATENCY_SKIPPED,
	KVMSCHED_A_VM_WAKE_LATENCY_HIST,
	KVMSCHED_A_VM_RT_PRIORITY,
	KVMSCHED_A_VM_RR_QUANTUM_MS,
	KVMSCHED_A_VM_RT_THROTTLED_PERIODS,
	KVMSCHED_A_VM_STARVED_COUNT,
	KVMSCHED_A_VM_LATENCY_US,

	__KVMSCHED_A_VM_MAX,
	KVMSCHED_A_VM_MAX = (__KVMSCHED_A_VM_MAX - 1)
};

enum {
	KVMSCHED_A_VCPU_VM_ID = 1,
	KVMSCHED_A_VCPU_VCPU_ID,
	KVMSCHED_A_VCPU_TID,
	KVMSCHED_A_VCPU_CPU_TIME_NS,
	KVMSCHED_A_VCPU_WAIT_TIME_NS,
	KVMSCHED_A_VCPU_VM_ENTRIES,
	KVMSCHED_A_VCPU_CPU_LAST_MCPU,
	KVMSCHED_A_VCPU_STEAL_LAST_PERMILLE,
	KVMSCHED_A_VCPU_PAD,
	KVMSCHED_A_VCPU_POLICY,
	KVMSCHED_A_VCPU_NICE,
	KVMSCHED_A_VCPU_OVERRIDES,
	KVMSCHED_A_VCPU_DL_MCPU,
	KVMSCHED_A_VCPU_DL_BLOCK,
	KVMSCHED_A_VCPU_DL_BLOCKED,
	KVMSCHED_A_VCPU_THREAD_SHARED,
	KVMSCHED_A_VCPU_STARVED_MS,
	KVMSCHED_A_VCPU_BURST_US,

	__KVMSCHED_A_VCPU_MAX,
	KVMSCHED_A_VCPU_MAX = (__KVMSCHED_A_VCPU_MAX - 1)
};

enum {
	KVMSCHED_A_CONFIG_PERIOD_MS = 1,
	KVMSCHED_A_CONFIG_NR_VMS,
	KVMSCHED_A_CONFIG_RESERVE_HEADROOM_PCT,
	KVMSCHED_A_CONFIG_CAPACITY_MCPU,
	KVMSCHED_A_CONFIG_RESERVABLE_MCPU,
	KVMSCHED_A_CONFIG_RESERVED_MCPU,
	KVMSCHED_A_CONFIG_OVERCOMMIT_MCPU,
	KVMSCHED_A_CONFIG_MEM_LOW_PCT,
	KVMSCHED_A_CONFIG_MEM_CRITICAL_PCT,
	KVMSCHED_A_CONFIG_MEM_HYSTERESIS_PCT,
	KVMSCHED_A_CONFIG_BALLOON_STEP_PCT,
	KVMSCHED_A_CONFIG_BALLOON_MIN_STEP_BP,
	KVMSCHED_A_CONFIG_IDLE_TAX_PCT,
	KVMSCHED_A_CONFIG_BALLOON_MAX_PCT,
	KVMSCHED_A_CONFIG_BALLOON_PERIOD_MS,
	KVMSCHED_A_CONFIG_MEM_STATE,
	KVMSCHED_A_CONFIG_HOST_MEM_MIB,
	KVMSCHED_A_CONFIG_HOST_AVAIL_MIB,
	KVMSCHED_A_CONFIG_PSI_SOME_AVG10_BP,
	KVMSCHED_A_CONFIG_MEM_PSI_RECLAIM_BP,
	KVMSCHED_A_CONFIG_PAD,
	KVMSCHED_A_CONFIG_DEADLINE_REFUSED,
	KVMSCHED_A_CONFIG_DEADLINE_RECLAIMED,
	KVMSCHED_A_CONFIG_APPLY_LAST_NS,
	KVMSCHED_A_CONFIG_APPLY_MAX_NS,
	KVMSCHED_A_CONFIG_RT_THROTTLED_PERIODS,
	KVMSCHED_A_CONFIG_STARVE_MS,
	KVMSCHED_A_CONFIG_BURST_BOOST,
	KVMSCHED_A_CONFIG_BURST_THRESHOLD_US,

	__KVMSCHED_A_CONFIG_MAX,
	KVMSCHED_A_CONFIG_MAX = (__KVMSCHED_A_CONFIG_MAX - 1)
};

enum {
	KVMSCHED_A_CPU_CPU_ID = 1,
	KVMSCHED_A_CPU_ONLINE,

	__KVMSCHED_A_CPU_MAX,
	KVMSCHED_A_CPU_MAX = (__KVMSCHED_A_CPU_MAX - 1)
};

enum {
	KVMSCHED_CMD_VM_GET = 1,
	KVMSCHED_CMD_VM_SET,
	KVMSCHED_CMD_VCPU_GET,
	KVMSCHED_CMD_CONFIG_GET,
	KVMSCHED_CMD_CONFIG_SET,
	KVMSCHED_CMD_VM_ADD_NTF,
	KVMSCHED_CMD_VM_DEL_NTF,
	KVMSCHED_CMD_VM_CHANGE_NTF,
	KVMSCHED_CMD_CONFIG_CHANGE_NTF,
	KVMSCHED_CMD_VM_MEM_REPORT,
	KVMSCHED_CMD_HOST_MEM_REPORT,
	KVMSCHED_CMD_BALLOON_TARGET_NTF,
	KVMSCHED_CMD_OVERCOMMIT_NTF,
	KVMSCHED_CMD_CPU_SET,
	KVMSCHED_CMD_VM_STARVED_NTF,

	__KVMSCHED_CMD_MAX,
	KVMSCHED_CMD_MAX = (__KVMSCHED_CMD_MAX - 1)
};

#define KVMSCHED_MCGRP_EVENTS	"events"

#endif /* _UAPI_LINUX_KVMSCHED_H */
