// SPDX-License-Identifier: GPL-2.0
/*
 * make bench P4: what the wake latency measurement costs per VM entry
 * (kmod/lathist.c compiled unchanged against tests/bench/shim/), native CPU.
 *
 * The kvm_entry probe (track.c, kvms_probe_lat()) compares the thread's
 * sched_info.pcount with its snapshot: equal (the thread did not run again
 * since its last VM entry, the common case) costs that compare; otherwise it
 * calls kvms_lat_arrival(). A VM entry itself costs hundreds of ns to a few
 * us. Both paths are timed here, with the probe's exact test copied in.
 */
#include <stdio.h>
#include <time.h>

#include <linux/kernel.h>

#include "../../kmod/lathist.h"

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

struct fake_task {
	u64 pcount, run_delay, nvcsw, nivcsw;
};

/* track.c's kvms_probe_lat(), with current's fields passed in */
static inline void probe(struct kvms_lat_probe *t, const struct fake_task *p)
{
	u64 pcount = READ_ONCE(p->pcount);

	if (pcount == t->pcount && t->task == p)
		return;
	kvms_lat_arrival(t, p, pcount, p->run_delay, p->nvcsw, p->nivcsw);
}

#define N 20000000

int main(void)
{
	static struct kvms_lat_probe t;
	static volatile struct fake_task vp;
	struct fake_task *p = (struct fake_task *)&vp;
	double t0, same = 1e30, moved = 1e30;
	int r, i;

	for (r = 0; r < 5; r++) {
		/* no arrival since the last entry: the compare only */
		probe(&t, p);
		t0 = now_ns();
		for (i = 0; i < N; i++)
			probe(&t, p);
		if ((now_ns() - t0) / N < same)
			same = (now_ns() - t0) / N;
		/* an arrival at every entry (a wakeup each time: worst case) */
		t0 = now_ns();
		for (i = 0; i < N; i++) {
			vp.pcount++;
			vp.nvcsw++;
			vp.run_delay += 1000 + (i & 0xffff);
			probe(&t, p);
		}
		if ((now_ns() - t0) / N < moved)
			moved = (now_ns() - t0) / N;
	}
	printf("%-46s %8s\n", "path per VM entry", "ns");
	printf("%-46s %8.2f\n", "no run since the last entry (compare)", same);
	printf("%-46s %8.2f\n", "a wakeup since the last entry (histogram)", moved);
	printf("(%u wakeups recorded, %u skipped: the loop's own check)\n",
	       t.hist[1] + t.hist[2] + t.hist[3] + t.hist[4] + t.hist[5] + t.hist[6] + t.hist[7],
	       t.skipped);
	return 0;
}
