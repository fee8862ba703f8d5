// SPDX-License-Identifier: GPL-2.0
/* kvmschedctl latency VM: one VM's wake latency histogram. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>

#include "ctl.h"
#include "latency.h"
#include "latency_cmd.h"

static const char usage[] =
	"Usage: " PROG_NAME " [-j] latency [-h] VM\n"
	"\n"
	"Show how long the VM's vCPU threads waited for a CPU after each wakeup\n"
	"(wakeup-to-run delay, measured by the module from the threads' own\n"
	"schedstats at each VM entry) over its last complete window of 10\n"
	"periods, as a log2 histogram: one line per bucket from the lowest to the\n"
	"highest non-empty one,\n"
	"  2.05 us -  4.1 us  | 123  ########\n"
	"(waits from 2048 ns up to 4096 ns, exclusive: 123 of them), then\n"
	"  count      wakeups in the histogram\n"
	"  p50, p99   the upper end of the bucket that holds the percentile,\n"
	"             at most the max (at most 2x the exact value)\n"
	"  max        the longest wait\n"
	"  skipped    runs not counted: after a preemption, or after several\n"
	"             switches between two VM entries\n"
	"Bucket 0 holds waits under 1024 ns, bucket i (1-30) 2^(9+i) to\n"
	"2^(10+i)-1 ns, bucket 31 2^40 ns and more.\n"
	"VM is " SELECTOR_FORMS ".\n"
	"With -j: {\"vm\":{\"id\":..,\"name\":..},\"window_periods\":10,\"count\":..,\n"
	"\"p50_ns\":..,\"p99_ns\":..,\"max_ns\":..,\"skipped\":..,\"buckets\":[{\"min_ns\":0,\n"
	"\"max_ns\":1023,\"count\":..},...]}: all 32 buckets, the last \"max_ns\":null.\n";

static const struct option longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int cmd_latency(int argc, char **argv)
{
	struct vm_selector sel;
	struct kvms_vm vm;
	struct ipc *ipc;
	uint32_t id = 0;
	int c, rc;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (c == 'h') {
			fputs(usage, stdout);
			return EXIT_OK;
		}
		return ctl_bad_option(argv[0], usage, c, argv);
	}
	if (argc - optind != 1)
		return ctl_usage_err(argv[0], usage, argc == optind ?
				     "which VM?" : "too many arguments");
	rc = ctl_selector(argv[0], usage, argv[optind], &sel);
	if (rc)
		return rc;

	rc = ctl_open(&ipc);
	if (rc)
		return rc;
	rc = ctl_resolve(ipc, &sel, &id);
	if (rc)
		goto out;
	rc = ipc_vm_get(ipc, id, &vm);
	if (rc) {
		rc = ctl_ipc_fail(ipc, rc, "VM %u", id);
		goto out;
	}
	if (!lat_present(&vm)) {
		ctl_err("VM %u: this kvmsched module does not report wake latency (its reply has no wake-latency attributes)",
			id);
		rc = EXIT_FAIL;
		goto out;
	}
	if (ctl.json) {
		struct jw w;

		jw_init(&w, stdout);
		jw_lat(&w, NULL, &vm);
		putchar('\n');
	} else {
		lat_print(stdout, &vm);
	}
	rc = EXIT_OK;
out:
	ipc_close(ipc);
	return rc;
}
