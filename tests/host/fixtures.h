/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What several host unit tests share: capturing a FILE's output, and VMs
 * and configurations built by hand (as the kernel would send them).
 * static inline: a test that does not use one does not warn.
 */
#ifndef KVMSCHEDCTL_TEST_FIXTURES_H
#define KVMSCHEDCTL_TEST_FIXTURES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

struct capture {
	FILE *f;
	char *buf;
	size_t len;
};

static inline void cap_open(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	if (!c->f) {
		perror("open_memstream");
		exit(2);
	}
}

/* Close and return the text (valid until the next cap_open on c). */
static inline const char *cap_text(struct capture *c)
{
	fclose(c->f);
	return c->buf;
}

static inline void cap_free(struct capture *c)
{
	free(c->buf);
	c->buf = NULL;
}

static inline struct kvms_vm mkvm(uint32_t id, uint32_t pid, const char *name)
{
	struct kvms_vm vm;

	memset(&vm, 0, sizeof(vm));
	vm.present = KVMS_BIT(KVMSCHED_A_VM_ID) | KVMS_BIT(KVMSCHED_A_VM_PID);
	vm.id = id;
	vm.pid = pid;
	if (name) {
		vm.present |= KVMS_BIT(KVMSCHED_A_VM_NAME);
		snprintf(vm.name, sizeof(vm.name), "%s", name);
	}
	return vm;
}

