// SPDX-License-Identifier: GPL-2.0
/*
 * kvmsched wake latency histograms (KVM-free, see lathist.h).
 */
#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/string.h>

#include "lathist.h"

/**
 * kvms_lat_bucket() - the histogram bucket of a wait
 * @ns: the wait, ns
 *
 * Return: 0 for @ns < 1024, else i such that 2^(9+i) <= @ns < 2^(10+i),
 * at most KVMS_LAT_BUCKETS - 1.
 */
unsigned int kvms_lat_bucket(u64 ns)
{
	unsigned int f = fls64(ns);

	if (f <= 10)
		return 0;
	return min_t(unsigned int, f - 10, KVMS_LAT_BUCKETS - 1);
}

/**
 * kvms_lat_bucket_max_ns() - the longest wait bucket @i counts
 * @i: bucket, 0 to KVMS_LAT_BUCKETS - 1
 *
 * Return: 2^(10+i) - 1 ns, U64_MAX for the last bucket.
 */
u64 kvms_lat_bucket_max_ns(unsigned int i)
{
	if (i >= KVMS_LAT_BUCKETS - 1)
		return U64_MAX;
	return (1ULL << (10 + i)) - 1;
}

/* The shortest wait bucket @i counts, ns. */
static u64 kvms_lat_bucket_min_ns(unsigned int i)
{
	return i ? 1ULL << (9 + i) : 0;
}

/**
 * kvms_lat_arrival() - a thread ran again since its last VM entry
 * @t:		its probe state
 * @task:	the thread (identity only)
 * @pcount:	its sched_info.pcount now
 * @run_delay:	its sched_info.run_delay now, ns
 * @nvcsw:	its voluntary switches now
 * @nivcsw:	its involuntary switches now
 *
 * The first call for a thread only takes the snapshot. A single arrival
 * after a single blocking switch is a wakeup: its wait goes in the
 * histogram. Anything else (a preemption, several switches between two VM
 * entries, counters that went backwards) is counted as skipped.
 *
 * Context: the kvm_entry probe, IRQs off; no locks, no allocation.
 */
void kvms_lat_arrival(struct kvms_lat_probe *t, const void *task, u64 pcount,
		      u64 run_delay, u64 nvcsw, u64 nivcsw)
{
	if (t->task == task) {
		u64 wait = run_delay - t->run_delay;

		if (pcount - t->pcount == 1 && nvcsw - t->nvcsw == 1 &&
		    nivcsw == t->nivcsw && run_delay >= t->run_delay) {
			unsigned int b = kvms_lat_bucket(wait);

			WRITE_ONCE(t->hist[b], t->hist[b] + 1);
			if (wait > READ_ONCE(t->max_ns))
				WRITE_ONCE(t->max_ns, wait);
		} else {
			WRITE_ONCE(t->skipped, t->skipped + 1);
		}
	}
	t->task = task;
	t->pcount = pcount;
	t->run_delay = run_delay;
	t->nvcsw = nvcsw;
	t->nivcsw = nivcsw;
}

/**
 * kvms_lat_fold() - add what one vCPU measured since the last fold
 * @w:		its VM's window
 * @seen:	what was folded of @t before; updated
 * @t:		the vCPU's probe state (its probe may run concurrently)
 *
 * Context: the period worker (the only writer of @w and @seen).
 */
void kvms_lat_fold(struct kvms_lat_win *w, struct kvms_lat_seen *seen,
		   struct kvms_lat_probe *t)
{
	unsigned int i;
	u64 m;
	u32 v;

	for (i = 0; i < KVMS_LAT_BUCKETS; i++) {
		v = READ_ONCE(t->hist[i]);
		w->acc.hist[i] += v - seen->hist[i];
		w->acc.count += v - seen->hist[i];
		seen->hist[i] = v;
	}
	v = READ_ONCE(t->skipped);
	w->acc.skipped += v - seen->skipped;
	seen->skipped = v;
	/*
	 * A wait the probe records between this read and the exchange lands in
	 * the next window's maximum and this window's histogram:
	 * kvms_lat_close() keeps the maximum inside the top bucket.
	 */
	m = xchg(&t->max_ns, 0);
	w->acc.max_ns = max(w->acc.max_ns, m);
}

/**
 * kvms_lat_pct() - a percentile of a window
 * @s:		the window (@hist, @count and @max_ns set)
 * @pct:	1 to 100
 *
 * Return: the upper end of the bucket that holds the @pct-th percentile
 * wait (the smallest wait at least @pct % of the waits do not exceed),
 * capped at @s->max_ns; 0 for an empty window.
 */
u64 kvms_lat_pct(const struct kvms_lat_stat *s, u32 pct)
{
	u64 rank, seen = 0;
	unsigned int i;

	if (!s->count)
		return 0;
	/* ceil(count * pct / 100), at least 1 */
	rank = max_t(u64, 1, DIV_ROUND_UP_ULL(s->count * min(pct, 100U), 100));
	for (i = 0; i < KVMS_LAT_BUCKETS; i++) {
		seen += s->hist[i];
		if (seen >= rank)
			return min(kvms_lat_bucket_max_ns(i), s->max_ns);
	}
	return s->max_ns;
}

/**
 * kvms_lat_close() - end one period; publish the window when it is full
 * @w:		a VM's window
 * @out:	the result, written only when the window closed
 *
 * Context: the period worker.
 * Return: true when @out was written (every KVMS_LAT_WINDOW periods).
 */
bool kvms_lat_close(struct kvms_lat_win *w, struct kvms_lat_stat *out)
{
	struct kvms_lat_stat *a = &w->acc;
	int top;

	if (++w->periods < KVMS_LAT_WINDOW)
		return false;
	/* the maximum within the top non-empty bucket (see kvms_lat_fold()) */
	for (top = KVMS_LAT_BUCKETS - 1; top >= 0 && !a->hist[top]; top--)
		;
	if (top < 0)
		a->max_ns = 0;
	else
		a->max_ns = clamp(a->max_ns, kvms_lat_bucket_min_ns(top),
				  kvms_lat_bucket_max_ns(top));
	a->p50_ns = kvms_lat_pct(a, 50);
	a->p99_ns = kvms_lat_pct(a, 99);
	*out = *a;
	memset(w, 0, sizeof(*w));
	return true;
}
