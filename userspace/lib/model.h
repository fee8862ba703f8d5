/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmschedctl: the objects the kvmsched netlink family returns, decoded.
 * Plain data, no libnl: ipc.c fills them, parse.c/format.c/stats.c read them
 * (and the host unit tests build them by hand).
 */
#ifndef KVMSCHEDCTL_MODEL_H
#define KVMSCHEDCTL_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/kvmsched.h>

/* "present" bit of attribute A (KVMSCHED_A_*): every reply attribute is optional. */
#define KVMS_BIT(a)		(UINT64_C(1) << (a))
#define KVMS_HAS(obj, a)	(((obj)->present & KVMS_BIT(a)) != 0)

/* The kernel sends at most 15 bytes of comm; longer strings are truncated. */
#define KVMS_COMM_MAX		31

struct kvms_vm {
	uint64_t present;		/* KVMS_BIT(KVMSCHED_A_VM_*) */
	uint32_t id;
	uint32_t pid;
	uint32_t nr_vcpus;
	uint32_t cpu_last_mcpu;		/* 0 to 1000 x nr_vcpus */
	uint32_t steal_last_permille;	/* 0-1000 */
	uint32_t class;			/* enum kvmsched_class */
	uint32_t weight;		/* 1-10000 */
	uint32_t entitled_mcpu;		/* last period */
	uint32_t demand_mcpu;		/* last period */
	uint32_t nr_active_vcpus;	/* last period */
	/* CPU bounds */
	uint32_t reservation_mcpu;	/* floor, 0 = none */
	uint32_t limit_mcpu;		/* ceiling, 0 = unlimited */
	uint32_t bound;			/* enum kvmsched_bound, last period */
	uint32_t reservation_misses;	/* periods */
	uint64_t throttled_ns;		/* summed over vCPUs */
	/* realtime class; absent from a module older than these attributes */
	uint32_t rt_priority;		/* 1-99, kept in every class */
	uint32_t rr_quantum_ms;		/* 0-1000, 0 = first-come-first-served */
	uint64_t rt_throttled_periods;	/* periods run SCHED_IDLE by the
					   starvation watchdog */
	uint64_t starved_count;		/* starvation episodes, absent: unknown */
	/* latency class; absent from a module older than the attribute */
	uint32_t latency_us;		/* 1000-10000, kept in every class */
	/* memory; the guest_* and balloon_* MiB are absent while unknown */
	uint32_t mem_shares;		/* 1-10000 */
	uint32_t mem_min_mib;
	uint32_t mem_max_mib;		/* effective: the guest RAM if unset */
	uint32_t guest_mem_mib;
	uint32_t rss_mib;
	uint32_t guest_free_mib;
	uint32_t guest_avail_mib;
	uint32_t balloon_actual_mib;
	uint32_t balloon_target_mib;
	uint32_t balloon_reason;	/* enum kvmsched_balloon_reason */
	/*
	 * Wakeup-to-run delay of the vCPU threads over the last complete
	 * window (KVMSCHED_WAKE_LATENCY_WINDOW_PERIODS periods); absent from a
	 * module older than these attributes. The hist present bit is set only
	 * for a payload of exactly KVMSCHED_WAKE_LATENCY_BUCKETS u32s.
	 */
	uint64_t wake_latency_count;	/* wakeups in the histogram */
	uint64_t wake_latency_p50_ns;	/* upper end of its bucket, <= max */
	uint64_t wake_latency_p99_ns;
	uint64_t wake_latency_max_ns;
	uint64_t wake_latency_skipped;	/* runs not in the histogram */
	uint32_t wake_latency_hist[KVMSCHED_WAKE_LATENCY_BUCKETS];
	uint64_t cpu_time_ns;
	uint64_t wait_time_ns;
	uint64_t vm_entries;
	char comm[KVMS_COMM_MAX + 1];
	char name[KVMSCHED_VM_NAME_MAX_LEN + 1];	/* "" when absent */
};

struct kvms_vcpu {
	uint64_t present;		/* KVMS_BIT(KVMSCHED_A_VCPU_*) */
	uint32_t vm_id;
	uint32_t vcpu_id;
	uint32_t tid;
	uint32_t cpu_last_mcpu;		/* 0-1000 */
	uint32_t steal_last_permille;	/* 0-1000 */
	uint32_t policy;		/* the kernel's SCHED_* number */
	int32_t nice;			/* -20 to 19 */
	uint32_t overrides;
	/* SCHED_DEADLINE; absent from a module older than these attributes */
	uint32_t dl_mcpu;		/* runtime given, 0 = not in the class */
	uint32_t dl_block;		/* enum kvmsched_dl_block */
	uint32_t dl_blocked;		/* periods */
	int32_t thread_shared;		/* -1, or the vcpu-id managing the thread */
	uint32_t starved_ms;		/* current starvation, absent: unknown */
	uint32_t burst_us;		/* mean run burst last period, 0 = did
					   not run; absent: unknown */
	uint64_t cpu_time_ns;
	uint64_t wait_time_ns;
	uint64_t vm_entries;
};

/*
 * The config attributes are u32 (config_field() in decode.h) but for the
 * counters and times since insmod (deadline_*, apply_*_ns,
 * rt_throttled_periods), u64 (config_field64()); config_value() reads
 * either.
 */
struct kvms_config {
	uint64_t present;		/* KVMS_BIT(KVMSCHED_A_CONFIG_*) */
	uint32_t period_ms;
	uint32_t nr_vms;
	/* CPU reservations */
	uint32_t reserve_headroom_pct;
	uint32_t capacity_mcpu;
	uint32_t reservable_mcpu;
	uint32_t reserved_mcpu;
	uint32_t overcommit_mcpu;
	/* memory and balloons */
	uint32_t mem_low_pct;
	uint32_t mem_critical_pct;
	uint32_t mem_hysteresis_pct;
	uint32_t balloon_step_pct;
	uint32_t balloon_min_step_bp;
	uint32_t idle_tax_pct;
	uint32_t balloon_max_pct;
	uint32_t balloon_period_ms;
	uint32_t mem_state;		/* enum kvmsched_mem_state */
	uint32_t host_mem_mib;
	uint32_t host_avail_mib;
	uint32_t psi_some_avg10_bp;	/* absent: never reported */
	uint32_t mem_psi_reclaim_bp;
	uint32_t starve_ms;		/* 0 = off, else 100-60000 */
	uint32_t burst_boost;		/* 0 = off, 1 = on */
	uint32_t burst_threshold_us;	/* 100-100000 */
	/* SCHED_DEADLINE counters since insmod */
	uint64_t deadline_refused;	/* VM-periods refused the class */
	uint64_t deadline_reclaimed;	/* threads whose bandwidth was released */
	uint64_t apply_last_ns;		/* last vm-set's apply in the kernel, ns */
	uint64_t apply_max_ns;		/* longest since insmod, ns */
	uint64_t rt_throttled_periods;	/* watchdog periods, since insmod */
};

/* Not an event of the family: the family itself was unregistered (rmmod). */
#define KVMS_EVENT_FAMILY_GONE	(-1)

/* One multicast event from the "events" group. */
struct kvms_event {
	int cmd;			/* KVMSCHED_CMD_*_NTF, or the above */
	struct kvms_vm vm;		/* vm-add/del/change, balloon-target */
	struct kvms_config config;	/* config-change, overcommit */
};

#endif /* KVMSCHEDCTL_MODEL_H */
