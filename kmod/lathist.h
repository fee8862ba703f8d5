/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmsched wake latency: how long each vCPU thread waited for a CPU after it
 * was woken, into a per-VM log2 histogram over a window of periods.
 *
 * KVM-free and scheduler-free: the kvm_entry probe hands in the thread's own
 * schedstat counters, the period worker folds and publishes. The KUnit suite
 * kvmsched_lathist exercises it on UML.
 *
 * How a wait is measured, exactly: the kernel adds every run-queue wait of a
 * thread to sched_info.run_delay and counts its arrivals on a CPU in
 * sched_info.pcount (kernel/sched/stats.h, sched_info_arrive(), with
 * CONFIG_SCHED_INFO); every switch away counts in nvcsw (it blocked) or
 * nivcsw (it was preempted). The probe runs on the vCPU thread at each VM
 * entry; when exactly one arrival, after exactly one blocking switch and no
 * preemption, happened since the last entry, the run_delay it added is that
 * wakeup's wakeup-to-run delay (a wait split by a migration is added in two
 * parts, both before the arrival). Other arrivals are counted as skipped.
 * What the kernel's accounting leaves out, and so this does too: a wakeup
 * queued on an idle or cross-LLC target CPU's wake list is enqueued (and
 * its wait starts) only when that CPU handles the IPI (ttwu_queue_cond(),
 * sched_ttwu_pending()), so the IPI and idle-exit latency is not in it; and
 * a wakeup that preempts the CPU's current task skips the rq clock update
 * of the switch that follows (rq_clock_skip_update() from
 * check_preempt_curr() in 6.1, wakeup_preempt() in 6.12), so its wait reads
 * about zero. A schedule() with a signal pending counts as a blocking
 * switch without sleeping; its runnable wait is then counted as a wakeup's
 * (rare).
 */
#ifndef _KVMSCHED_LATHIST_H
#define _KVMSCHED_LATHIST_H

#include <linux/types.h>

#include "../uapi/linux/kvmsched.h"

#define KVMS_LAT_BUCKETS	KVMSCHED_WAKE_LATENCY_BUCKETS
#define KVMS_LAT_WINDOW		KVMSCHED_WAKE_LATENCY_WINDOW_PERIODS

/**
 * struct kvms_lat_probe - one vCPU thread's wake latency, cumulative
 * @task:	the thread the snapshot below belongs to (compared, never
 *		dereferenced); another thread re-primes it
 * @pcount:	sched_info.pcount at the last VM entry that saw a change
 * @run_delay:	sched_info.run_delay then, ns
 * @nvcsw:	voluntary switches then
 * @nivcsw:	involuntary switches then
 * @hist:	wakeups per bucket since discovery (wraps; read as differences)
 * @skipped:	arrivals not attributable to one wakeup (wraps likewise)
 * @max_ns:	longest wait since the worker last took it
 *
 * Written by the kvm_entry probe on the thread itself (one writer at a time:
 * KVM runs a vCPU on one thread at a time); the worker reads @hist and
 * @skipped with READ_ONCE() and takes @max_ns with xchg().
 */
struct kvms_lat_probe {
	const void *task;
	u64 pcount;
	u64 run_delay;
	u64 nvcsw;
	u64 nivcsw;
	u32 hist[KVMS_LAT_BUCKETS];
	u32 skipped;
	u64 max_ns;
};

/**
 * struct kvms_lat_seen - what the worker already folded of one vCPU's probe
 * @hist:	@hist of struct kvms_lat_probe at the last fold
 * @skipped:	@skipped likewise
 */
struct kvms_lat_seen {
	u32 hist[KVMS_LAT_BUCKETS];
	u32 skipped;
};

/**
 * struct kvms_lat_stat - one window's result
 * @hist:	wakeups per bucket
 * @count:	sum of @hist
 * @p50_ns:	median, the upper end of its bucket capped at @max_ns
 * @p99_ns:	99th percentile, likewise
 * @max_ns:	longest wait, within the top non-empty bucket
 * @skipped:	arrivals not in @hist
 */
struct kvms_lat_stat {
	u32 hist[KVMS_LAT_BUCKETS];
	u64 count;
	u64 p50_ns;
	u64 p99_ns;
	u64 max_ns;
	u64 skipped;
};

/**
 * struct kvms_lat_win - a VM's window being filled (period worker only)
 * @acc:	the window so far (percentiles not computed)
 * @periods:	periods folded into @acc
 */
struct kvms_lat_win {
	struct kvms_lat_stat acc;
	u32 periods;
};

unsigned int kvms_lat_bucket(u64 ns);
u64 kvms_lat_bucket_max_ns(unsigned int i);
void kvms_lat_arrival(struct kvms_lat_probe *t, const void *task, u64 pcount,
		      u64 run_delay, u64 nvcsw, u64 nivcsw);
void kvms_lat_fold(struct kvms_lat_win *w, struct kvms_lat_seen *seen,
		   struct kvms_lat_probe *t);
bool kvms_lat_close(struct kvms_lat_win *w, struct kvms_lat_stat *out);
u64 kvms_lat_pct(const struct kvms_lat_stat *s, u32 pct);

#endif /* _KVMSCHED_LATHIST_H */
