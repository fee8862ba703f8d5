/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmschedctl: a VM's wake latency (the wake-latency-* VM attributes): the
 * delay from a vCPU thread's wakeup to its next run, over the module's last
 * complete window of KVMSCHED_WAKE_LATENCY_WINDOW_PERIODS periods, as a log2
 * histogram. Bucket bounds, human units, the histogram that kvmschedctl
 * latency prints and its JSON. Pure: writes only to the FILE it is given.
 */
#ifndef KVMSCHEDCTL_LATENCY_H
#define KVMSCHEDCTL_LATENCY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "json.h"
#include "model.h"

#define LAT_BUCKETS	KVMSCHED_WAKE_LATENCY_BUCKETS

/*
 * The waits bucket i counts, in ns: [lat_bucket_min_ns(i),
 * lat_bucket_max_ns(i)]. Bucket 0 is 0-1023, bucket i (1-30) is 2^(9+i) to
 * 2^(10+i) - 1, the last is 2^40 and more (max UINT64_MAX).
 */
uint64_t lat_bucket_min_ns(unsigned int i);
uint64_t lat_bucket_max_ns(unsigned int i);

/* The kernel sent every wake-latency attribute (an older module sends none). */
bool lat_present(const struct kvms_vm *vm);

/*
 * ns in human units with 3 significant digits and no trailing zeros:
 * 850 -> "850 ns", 2048 -> "2.05 us", 4096 -> "4.1 us", 12345678 ->
 * "12.3 ms", 2^40 -> "1100 s"; compact drops the space ("4.1us", for top).
 */
void fmt_lat_ns(char *buf, size_t len, uint64_t ns, bool compact);

/*
 * The histogram of kvmschedctl latency: a title line, one line per bucket
 * from the lowest to the highest non-empty one ("  2.05 us -   4.1 us  |
 * 123  ####": the bucket's lowest wait and the next bucket's, its count and
 * a bar scaled to the fullest bucket), then count, p50, p99, max and
 * skipped. A window without wakeups says so instead of the bucket lines.
 */
void lat_print(FILE *f, const struct kvms_vm *vm);

/*
 * The same as JSON, for latency -j: {"vm":{"id":..,"name":..},
 * "window_periods":10,"count":..,"p50_ns":..,"p99_ns":..,"max_ns":..,
 * "skipped":..,"buckets":[{"min_ns":0,"max_ns":1023,"count":N},...]}:
 * all the buckets, the last with "max_ns":null.
 */
void jw_lat(struct jw *w, const char *key, const struct kvms_vm *vm);

/* show's "wake latency:" section, when the kernel sent the attributes. */
void lat_details_print(FILE *f, const struct kvms_vm *vm);

#endif /* KVMSCHEDCTL_LATENCY_H */
