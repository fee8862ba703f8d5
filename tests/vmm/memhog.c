// SPDX-License-Identifier: GPL-2.0
/*
 * memhog - put the host under memory pressure on purpose (balloon tests).
 *
 *   memhog MIB [--hold-seconds S]
 *   memhog --to-avail-pct P [--max-mib M] [--hold-seconds S]
 *
 * The first form allocates MIB MiB of anonymous memory and writes every
 * page (no mlock: under pressure the kernel may swap it, if it has swap).
 * The second allocates 4 MiB at a time until /proc/meminfo MemAvailable is
 * at most P % of MemTotal (0 <= P <= 100; nothing if it already is), never
 * more than M MiB (default: no limit but the OOM killer's).  Then prints one
 * line
 *   {"event":"ready","mib":N,"mem_total_kb":T,"mem_available_kb":A}
 * and holds the memory until SIGTERM/SIGINT or S seconds (default: until
 * a signal), then exits 0.  Each page holds a non-zero byte only: a
 * compressing swap (zram) would get it back cheaply.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define CHUNK_MIB	4

static void usage(void)
{
	fprintf(stderr,
		"usage: memhog MIB [--hold-seconds S]\n"
		"       memhog --to-avail-pct P [--max-mib M] [--hold-seconds S]\n");
	exit(2);
}

static int meminfo(long long *total, long long *avail)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];

	*total = *avail = -1;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "MemTotal: %lld kB", total);
		sscanf(line, "MemAvailable: %lld kB", avail);
	}
	fclose(f);
	return *total > 0 && *avail >= 0 ? 0 : -1;
}

static int grab(long long mib)
{
	size_t size = (size_t)mib << 20, off;
	char *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	for (off = 0; off < size; off += 4096)
		p[off] = 1;
	return 0;
}

int main(int argc, char **argv)
{
	long long mib = -1, max_mib = -1, got = 0, total, avail;
	double hold = 0, pct = -1;
	struct timespec ts;
	sigset_t set;
	char *end;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--hold-seconds") && i + 1 < argc) {
			hold = strtod(argv[++i], &end);
			if (*end || hold < 0)
				usage();
		} else if (!strcmp(argv[i], "--to-avail-pct") && i + 1 < argc) {
			pct = strtod(argv[++i], &end);
			if (*end || pct < 0 || pct > 100)
				usage();
		} else if (!strcmp(argv[i], "--max-mib") && i + 1 < argc) {
			max_mib = strtoll(argv[++i], &end, 10);
			if (*end || max_mib < 0)
				usage();
		} else if (argv[i][0] != '-' && mib < 0) {
			mib = strtoll(argv[i], &end, 10);
			if (*end || end == argv[i] || mib < 0)
				usage();
		} else {
			usage();
		}
	}
	if ((mib < 0) == (pct < 0))
		usage();

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);

	if (mib >= 0) {
		if (mib && grab(mib)) {
			fprintf(stderr, "memhog: cannot allocate %lld MiB: %s\n", mib, strerror(errno));
			return 1;
		}
		got = mib;
	} else {
		if (meminfo(&total, &avail)) {
			fprintf(stderr, "memhog: cannot read /proc/meminfo\n");
			return 1;
		}
		while (avail * 100.0 > pct * total && (max_mib < 0 || got + CHUNK_MIB <= max_mib)) {
			if (sigpending(&set) == 0 && (sigismember(&set, SIGTERM) ||
						      sigismember(&set, SIGINT)))
				return 0;
			sigemptyset(&set);
			sigaddset(&set, SIGTERM);
			sigaddset(&set, SIGINT);
			if (grab(CHUNK_MIB))
				break;
			got += CHUNK_MIB;
			if (meminfo(&total, &avail))
				break;
		}
	}
	meminfo(&total, &avail);
	printf("{\"event\":\"ready\",\"mib\":%lld,\"mem_total_kb\":%lld,\"mem_available_kb\":%lld}\n",
	       got, total, avail);
	fflush(stdout);

	ts.tv_sec = hold > 0 ? (time_t)hold : 365 * 86400;
	ts.tv_nsec = hold > 0 ? (long)((hold - (time_t)hold) * 1e9) : 0;
	while (sigtimedwait(&set, NULL, &ts) < 0 && errno == EINTR)
		;
	return 0;
}
