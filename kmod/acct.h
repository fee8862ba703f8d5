/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmsched accounting arithmetic: turns cumulative per-thread counters
 * (CPU time and run-queue wait time, both in ns) into per-period rates.
 *
 * KVM-free and scheduler-free: plain arithmetic over plain structs, so the
 * KUnit suite kvmsched_acct can exercise it on UML.
 */
#ifndef _KVMSCHED_ACCT_H
#define _KVMSCHED_ACCT_H

#include <linux/types.h>

/**
 * struct kvms_acct - per-period accounting of one vCPU thread
 * @stamp_ns:		monotonic time of the last sample, ns (0: never sampled)
 * @cpu_ns:		cumulative CPU time at the last sample, ns
 * @wait_ns:		cumulative runnable-but-waiting time at the last sample, ns
 * @last_cpu_ns:	CPU time used during the last period, ns
 * @last_wait_ns:	waiting time during the last period, ns
 * @last_period_ns:	length of the last period, ns
 * @starved_ns:		how long the thread has been waiting for a CPU without
 *			running, at the last sample (kvms_acct_starve()); 0
 *			when it runs, sleeps, or reporting is off
 * @starve_since_ns:	when the last reported wait began
 * @runs:		cumulative times the thread was put on a CPU at the last
 *			sample (the kernel's sched_info.pcount)
 * @burst_ns:		its mean run burst in the last period: CPU used over
 *			the times it was put on a CPU (kvms_acct_burst()), ns;
 *			0 when it did not run
 * @blocks:		cumulative times it blocked (left its CPU to sleep or
 *			halt: the kernel's nvcsw) at the last sample
 * @last_runs:		times it was put on a CPU in the last period
 * @last_blocks:	times it blocked in the last period
 * @on_cpu:		it was on a CPU at the last sample (its CPU time may
 *			lag, see kvms_measure())
 *
 * Written only by the sampling worker (one writer); other readers use
 * READ_ONCE() and may see values of two different periods, which is fine
 * for display.
 */
struct kvms_acct {
	u64 stamp_ns;
	u64 cpu_ns;
	u64 wait_ns;
	u64 last_cpu_ns;
	u64 last_wait_ns;
	u64 last_period_ns;
	u64 starved_ns;
	u64 starve_since_ns;
	u64 runs;
	u64 burst_ns;
	u64 blocks;
	u64 last_runs;
	u64 last_blocks;
	bool on_cpu;
};

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

struct kvms_vm;

void kvms_vm_stats(const struct kvms_vm *vm, struct kvms_vm_stats *st);
void kvms_acct_sample(struct kvms_acct *a, u64 now_ns, u64 cpu_ns,
		      u64 wait_ns);
void kvms_acct_burst(struct kvms_acct *a, u64 runs, u64 blocks);
bool kvms_acct_blocks(const struct kvms_acct *a);
u32 kvms_acct_rate(u64 part_ns, u64 period_ns, u32 scale);
bool kvms_acct_starve(struct kvms_acct *a, u64 since_ns, u64 now_ns,
		      u64 limit_ns);
u32 kvms_acct_cpu_mcpu(const struct kvms_acct *a);
u32 kvms_acct_steal_permille(const struct kvms_acct *a);

#endif /* _KVMSCHED_ACCT_H */
