// SPDX-License-Identifier: GPL-2.0
/*
 * kvmsched accounting arithmetic (KVM-free, see acct.h).
 */
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/minmax.h>

#include "acct.h"
#include "registry.h"

/**
 * kvms_acct_sample() - close one period and open the next
 * @a:		accounting state of one vCPU thread
 * @now_ns:	monotonic time of this sample, ns
 * @cpu_ns:	cumulative CPU time of the thread now, ns
 * @wait_ns:	cumulative time the thread was runnable but not running, ns
 *
 * The first sample only primes @a. A counter that went backwards (it never
 * should; a thread is never replaced under one vCPU) or a clock that did not
 * advance yields an empty period instead of a huge unsigned difference.
 *
 * Context: any; @a has a single writer.
 */
void kvms_acct_sample(struct kvms_acct *a, u64 now_ns, u64 cpu_ns,
		      u64 wait_ns)
{
	if (a->stamp_ns && now_ns > a->stamp_ns) {
		a->last_period_ns = now_ns - a->stamp_ns;
		a->last_cpu_ns = cpu_ns > a->cpu_ns ? cpu_ns - a->cpu_ns : 0;
		a->last_wait_ns = wait_ns > a->wait_ns ? wait_ns - a->wait_ns : 0;
	} else {
		a->last_period_ns = 0;
		a->last_cpu_ns = 0;
		a->last_wait_ns = 0;
	}
	a->stamp_ns = now_ns;
	a->cpu_ns = cpu_ns;
	a->wait_ns = wait_ns;
}

/**
 * kvms_acct_burst() - the thread's mean run burst in the period just closed
 * @a:		accounting state, right after kvms_acct_sample()
 * @runs:	cumulative times the thread was put on a CPU now (the kernel's
 *		sched_info.pcount)
 * @blocks:	cumulative times it blocked now (the kernel's nvcsw)
 *
 * A thread that ran without being put on a CPU again (it kept one through
 * the period) made one burst of all its CPU time. The first sample, or a
 * count that went backwards (a new thread), only primes @a.
 *
 * Context: any; @a has a single writer.
 */
void kvms_acct_burst(struct kvms_acct *a, u64 runs, u64 blocks)
{
	u64 n = runs > a->runs && a->last_period_ns ? runs - a->runs : 0;

	a->last_runs = n;
	a->last_blocks = blocks > a->blocks && n ? blocks - a->blocks : 0;
	a->blocks = blocks;
	a->runs = runs;
	if (!a->last_cpu_ns)
		a->burst_ns = 0;
	else
		a->burst_ns = div64_u64(a->last_cpu_ns, max(n, 1ULL));
}

/**
 * kvms_acct_blocks() - did the thread's runs end by blocking, last period
 * @a:	accounting state, after kvms_acct_burst()
 *
 * An I/O-bound or interactive vCPU halts after a short run; a CPU-bound one
 * is preempted, and under contention its runs are short too (a slice), so
 * the length of the bursts alone would not tell them apart.
 *
 * Return: true if it ran and blocked at least every other time it was put
 * on a CPU.
 */
bool kvms_acct_blocks(const struct kvms_acct *a)
{
	return a->last_runs && a->last_blocks * 2 >= a->last_runs;
}

/**
 * kvms_acct_starve() - is the thread starving, and newly reported so
 * @a:		the thread's accounting
 * @since_ns:	when the thread was last queued and has waited since without
 *		running (the kernel's sched_info.last_queued), 0 if it is
 *		running or not runnable
 * @now_ns:	the same clock now
 * @limit_ns:	how long a wait is reported after (starve_ms), ns; 0 off
 *
 * Sets @a->starved_ns to the wait so far (0 when off). A wait is reported
 * once: a new one has a new @since_ns.
 *
 * Context: any; @a has a single writer.
 * Return: true when this wait reached @limit_ns and was not reported yet.
 */
bool kvms_acct_starve(struct kvms_acct *a, u64 since_ns, u64 now_ns,
		      u64 limit_ns)
{
	if (!limit_ns || !since_ns || now_ns <= since_ns) {
		a->starved_ns = 0;
		return false;
	}
	a->starved_ns = now_ns - since_ns;
	if (a->starved_ns < limit_ns || a->starve_since_ns == since_ns)
		return false;
	a->starve_since_ns = since_ns;
	return true;
}

/**
 * kvms_acct_rate() - @part_ns as a fraction of @period_ns, times @scale
 * @part_ns:	time spent in some state during the period, ns
 * @period_ns:	length of the period, ns
 * @scale:	1000 for millicpus or per mille, 100 for percent
 *
 * Rounds to nearest and clamps to @scale: a single thread cannot use more
 * than the period (counters read at slightly different instants can say so).
 *
 * Return: the rate in units of 1/@scale, 0 for an empty period.
 */
u32 kvms_acct_rate(u64 part_ns, u64 period_ns, u32 scale)
{
	if (!period_ns)
		return 0;
	if (part_ns >= period_ns)
		return scale;
	/* part_ns < period_ns, so part_ns * scale / period_ns < scale. */
	return (u32)mul_u64_u64_div_u64(part_ns, scale, period_ns) +
	       (mul_u64_u64_div_u64(part_ns, 2ULL * scale, period_ns) & 1);
}

/**
 * kvms_acct_cpu_mcpu() - CPU used in the last period
 * @a: accounting state
 *
 * Return: millicpus (1000 = one CPU busy for the whole period).
 */
u32 kvms_acct_cpu_mcpu(const struct kvms_acct *a)
{
	return kvms_acct_rate(a->last_cpu_ns, a->last_period_ns, 1000);
}

/**
 * kvms_acct_steal_permille() - waiting time in the last period
 * @a: accounting state
 *
 * This is what the guest sees as steal time: the share of wall time the
 * vCPU thread was runnable but had no CPU.
 *
 * Return: per mille of the period (0-1000).
 */
u32 kvms_acct_steal_permille(const struct kvms_acct *a)
{
	return kvms_acct_rate(a->last_wait_ns, a->last_period_ns, 1000);
}

/**
 * kvms_vm_stats() - sum a VM's counters over its vCPUs
 * @vm:	the VM (a reference or kvms_reg.lock keeps it alive)
 * @st:	filled in
 *
 * Context: any context that may take rcu_read_lock().
 */
void kvms_vm_stats(const struct kvms_vm *vm, struct kvms_vm_stats *st)
{
	const struct kvms_vcpu *kv;
	u32 steal = 0, n = 0;

	memset(st, 0, sizeof(*st));
	rcu_read_lock();
	list_for_each_entry_rcu(kv, &vm->vcpus, node) {
		st->entries += READ_ONCE(kv->entries);
		if (READ_ONCE(kv->owner))
			continue;	/* its thread counts once, at its manager */
		st->cpu_ns += kvms_vcpu_cpu_ns(kv);
		st->wait_ns += kvms_vcpu_wait_ns(kv);
		st->cpu_last_mcpu += kvms_acct_cpu_mcpu(&kv->acct);
		steal += kvms_acct_steal_permille(&kv->acct);
		n++;
	}
	rcu_read_unlock();
	st->steal_last_permille = n ? (steal + n / 2) / n : 0;
}
