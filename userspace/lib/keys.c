// SPDX-License-Identifier: GPL-2.0
/*
 * kvmschedctl: the settable keys, per VM (set) and global (config): name,
 * attribute, type, range, unit and help of each; see parse.h. parse.c
 * parses against these tables, format.c prints config in their order.
 */
#include <stddef.h>

#include "parse.h"

/*
 * Every range and default comes from the uapi header, generated from the
 * spec's definitions: the kernel checks the same numbers.
 */
#define STR_(x)		#x
#define STR(x)		STR_(x)
#define DEFAULT(name)	" (default " STR(KVMSCHED_##name##_DEFAULT) ")"

/*
 * Per-VM settings (vm-set). The kernel is the authority and rejects
 * attributes it does not know, so a key is listed here only once the uapi
 * header has its attribute; each is one entry.
 */

const struct kv_key kv_vm_keys[] = {
	{
		.key = "name", .attr = KVMSCHED_A_VM_NAME, .type = KV_STRING,
		.min = 1, .max = KVMSCHED_VM_NAME_MAX_LEN,
		.help = "label, e.g. the libvirt domain name; unique among live VMs",
	},
	{
		.key = "class", .attr = KVMSCHED_A_VM_CLASS, .type = KV_ENUM,
		.help = "scheduling class", .enums = class_names,
	},
	{
		.key = "weight", .attr = KVMSCHED_A_VM_WEIGHT, .type = KV_U32,
		.min = KVMSCHED_WEIGHT_MIN, .max = KVMSCHED_WEIGHT_MAX,
		.help = "relative CPU share against other VMs of its class"
			DEFAULT(WEIGHT),
	},
	{
		.key = "reservation_mcpu", .attr = KVMSCHED_A_VM_RESERVATION_MCPU,
		.type = KV_U32, .min = 0, .max = KVMSCHED_MCPU_MAX, .unit = "mcpu",
		.help = "CPU floor in millicpus, 0 = none (default)",
	},
	{
		.key = "limit_mcpu", .attr = KVMSCHED_A_VM_LIMIT_MCPU,
		.type = KV_U32, .min = 0, .max = KVMSCHED_MCPU_MAX, .unit = "mcpu",
		.help = "CPU ceiling in millicpus, 0 = unlimited (default)",
	},
	{
		.key = "mem_shares", .attr = KVMSCHED_A_VM_MEM_SHARES,
		.type = KV_U32, .min = KVMSCHED_MEM_SHARES_MIN,
		.max = KVMSCHED_MEM_SHARES_MAX,
		.help = "relative memory shares under host memory pressure"
			DEFAULT(MEM_SHARES),
	},
	{
		.key = "mem_min_mib", .attr = KVMSCHED_A_VM_MEM_MIN_MIB,
		.type = KV_U32, .min = 0, .max = KVMSCHED_MEM_MIB_MAX, .unit = "MiB",
		.help = "balloon target floor (default 0)",
	},
	{
		.key = "mem_max_mib", .attr = KVMSCHED_A_VM_MEM_MAX_MIB,
		.type = KV_U32, .min = 0, .max = KVMSCHED_MEM_MIB_MAX, .unit = "MiB",
		.help = "balloon target ceiling, 0 = the guest RAM (default)",
	},
	{
		.key = "rt_priority", .attr = KVMSCHED_A_VM_RT_PRIORITY,
		.type = KV_U32, .min = KVMSCHED_RT_PRIORITY_MIN,
		.max = KVMSCHED_RT_PRIORITY_MAX,
		.help = "realtime class priority, higher runs first"
			DEFAULT(RT_PRIORITY),
	},
	{
		.key = "rr_quantum_ms", .attr = KVMSCHED_A_VM_RR_QUANTUM_MS,
		.type = KV_U32, .min = 0, .max = KVMSCHED_RR_QUANTUM_MS_MAX,
		.unit = "ms",
		.help = "realtime round robin quantum, 0 = first-come-first-served (default)",
	},
	{
		.key = "latency_us", .attr = KVMSCHED_A_VM_LATENCY_US,
		.type = KV_U32, .min = KVMSCHED_LATENCY_US_MIN,
		.max = KVMSCHED_LATENCY_US_MAX, .unit = "us",
		.help = "latency class: deadline period of the vCPU threads"
			DEFAULT(LATENCY_US),
	},
	{ .key = NULL },
};

