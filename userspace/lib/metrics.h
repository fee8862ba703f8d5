/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmschedctl: kvmsched's state as Prometheus metrics, for kvmschedctl
 * metrics and the daemon's --metrics-textfile. metrics_fetch() reads one
 * snapshot over netlink (ipc.h); metrics_render() is pure and writes it
 * with prom.h. The names and units are listed in kvmschedctl(8), METRICS.
 */
#ifndef KVMSCHEDCTL_METRICS_H
#define KVMSCHEDCTL_METRICS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model.h"

struct ipc;

struct metrics_snap {
	struct kvms_config cfg;
	struct kvms_vm *vms;		/* sorted by id */
	size_t nvms;
	struct kvms_vcpu *vcpus;	/* sorted by (vm_id, vcpu_id) */
	size_t nvcpus;
};

/*
 * The configuration, every VM and every vCPU; a dump interrupted by a
 * change is retried a few times, then used as it is. Returns 0 or a
 * negative errno (see ipc_error()). metrics_snap_free() in either case.
 */
int metrics_fetch(struct ipc *ipc, struct metrics_snap *s);
void metrics_snap_free(struct metrics_snap *s);

/*
 * Keep only the VMs (and their vCPUs) whose id is in ids[0..n); the host
 * metrics stay.
 */
void metrics_filter(struct metrics_snap *s, const uint32_t *ids, size_t n);

/* Write s in the text exposition format. Returns 0 or a negative errno. */
int metrics_render(FILE *f, const struct metrics_snap *s);

#endif /* KVMSCHEDCTL_METRICS_H */
