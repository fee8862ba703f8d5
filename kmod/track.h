/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmsched tracking: finds VMs and vCPU threads from the kvm_entry
 * tracepoint, samples their accounting and forgets VMs that are gone.
 */
#ifndef _KVMSCHED_TRACK_H
#define _KVMSCHED_TRACK_H

#include <linux/sched.h>

#include "registry.h"

extern struct kvms_registry kvms_reg;

/**
 * struct kvms_vm_stats - a VM's counters, summed over its vCPUs
 * @cpu_ns:		CPU time, ns
 * @wait_ns:		runnable-but-waiting (steal) time, ns
 * @entries:		VM entries since discovery
 * @cpu_last_mcpu:	CPU used in the last period, millicpus
 * @steal_last_permille: mean per-vCPU steal in the last period, per mille
 */
struct kvms_vm_stats {
	u64 cpu_ns;
	u64 wait_ns;
	u64 entries;
	u32 cpu_last_mcpu;
	u32 steal_last_permille;
};

/* CPU time of a vCPU's thread, ns; context as for kvms_vcpu_task(). */
static inline u64 kvms_vcpu_cpu_ns(const struct kvms_vcpu *kv)
{
	return READ_ONCE(kvms_vcpu_task(kv)->se.sum_exec_runtime);
}

/* Time a vCPU's thread spent runnable but not running, ns; likewise. */
static inline u64 kvms_vcpu_wait_ns(const struct kvms_vcpu *kv)
{
	return READ_ONCE(kvms_vcpu_task(kv)->sched_info.run_delay);
}

void kvms_vm_stats(const struct kvms_vm *vm, struct kvms_vm_stats *st);
int kvms_track_init(void);
void kvms_track_exit(void);
void kvms_track_period_changed(void);

#endif /* _KVMSCHED_TRACK_H */
