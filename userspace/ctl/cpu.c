// SPDX-License-Identifier: GPL-2.0
/* kvmschedctl cpu offline|online CPU: cpu-set. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "parse.h"

static const char usage[] =
	"Usage: " PROG_NAME " cpu [-h] offline|online CPU\n"
	"\n"
	"Take host CPU number CPU (as in /sys/devices/system/cpu/cpuN) offline\n"
	"or bring it online. Needs CAP_NET_ADMIN.\n"
	"\n"
	"While VMs with a reservation or a limit run, the kernel refuses to\n"
	"offline a CPU through its sysfs online file (EBUSY): their deadline\n"
	"bandwidth would not fit on the CPUs that stay. kvmsched first fits it\n"
	"into them (reservations scale down alike; sysfs overcommit_mcpu shows\n"
	"by how much), then offlines the CPU.\n";

static const struct option longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int cmd_cpu(int argc, char **argv)
{
	struct ipc *ipc;
	int c, rc, online;
	uint32_t cpu;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (c == 'h') {
			fputs(usage, stdout);
			return EXIT_OK;
		}
		return ctl_bad_option(argv[0], usage, c, argv);
	}
	if (argc - optind != 2)
		return ctl_usage_err(argv[0], usage,
				     "give offline or online, and a CPU number");
	if (!strcmp(argv[optind], "offline"))
		online = 0;
	else if (!strcmp(argv[optind], "online"))
		online = 1;
	else
		return ctl_usage_err(argv[0], usage,
				     "'%s': give offline or online",
				     argv[optind]);
	if (parse_u32(argv[optind + 1], &cpu) || cpu > 8191)
		return ctl_usage_err(argv[0], usage,
				     "CPU: '%s' is not a CPU number (accepted: 0-8191)",
				     argv[optind + 1]);
	rc = ctl_open(&ipc);
	if (rc)
		return rc;
	rc = ipc_cpu_set(ipc, cpu, online);
	if (rc)
		rc = ctl_ipc_fail(ipc, rc, "take cpu %u %s", cpu,
				  online ? "online" : "offline");
	else
		rc = EXIT_OK;
	ipc_close(ipc);
	return rc;
}
