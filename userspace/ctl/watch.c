// SPDX-License-Identifier: GPL-2.0
/* kvmschedctl watch: print the "events" multicast group, one line each. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "ctl.h"
#include "events.h"
#include "format.h"

static const char usage[] =
	"Usage: " PROG_NAME " [-j] watch [-h] [-c|--count N] [-t|--timeout SECONDS]\n"
	"\n"
	"Print one line per event, prefixed with the local time it was received:\n"
	"  vm-add id=3 pid=123 comm=qemu vcpus=2       a VM was found\n"
	"  vm-del id=3 ... cpu_s=12.34 wait_s=0.10     a VM is gone (last state)\n"
	"  vm-change id=3 ... class=shares weight=100  a VM's settings changed\n"
	"    reservation_mcpu=0 limit_mcpu=0 mem_shares=100 mem_min_mib=0 mem_max_mib=2048\n"
	"  vm-starved id=3 ... starved_count=2         a vCPU got no CPU for starve_ms\n"
	"  config-change period_ms=100 nr_vms=2 ...    the global tunables changed\n"
	"  balloon-target id=3 target_mib=768 reason=inflate\n"
	"                                              a VM's balloon target moved\n"
	"  overcommit reserved_mcpu=2000 reservable_mcpu=1800 overcommit_mcpu=200\n"
	"                                              reservations went above\n"
	"                                              reservable_mcpu, or back\n"
	"  events-lost                                 the receive buffer overran\n"
	"name= is shown when the VM has a name. With -j, one JSON object per line:\n"
	"  {\"time\":\"...\",\"event\":\"vm-add\",\"vm\":{...}}\n"
	"\n"
	"  -c, --count N        exit after N events (exit 1 if the timeout comes first)\n"
	"  -t, --timeout SECS   exit after SECS seconds (decimals allowed)\n"
	"Exits 1 if the module is unloaded while watching.\n";

static const struct option longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "count", required_argument, NULL, 'c' },
	{ "timeout", required_argument, NULL, 't' },
	{ NULL, 0, NULL, 0 },
};

struct watch {
	uint32_t count;		/* 0: unlimited */
	uint32_t seen;
	bool gone;
};

static void now_str(char *buf, size_t len)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	fmt_timestamp(buf, len, &ts);
}

static void on_event(const struct kvms_event *ev, void *arg)
{
	struct watch *w = arg;
	char ts[64];

	if (ev->cmd == KVMS_EVENT_FAMILY_GONE) {
		w->gone = true;
		return;
	}
	if (w->gone || (w->count && w->seen >= w->count))
		return;
	now_str(ts, sizeof(ts));
	if (ctl.json)
		event_json(stdout, ts, ev);
	else
		event_line(stdout, ts, ev);
	fflush(stdout);
	w->seen++;
}

static void events_lost(void)
{
	char ts[64];

	now_str(ts, sizeof(ts));
	if (ctl.json)
		printf("{\"time\":\"%s\",\"event\":\"events-lost\"}\n", ts);
	else
		printf("%s events-lost\n", ts);
	fflush(stdout);
	ctl_err("warning: events were lost (receive buffer overrun)");
}

int cmd_watch(int argc, char **argv)
{
	struct watch w = { 0 };
	uint64_t timeout_ms = 0;
	int64_t deadline = 0;
	struct ipc *ipc;
	int c, rc;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hc:t:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(usage, stdout);
			return EXIT_OK;
		case 'c':
			if (parse_u32(optarg, &w.count) || !w.count)
				return ctl_usage_err(argv[0], usage,
						     "--count: '%s' is not a number 1-%u",
						     optarg, UINT32_MAX);
			break;
		case 't':
			if (parse_duration_ms(optarg, 1, UINT64_C(1000000000),
					      &timeout_ms))
				return ctl_usage_err(argv[0], usage,
						     "--timeout: '%s' is not a number of seconds (0.001-1000000, at most 3 decimals)",
						     optarg);
			break;
		default:
			return ctl_bad_option(argv[0], usage, c, argv);
		}
	}
	if (optind < argc)
		return ctl_usage_err(argv[0], usage, "unexpected argument '%s'",
				     argv[optind]);

	rc = ctl_open(&ipc);
	if (rc)
		return rc;
	rc = ipc_events_join(ipc);
	if (rc) {
		rc = ctl_ipc_fail(ipc, rc, "join the \"%s\" multicast group",
				  KVMSCHED_MCGRP_EVENTS);
		goto out;
	}
	if (timeout_ms)
		deadline = now_ms() + (int64_t)timeout_ms;

	for (;;) {
		struct pollfd pfd = { .fd = ipc_fd(ipc), .events = POLLIN };
		int wait = -1;

		if (w.count && w.seen >= w.count) {
			rc = EXIT_OK;
			break;
		}
		if (w.gone) {
			ctl_err("the kvmsched module was unloaded");
			rc = EXIT_FAIL;
			break;
		}
		if (timeout_ms) {
			int64_t left = deadline - now_ms();

			if (left <= 0) {
				if (w.count) {
					ctl_err("watch: timed out after %u of %u events",
						w.seen, w.count);
					rc = EXIT_FAIL;
				} else {
					rc = EXIT_OK;
				}
				break;
			}
			wait = left > 60000 ? 60000 : (int)left;
		}
		rc = poll(&pfd, 1, wait);
		if (rc < 0) {
			if (errno == EINTR)
				continue;
			ctl_err("poll: %s", strerror(errno));
			rc = EXIT_FAIL;
			break;
		}
		if (!rc)
			continue;
		rc = ipc_events_read(ipc, on_event, &w);
		if (rc == -ENOBUFS) {
			events_lost();
		} else if (rc == -EPROTO) {
			ctl_err("warning: ignored a malformed event");
		} else if (rc && rc != -EAGAIN) {
			rc = ctl_ipc_fail(ipc, rc, "read events");
			break;
		}
	}
out:
	ipc_close(ipc);
	return rc;
}