/* A VM as a real host has it: qemu, a name, every attribute. */
static inline struct kvms_vm full_vm(uint32_t id, const char *name)
{
	struct kvms_vm vm = mkvm(id, 1234567, name);

	vm.present |= KVMS_BIT(KVMSCHED_A_VM_COMM) |
		      KVMS_BIT(KVMSCHED_A_VM_NR_VCPUS) |
		      KVMS_BIT(KVMSCHED_A_VM_CPU_LAST_MCPU) |
		      KVMS_BIT(KVMSCHED_A_VM_STEAL_LAST_PERMILLE) |
		      KVMS_BIT(KVMSCHED_A_VM_CPU_TIME_NS) |
		      KVMS_BIT(KVMSCHED_A_VM_WAIT_TIME_NS) |
		      KVMS_BIT(KVMSCHED_A_VM_VM_ENTRIES) |
		      KVMS_BIT(KVMSCHED_A_VM_CLASS) |
		      KVMS_BIT(KVMSCHED_A_VM_WEIGHT) |
		      KVMS_BIT(KVMSCHED_A_VM_ENTITLED_MCPU) |
		      KVMS_BIT(KVMSCHED_A_VM_DEMAND_MCPU) |
		      KVMS_BIT(KVMSCHED_A_VM_NR_ACTIVE_VCPUS);
	strcpy(vm.comm, "qemu-system-x86");
	vm.nr_vcpus = 16;
	vm.class = KVMSCHED_CLASS_BACKGROUND;
	vm.weight = 10000;
	vm.entitled_mcpu = 16000;
	vm.demand_mcpu = 16000;
	vm.nr_active_vcpus = 16;
	vm.cpu_last_mcpu = 16000;
	vm.steal_last_permille = 1000;
	vm.cpu_time_ns = 123456789012345ull;
	vm.wait_time_ns = 12345678901234ull;
	vm.vm_entries = 123456789012ull;
	return vm;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* A VM from a kernel with CPU bounds and balloons: every attribute. */
static inline struct kvms_vm bounded_vm(void)
{
	struct kvms_vm vm = full_vm(3, "web1");

	vm.present |= KVMS_BIT(KVMSCHED_A_VM_RESERVATION_MCPU) |
		      KVMS_BIT(KVMSCHED_A_VM_LIMIT_MCPU) |
		      KVMS_BIT(KVMSCHED_A_VM_BOUND) |
		      KVMS_BIT(KVMSCHED_A_VM_THROTTLED_NS) |
		      KVMS_BIT(KVMSCHED_A_VM_RESERVATION_MISSES) |
		      KVMS_BIT(KVMSCHED_A_VM_MEM_SHARES) |
		      KVMS_BIT(KVMSCHED_A_VM_MEM_MIN_MIB) |
		      KVMS_BIT(KVMSCHED_A_VM_MEM_MAX_MIB) |
		      KVMS_BIT(KVMSCHED_A_VM_GUEST_MEM_MIB) |
		      KVMS_BIT(KVMSCHED_A_VM_RSS_MIB) |
		      KVMS_BIT(KVMSCHED_A_VM_GUEST_FREE_MIB) |
		      KVMS_BIT(KVMSCHED_A_VM_GUEST_AVAIL_MIB) |
		      KVMS_BIT(KVMSCHED_A_VM_BALLOON_ACTUAL_MIB) |
		      KVMS_BIT(KVMSCHED_A_VM_BALLOON_TARGET_MIB) |
		      KVMS_BIT(KVMSCHED_A_VM_BALLOON_REASON);
	vm.class = KVMSCHED_CLASS_SHARES;
	vm.weight = 100;
	vm.nr_vcpus = 2;
	vm.entitled_mcpu = 500;
	vm.demand_mcpu = 2000;
	vm.nr_active_vcpus = 2;
	vm.cpu_last_mcpu = 480;
	vm.steal_last_permille = 250;
	vm.reservation_mcpu = 500;
	vm.limit_mcpu = 1500;
	vm.bound = KVMSCHED_BOUND_RESERVATION;
	vm.throttled_ns = 1250000000ull;
	vm.reservation_misses = 3;
	vm.mem_shares = 200;
	vm.mem_min_mib = 512;
	vm.mem_max_mib = 2048;
	vm.guest_mem_mib = 2048;
	vm.rss_mib = 1900;
	vm.guest_free_mib = 700;
	vm.guest_avail_mib = 1100;
	vm.balloon_actual_mib = 1536;
	vm.balloon_target_mib = 1024;
	vm.balloon_reason = KVMSCHED_BALLOON_REASON_INFLATE;
	return vm;
}

/* A configuration as a kernel with reservations and balloons sends it. */
static inline struct kvms_config full_config(void)
{
	struct kvms_config cfg;
	int a;

	memset(&cfg, 0, sizeof(cfg));
	for (a = 1; a <= KVMSCHED_A_CONFIG_MAX; a++)
		cfg.present |= KVMS_BIT(a);
	cfg.present &= ~(KVMS_BIT(KVMSCHED_A_CONFIG_PSI_SOME_AVG10_BP) |
			 KVMS_BIT(KVMSCHED_A_CONFIG_PAD));
	cfg.period_ms = 100;
	cfg.nr_vms = 2;
	cfg.reserve_headroom_pct = 10;
	cfg.capacity_mcpu = 2000;
	cfg.reservable_mcpu = 1800;
	cfg.reserved_mcpu = 1400;
	cfg.overcommit_mcpu = 0;
	cfg.mem_low_pct = 20;
	cfg.mem_critical_pct = 5;
	cfg.mem_hysteresis_pct = 5;
	cfg.balloon_step_pct = 5;
	cfg.balloon_min_step_bp = 25;
	cfg.idle_tax_pct = 75;
	cfg.balloon_max_pct = 65;
	cfg.balloon_period_ms = 10000;
	cfg.mem_state = KVMSCHED_MEM_STATE_RECLAIM;
	cfg.host_mem_mib = 7936;
	cfg.host_avail_mib = 1200;
	cfg.psi_some_avg10_bp = 1234;	/* not present */
	cfg.mem_psi_reclaim_bp = 1000;
	cfg.starve_ms = 1000;
	cfg.burst_boost = 1;
	cfg.burst_threshold_us = 2500;
	cfg.deadline_refused = 5000000000ull;	/* past 32 bits */
	cfg.deadline_reclaimed = 3;
	cfg.apply_last_ns = 1500000;
	cfg.apply_max_ns = 2000000;
	cfg.rt_throttled_periods = 6;
	return cfg;
}

#endif /* KVMSCHEDCTL_TEST_FIXTURES_H */
