// SPDX-License-Identifier: GPL-2.0
/*
 * kvmschedctl balloon: one VM's balloon over QMP, once, for an
 * administrator (the same QMP client as balloond; no module needed).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "ctl.h"
#include "format.h"
#include "qmp.h"
#include "qmp_socket.h"
#include "units.h"

static const char balloon_usage[] =
	"Usage: " PROG_NAME " [-j] balloon [-h] [-w|--wait] [-t|--timeout SECONDS]\n"
	"                   [-s|--stats-interval SECONDS] SOCKET|pid:PID [TARGET_MIB]\n"
	"\n"
	"Talk to one VM's balloon over QMP (no module needed). SOCKET is the VMM's QMP\n"
	"socket; pid:PID finds it in the VMM's command line (-qmp unix:PATH or\n"
	"-chardev socket,...,server=on with -mon ...,mode=control).\n"
	"\n"
	"Without TARGET_MIB: print the balloon's actual size and the guest statistics:\n"
	"  actual      the guest's memory with the balloon (query-balloon), MiB\n"
	"  free        guest free memory (stat-free-memory), MiB\n"
	"  available   guest available memory (stat-available-memory), MiB\n"
	"  total       guest total memory (stat-total-memory), MiB\n"
	"  updated     when the guest last sent statistics\n"
	"'-' when the guest has not reported a figure. The guest only sends fresh\n"
	"statistics while a polling interval is set (-s; balloond sets one).\n"
	"\n"
	"With TARGET_MIB: ask the guest for that memory size (QMP balloon, in bytes:\n"
	"TARGET_MIB x 1048576) and print the actual size.\n"
	"\n"
	"  -w, --wait               with TARGET_MIB: wait until the actual size is\n"
	"                           within 1 MiB of it (exit 1 at the timeout)\n"
	"  -t, --timeout SECONDS    for --wait and -s (default 30); QMP replies\n"
	"                           time out after 3 s\n"
	"  -s, --stats-interval S   set guest-stats-polling-interval to S seconds\n"
	"                           (0 stops polling) and, if S > 0, wait for fresh\n"
	"                           statistics before printing them\n"
	"A QMP monitor serves one client at a time: while balloond holds a VM's socket,\n"
	"give the VMM a second -qmp socket for this command.\n";

static const struct option balloon_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "wait", no_argument, NULL, 'w' },
	{ "timeout", required_argument, NULL, 't' },
	{ "stats-interval", required_argument, NULL, 's' },
	{ NULL, 0, NULL, 0 },
};

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static void print_mib(const char *label, int64_t bytes)
{
	if (bytes < 0)
		printf("%-11s -\n", label);
	else
		printf("%-11s %" PRId64 " MiB\n", label, bytes / (int64_t)MIB);
}

static void jw_mib(struct jw *w, const char *key, int64_t bytes)
{
	if (bytes < 0)
		jw_null(w, key);
	else
		jw_uint(w, key, (uint64_t)bytes / MIB);
}

static int balloon_fail(struct qmp *q, const char *sock, const char *what)
{
	ctl_err("balloon: %s: %s%s%s", sock, what, *what ? ": " : "", q->err);
	qmp_close(q);
	return EXIT_FAIL;
}

int cmd_balloon(int argc, char **argv)
{
	uint64_t timeout_ms = 30000, actual = 0;
	struct qmp_guest_stats st = { -1, -1, -1, -1 };
	bool wait = false, has_target = false, stats_ok = false;
	uint32_t target = 0, stats_s = 0;
	bool set_stats = false;
	char sock[QMP_PATH_MAX], dev[256] = "", why[512], stats_why[300] = "";
	struct qmp q;
	int64_t deadline;
	int c, rc;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hwt:s:", balloon_opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(balloon_usage, stdout);
			return EXIT_OK;
		case 'w':
			wait = true;
			break;
		case 't':
			if (parse_duration_ms(optarg, 1, UINT64_C(86400000),
					      &timeout_ms))
				return ctl_usage_err(argv[0], balloon_usage,
						     "--timeout: '%s' is not a number of seconds (0.001-86400)",
						     optarg);
			break;
		case 's':
			if (parse_u32(optarg, &stats_s) || stats_s > 3600)
				return ctl_usage_err(argv[0], balloon_usage,
						     "--stats-interval: '%s' is not a number of seconds 0-3600",
						     optarg);
			set_stats = true;
			break;
		default:
			return ctl_bad_option(argv[0], balloon_usage, c, argv);
		}
	}
	if (optind >= argc)
		return ctl_usage_err(argv[0], balloon_usage,
				     "which VM? (a QMP socket or pid:PID)");
	if (argc - optind > 2)
		return ctl_usage_err(argv[0], balloon_usage,
				     "unexpected argument '%s'", argv[optind + 2]);
	if (argc - optind == 2) {
		if (parse_u32(argv[optind + 1], &target) || !target ||
		    target > 16777216)
			return ctl_usage_err(argv[0], balloon_usage,
					     "TARGET_MIB: '%s' is not a number of MiB (1-16777216)",
					     argv[optind + 1]);
		has_target = true;
	}
	if (wait && !has_target)
		return ctl_usage_err(argv[0], balloon_usage,
				     "--wait needs TARGET_MIB");
	if (!strncmp(argv[optind], "pid:", 4)) {
		uint32_t pid;

		if (parse_u32(argv[optind] + 4, &pid) || !pid)
			return ctl_usage_err(argv[0], balloon_usage,
					     "invalid pid '%s'", argv[optind] + 4);
		if (qmp_socket_from_pid(pid, sock, sizeof(sock), why, sizeof(why))) {
			ctl_err("balloon: pid %u: no QMP socket: %s", pid, why);
			return EXIT_FAIL;
		}
	} else if (strlen(argv[optind]) >= sizeof(sock)) {
		return ctl_usage_err(argv[0], balloon_usage,
				     "socket path too long (at most %zu bytes)",
				     sizeof(sock) - 1);
	} else {
		qmp_scopy(sock, sizeof(sock), argv[optind]);
	}

	qmp_init(&q, 3000);
	if (qmp_connect(&q, sock))
		return balloon_fail(&q, sock, "");
	if (qmp_query_balloon(&q, &actual))
		return balloon_fail(&q, sock, "query-balloon");
	deadline = (int64_t)timeout_ms + now_ms();

	if (has_target) {
		uint64_t before = actual;

		if (qmp_balloon(&q, (uint64_t)target * MIB))
			return balloon_fail(&q, sock, "balloon");
		for (;;) {
			if (qmp_query_balloon(&q, &actual))
				return balloon_fail(&q, sock, "query-balloon");
			if (!wait || mib_dist(to_mib(actual), target) <= 1 ||
			    now_ms() >= deadline)
				break;
			sleep_ms(100);
		}
		if (ctl.json) {
			struct jw w;

			jw_init(&w, stdout);
			jw_obj_begin(&w, NULL);
			jw_str(&w, "socket", sock);
			jw_uint(&w, "target_mib", target);
			jw_uint(&w, "before_mib", to_mib(before));
			jw_uint(&w, "actual_mib", to_mib(actual));
			jw_obj_end(&w);
			putchar('\n');
		} else {
			printf("balloon %u -> %u MiB: actual %u MiB\n",
			       to_mib(before), target, to_mib(actual));
		}
		qmp_close(&q);
		if (wait && mib_dist(to_mib(actual), target) > 1) {
			ctl_err("balloon: %s: actual %u MiB after %.1f s, target %u MiB (the guest did not give or take the memory in time)",
				sock, to_mib(actual), timeout_ms / 1000.0,
				target);
			return EXIT_FAIL;
		}
		return EXIT_OK;
	}

	/* Statistics. */
	rc = qmp_find_balloon(&q, dev, sizeof(dev));
	if (rc && rc != -ENODEV && rc != -EREMOTEIO)
		return balloon_fail(&q, sock, "qom-list");
	if (rc) {
		qmp_scopy(stats_why, sizeof(stats_why), q.err);
	} else {
		int64_t first = -1;

		if (set_stats && qmp_set_stats_interval(&q, dev, stats_s)) {
			if (!qmp_connected(&q))
				return balloon_fail(&q, sock, "qom-set");
			qmp_scopy(stats_why, sizeof(stats_why), q.err);
		}
		for (;;) {
			rc = qmp_guest_stats(&q, dev, &st);
			if (rc && !qmp_connected(&q))
				return balloon_fail(&q, sock, "qom-get guest-stats");
			stats_ok = !rc;
			if (!set_stats || !stats_s)
				break;
			/* Wait for an update after the interval was set. */
			if (stats_ok && first < 0)
				first = st.last_update;
			if (stats_ok && st.last_update > first &&
			    (st.free >= 0 || st.total >= 0))
				break;
			if (now_ms() >= deadline)
				break;
			sleep_ms(200);
		}
		if (!stats_ok)
			qmp_scopy(stats_why, sizeof(stats_why), rc == -EAGAIN ? "the guest has not sent statistics yet" : q.err);
	}
	/* The balloon may have moved meanwhile. */
	if (qmp_query_balloon(&q, &actual))
		return balloon_fail(&q, sock, "query-balloon");
	qmp_close(&q);

	if (ctl.json) {
		struct jw w;

		jw_init(&w, stdout);
		jw_obj_begin(&w, NULL);
		jw_str(&w, "socket", sock);
		jw_str(&w, "qemu", q.version[0] ? q.version : NULL);
		jw_str(&w, "device", dev[0] ? dev : NULL);
		jw_uint(&w, "actual_mib", to_mib(actual));
		if (stats_ok) {
			jw_obj_begin(&w, "guest");
			jw_mib(&w, "free_mib", st.free);
			jw_mib(&w, "available_mib", st.available);
			jw_mib(&w, "total_mib", st.total);
			if (st.last_update > 0)
				jw_int(&w, "last_update", st.last_update);
			else
				jw_null(&w, "last_update");
			jw_obj_end(&w);
		} else {
			jw_null(&w, "guest");
			jw_str(&w, "guest_error", stats_why);
		}
		jw_obj_end(&w);
		putchar('\n');
		return EXIT_OK;
	}
	printf("%-11s %s\n", "socket", sock);
	if (dev[0])
		printf("%-11s %s\n", "device", dev);
	printf("%-11s %u MiB\n", "actual", to_mib(actual));
	if (!stats_ok) {
		printf("%-11s - (%s)\n", "guest", stats_why);
		return EXIT_OK;
	}
	print_mib("free", st.free);
	print_mib("available", st.available);
	print_mib("total", st.total);
	if (st.last_update > 0) {
		struct timespec ts = { .tv_sec = st.last_update };
		char t[64];

		fmt_timestamp(t, sizeof(t), &ts);
		printf("%-11s %s\n", "updated", t);
	} else {
		printf("%-11s -\n", "updated");
	}
	return EXIT_OK;
}
