// SPDX-License-Identifier: GPL-2.0
/*
 * qmp-selftest - kvmtest's QMP endpoint and balloon driver without KVM, for
 * qmp-test.sh on machines without /dev/kvm:
 *
 *   qmp-selftest [--seconds S] -m MIB [--used-mib N]
 *                -qmp unix:PATH,server=on,wait=off [--qmp-no-balloon]
 *                [--qmp-balloon-id ID]
 *
 * Same options and meaning as kvmtest (see kvmtest.c): guest RAM is a plain
 * mmap with every page written, served by the same qmp-endpoint.c.  Prints
 *   {"event":"ready","pid":P,"mem_mib":M,"qmp":"PATH"}
 * once listening, then runs until SIGTERM/SIGINT or S seconds (default 0 =
 * forever) and prints {"event":"done","pid":P}.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "qmp-endpoint.h"

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "qmp-selftest: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(1);
}

int main(int argc, char **argv)
{
	struct qmp_config cfg = { 0 };
	char path[QMP_PATH_MAX], esc[QMP_PATH_MAX * 2], err[256];
	int64_t mib = 0, used = -1;
	double seconds = 0;
	struct qmp_endpoint *ep;
	struct timespec ts;
	sigset_t set;
	int i, have_qmp = 0;
	char *end;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--qmp-no-balloon")) {
			cfg.no_balloon = 1;
			continue;
		}
		if (i + 1 == argc)
			die("bad or incomplete option '%s'", a);
		if (!strcmp(a, "-m")) {
			mib = qmp_parse_mib(argv[++i]);
			if (mib < 0)
				die("bad -m '%s'", argv[i]);
		} else if (!strcmp(a, "--used-mib")) {
			used = strtoll(argv[++i], &end, 10);
			if (*end || used < 0)
				die("bad --used-mib '%s'", argv[i]);
		} else if (!strcmp(a, "--seconds")) {
			seconds = strtod(argv[++i], &end);
			if (*end || seconds < 0)
				die("bad --seconds '%s'", argv[i]);
		} else if (!strcmp(a, "-qmp") || !strcmp(a, "--qmp")) {
			if (qmp_parse_chardev(argv[++i], path, sizeof(path), err, sizeof(err)))
				die("bad -qmp %s", err);
			have_qmp = 1;
		} else if (!strcmp(a, "--qmp-balloon-id")) {
			cfg.balloon_id = argv[++i];
		} else {
			die("bad option '%s'", a);
		}
	}
	if (!have_qmp || (!mib && !cfg.no_balloon))
		die("%s", "want -m MIB -qmp unix:PATH,server=on,wait=off");
	if (used < 0)
		used = mib / 2;
	if (used > mib)
		die("%s", "--used-mib is more than -m");

	/* the threads inherit this: SIGTERM/SIGINT end up in sigtimedwait */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);

	cfg.path = path;
	cfg.ram = (uint64_t)mib << 20;
	cfg.used = (uint64_t)used << 20;
	if (mib) {
		cfg.mem = qmp_guest_mem_alloc(cfg.ram);
		if (!cfg.mem)
			die("mmap guest RAM: %s", strerror(errno));
	}
	ep = qmp_endpoint_start(&cfg, err, sizeof(err));
	if (!ep)
		die("%s", err);
	qmp_json_escape(path, esc, sizeof(esc));
	printf("{\"event\":\"ready\",\"pid\":%d,\"mem_mib\":%lld,\"qmp\":\"%s\"}\n",
	       getpid(), (long long)mib, esc);
	fflush(stdout);

	ts.tv_sec = seconds > 0 ? (time_t)seconds : 365 * 86400;
	ts.tv_nsec = seconds > 0 ? (long)((seconds - (time_t)seconds) * 1e9) : 0;
	while (sigtimedwait(&set, NULL, &ts) < 0 && errno == EINTR)
		;
	qmp_endpoint_stop(ep);
	printf("{\"event\":\"done\",\"pid\":%d}\n", getpid());
	return 0;
}
