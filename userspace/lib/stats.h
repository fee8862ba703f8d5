/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmschedctl: rates from two samples of the cumulative counters (for top),
 * and sorting. Pure: no netlink, no I/O.
 */
#ifndef KVMSCHEDCTL_STATS_H
#define KVMSCHEDCTL_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

struct top_row {
	const struct kvms_vm *vm;	/* in the current sample */
	bool has_cpu;			/* false: new VM, or counters went back */
	bool has_wait;			/* also false when the VM has no vCPU */
	double cpu_pct;			/* 100 = one CPU over the interval */
	double wait_pct;		/* 100 = every vCPU waited all the time */
};

/*
 * One row per VM of cur[0..ncur), rates against the same VM id in prev over
 * interval_ns. CPU% = d(cpu-time-ns) / interval; WAIT% = d(wait-time-ns) /
 * (interval x vCPUs). Rows are sorted by CPU% (highest first; VMs without a
 * rate last), then id. Returns ncur.
 */
size_t top_compute(const struct kvms_vm *prev, size_t nprev,
		   const struct kvms_vm *cur, size_t ncur, uint64_t interval_ns,
		   struct top_row *rows);

void vms_sort_by_id(struct kvms_vm *vms, size_t n);
void vcpus_sort_by_id(struct kvms_vcpu *vcpus, size_t n);

#endif /* KVMSCHEDCTL_STATS_H */