/*
 * Global tunables (config-set / config-get), in the order config prints
 * them; the read-only ones are what config-get reports besides.
 */
#define RO_U32(k, a, u, h) {						\
		.key = k, .attr = a, .type = KV_U32, .unit = u,		\
		.help = h, .flags = KV_READONLY,			\
	}
#define RO_U64(k, a, u, h) {						\
		.key = k, .attr = a, .type = KV_U64, .unit = u,		\
		.help = h, .flags = KV_READONLY,			\
	}
#define RW_U32(k, a, lo, hi, u, h) {					\
		.key = k, .attr = a, .type = KV_U32, .min = lo,		\
		.max = hi, .unit = u, .help = h,			\
	}

const struct kv_key kv_config_keys[] = {
	RW_U32("period_ms", KVMSCHED_A_CONFIG_PERIOD_MS, KVMSCHED_PERIOD_MS_MIN,
	       KVMSCHED_PERIOD_MS_MAX, "ms", "sampling and enforcement period"),
	RO_U32("nr_vms", KVMSCHED_A_CONFIG_NR_VMS, NULL,
	       "number of VMs tracked"),
	RW_U32("reserve_headroom_pct", KVMSCHED_A_CONFIG_RESERVE_HEADROOM_PCT,
	       0, KVMSCHED_RESERVE_HEADROOM_PCT_MAX, "%",
	       "host CPU reservations may never take"
	       DEFAULT(RESERVE_HEADROOM_PCT)),
	RO_U32("capacity_mcpu", KVMSCHED_A_CONFIG_CAPACITY_MCPU, "mcpu",
	       "online CPUs x 1000"),
	RO_U32("reservable_mcpu", KVMSCHED_A_CONFIG_RESERVABLE_MCPU, "mcpu",
	       "what the sum of reservations may reach"),
	RO_U32("reserved_mcpu", KVMSCHED_A_CONFIG_RESERVED_MCPU, "mcpu",
	       "sum of the VMs' reservations"),
	RO_U32("overcommit_mcpu", KVMSCHED_A_CONFIG_OVERCOMMIT_MCPU, "mcpu",
	       "how far reserved_mcpu exceeds reservable_mcpu (0 normally)"),
	RW_U32("mem_low_pct", KVMSCHED_A_CONFIG_MEM_LOW_PCT,
	       KVMSCHED_MEM_LOW_PCT_MIN, KVMSCHED_MEM_LOW_PCT_MAX, "%",
	       "balloons inflate under this available host RAM"
	       DEFAULT(MEM_LOW_PCT)),
	RW_U32("mem_critical_pct", KVMSCHED_A_CONFIG_MEM_CRITICAL_PCT, 0,
	       KVMSCHED_MEM_CRITICAL_PCT_MAX, "%",
	       "critical (twice the step) under this"
	       DEFAULT(MEM_CRITICAL_PCT)),
	RW_U32("mem_hysteresis_pct", KVMSCHED_A_CONFIG_MEM_HYSTERESIS_PCT, 0,
	       KVMSCHED_MEM_HYSTERESIS_PCT_MAX, "%",
	       "pressure ends above mem_low_pct + this"
	       DEFAULT(MEM_HYSTERESIS_PCT)),
	RW_U32("balloon_step_pct", KVMSCHED_A_CONFIG_BALLOON_STEP_PCT,
	       KVMSCHED_BALLOON_STEP_PCT_MIN, KVMSCHED_BALLOON_STEP_PCT_MAX, "%",
	       "largest target change per period, of guest RAM"
	       DEFAULT(BALLOON_STEP_PCT)),
	RW_U32("balloon_min_step_bp", KVMSCHED_A_CONFIG_BALLOON_MIN_STEP_BP, 0,
	       KVMSCHED_BALLOON_MIN_STEP_BP_MAX, "bp",
	       "smallest target change made, of guest RAM"
	       DEFAULT(BALLOON_MIN_STEP_BP)),
	RW_U32("idle_tax_pct", KVMSCHED_A_CONFIG_IDLE_TAX_PCT, 0,
	       KVMSCHED_IDLE_TAX_PCT_MAX, "%",
	       "idle guest memory tax when choosing whom to reclaim"
	       DEFAULT(IDLE_TAX_PCT)),
	RW_U32("balloon_max_pct", KVMSCHED_A_CONFIG_BALLOON_MAX_PCT, 0,
	       KVMSCHED_BALLOON_MAX_PCT_MAX, "%",
	       "most of a guest's RAM its balloon may take"
	       DEFAULT(BALLOON_MAX_PCT)),
	RW_U32("balloon_period_ms", KVMSCHED_A_CONFIG_BALLOON_PERIOD_MS,
	       KVMSCHED_BALLOON_PERIOD_MS_MIN, KVMSCHED_BALLOON_PERIOD_MS_MAX, "ms",
	       "how often balloon targets are recomputed"
	       DEFAULT(BALLOON_PERIOD_MS)),
	{
		.key = "mem_state", .attr = KVMSCHED_A_CONFIG_MEM_STATE,
		.type = KV_ENUM, .enums = mem_state_names, .flags = KV_READONLY,
		.help = "host memory state: normal, reclaim or critical",
	},
	RO_U32("host_mem_mib", KVMSCHED_A_CONFIG_HOST_MEM_MIB, "MiB",
	       "host RAM"),
	RO_U32("host_avail_mib", KVMSCHED_A_CONFIG_HOST_AVAIL_MIB, "MiB",
	       "host available memory (MemAvailable)"),
	RO_U32("psi_some_avg10_bp", KVMSCHED_A_CONFIG_PSI_SOME_AVG10_BP, "bp",
	       "host memory PSI some avg10 as last reported (- if never)"),
	RW_U32("mem_psi_reclaim_bp", KVMSCHED_A_CONFIG_MEM_PSI_RECLAIM_BP, 0,
	       KVMSCHED_MEM_PSI_RECLAIM_BP_MAX, "bp",
	       "reclaim at this PSI some avg10, 0 = ignore PSI"
	       DEFAULT(MEM_PSI_RECLAIM_BP)),
	{
		.key = "starve_ms", .attr = KVMSCHED_A_CONFIG_STARVE_MS,
		.type = KV_U32, .min = KVMSCHED_STARVE_MS_MIN,
		.max = KVMSCHED_STARVE_MS_MAX, .unit = "ms",
		.flags = KV_ZERO_OFF,
		.help = "count and report a runnable shares vCPU getting no CPU this long, 0 = off"
			DEFAULT(STARVE_MS),
	},
	/* The spec's check is max: 1, with no const to name it. */
	RW_U32("burst_boost", KVMSCHED_A_CONFIG_BURST_BOOST, 0, 1, NULL,
	       "run a shares VM whose vCPUs all ran in short bursts ahead of the fair class, 0 = off (default 0)"),
	RW_U32("burst_threshold_us", KVMSCHED_A_CONFIG_BURST_THRESHOLD_US,
	       KVMSCHED_BURST_THRESHOLD_US_MIN, KVMSCHED_BURST_THRESHOLD_US_MAX,
	       "us", "burst_boost: a mean run burst under this is short"
	       DEFAULT(BURST_THRESHOLD_US)),
	RO_U64("deadline_refused", KVMSCHED_A_CONFIG_DEADLINE_REFUSED, NULL,
	       "VM-periods a bound VM was refused SCHED_DEADLINE, since insmod"),
	RO_U64("deadline_reclaimed", KVMSCHED_A_CONFIG_DEADLINE_RECLAIMED, NULL,
	       "deadline bandwidth releases kvmsched armed, since insmod"),
	RO_U64("apply_last_ns", KVMSCHED_A_CONFIG_APPLY_LAST_NS, NULL,
	       "how long the last CPU setting change took to reach the threads, ns"),
	RO_U64("apply_max_ns", KVMSCHED_A_CONFIG_APPLY_MAX_NS, NULL,
	       "the longest apply_last_ns since insmod, ns"),
	RO_U64("rt_throttled_periods", KVMSCHED_A_CONFIG_RT_THROTTLED_PERIODS,
	       NULL,
	       "periods the starvation watchdog ran realtime VMs SCHED_IDLE, since insmod"),
	{ .key = NULL },
};

#undef RO_U32
#undef RO_U64
#undef RW_U32
#undef DEFAULT
