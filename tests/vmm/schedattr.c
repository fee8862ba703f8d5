// SPDX-License-Identifier: GPL-2.0
/*
 * schedattr - read and set a thread's scheduling attributes with
 * sched_getattr/sched_setattr, for the e2e guest (busybox has no chrt).
 *
 *   schedattr get TID...
 *	one line per thread:
 *	TID policy=P flags=0xF nice=N prio=R runtime=NS deadline=NS period=NS
 *	flags shows SCHED_FLAG_RESET_ON_FORK (0x1); for SCHED_NORMAL, BATCH and
 *	IDLE threads runtime is the EEVDF slice on 6.12 (0 on 6.1).
 *   schedattr set TID normal|batch|idle|fifo:PRIO|rr:PRIO|deadline:RT_US:PER_US
 *                     [nice=N] [reset]
 *		   [slice_us=US]
 *	reset sets SCHED_FLAG_RESET_ON_FORK; slice_us sets a custom slice
 *	(6.12: sched_runtime of a fair thread, 100-100000 us).
 *
 * Exit status: 0, 1 if a call failed, 2 on usage errors.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SCHED_BATCH
#define SCHED_BATCH		3
#endif
#ifndef SCHED_IDLE
#define SCHED_IDLE		5
#endif
#define FLAG_RESET_ON_FORK	0x01

/* struct sched_attr, SCHED_ATTR_SIZE_VER0 */
struct attr {
	uint32_t size;
	uint32_t sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime;
	uint64_t sched_deadline;
	uint64_t sched_period;
};

static void usage(void)
{
	fprintf(stderr,
		"usage: schedattr get TID...\n"
		"       schedattr set TID normal|batch|idle|fifo:PRIO|rr:PRIO|deadline:RUNTIME_US:PERIOD_US\n"
		"              [nice=N] [reset] [slice_us=US]\n");
	exit(2);
}

static long num(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end)
		usage();
	return v;
}

static int get(int argc, char **argv)
{
	int i, rc = 0;

	for (i = 0; i < argc; i++) {
		struct attr a;
		long tid = num(argv[i]);

		memset(&a, 0, sizeof(a));
		if (syscall(SYS_sched_getattr, tid, &a, sizeof(a), 0)) {
			fprintf(stderr, "schedattr: sched_getattr %ld: %s\n", tid, strerror(errno));
			rc = 1;
			continue;
		}
		printf("%ld policy=%u flags=0x%llx nice=%d prio=%u runtime=%llu deadline=%llu period=%llu\n",
		       tid, a.sched_policy, (unsigned long long)a.sched_flags, a.sched_nice,
		       a.sched_priority, (unsigned long long)a.sched_runtime,
		       (unsigned long long)a.sched_deadline, (unsigned long long)a.sched_period);
	}
	return rc;
}

static int set(int argc, char **argv)
{
	struct attr a;
	long tid;
	int i;

	if (argc < 2)
		usage();
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	tid = num(argv[0]);
	if (!strcmp(argv[1], "normal"))
		a.sched_policy = SCHED_OTHER;
	else if (!strcmp(argv[1], "batch"))
		a.sched_policy = SCHED_BATCH;
	else if (!strcmp(argv[1], "idle"))
		a.sched_policy = SCHED_IDLE;
	else if (!strncmp(argv[1], "fifo:", 5))
		a.sched_policy = SCHED_FIFO, a.sched_priority = num(argv[1] + 5);
	else if (!strncmp(argv[1], "rr:", 3))
		a.sched_policy = SCHED_RR, a.sched_priority = num(argv[1] + 3);
	else if (!strncmp(argv[1], "deadline:", 9)) {
		char *per = strchr(argv[1] + 9, ':');

		if (!per)
			usage();
		*per++ = 0;
		a.sched_policy = 6;	/* SCHED_DEADLINE */
		a.sched_runtime = (uint64_t)num(argv[1] + 9) * 1000;
		a.sched_period = (uint64_t)num(per) * 1000;
		a.sched_deadline = a.sched_period;
	} else
		usage();
	for (i = 2; i < argc; i++) {
		if (!strncmp(argv[i], "nice=", 5))
			a.sched_nice = num(argv[i] + 5);
		else if (!strcmp(argv[i], "reset"))
			a.sched_flags |= FLAG_RESET_ON_FORK;
		else if (!strncmp(argv[i], "slice_us=", 9))
			a.sched_runtime = (uint64_t)num(argv[i] + 9) * 1000;
		else
			usage();
	}
	if (syscall(SYS_sched_setattr, tid, &a, 0)) {
		fprintf(stderr, "schedattr: sched_setattr %ld: %s\n", tid, strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "get"))
		return get(argc - 2, argv + 2);
	if (argc >= 4 && !strcmp(argv[1], "set"))
		return set(argc - 2, argv + 2);
	usage();
	return 2;
}
