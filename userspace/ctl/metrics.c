// SPDX-License-Identifier: GPL-2.0
/* kvmschedctl metrics [VM...]: the state as Prometheus metrics. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "metrics_cmd.h"
#include "metrics.h"
#include "prom.h"

static const char usage[] =
	"Usage: " PROG_NAME " metrics [-h] [--textfile PATH] [VM...]\n"
	"\n"
	"Print kvmsched's state in the Prometheus text exposition format: the host\n"
	"(kvmsched_capacity_cpus, ..._reserved_cpus, ..._memory_state, ...), each VM\n"
	"(kvmsched_vm_*, labels vm_id, vm_name when named, pid) and each vCPU\n"
	"(kvmsched_vcpu_*, the same labels and vcpu). Units are seconds, bytes, CPUs\n"
	"and ratios; counters end in _total. With VMs (" SELECTOR_FORMS "),\n"
	"only those VMs and their vCPUs, and the host.\n"
	"\n"
	"  --textfile PATH   write PATH atomically instead (a temporary file in its\n"
	"                    directory, renamed over it), for node_exporter's\n"
	"                    textfile collector; PATH should end in .prom\n"
	"\n"
	"See kvmschedctl(8), METRICS, for every metric.\n";

static const struct option longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "textfile", required_argument, NULL, 't' },
	{ NULL, 0, NULL, 0 },
};

static int render(FILE *f, void *arg)
{
	return metrics_render(f, arg);
}

int cmd_metrics(int argc, char **argv)
{
	struct metrics_snap snap = { 0 };
	struct vm_selector *sels;
	const char *textfile = NULL;
	uint32_t *ids = NULL;
	struct ipc *ipc;
	int c, i, rc, nids;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(usage, stdout);
			return EXIT_OK;
		case 't':
			if (!*optarg)
				return ctl_usage_err(argv[0], usage,
						     "--textfile: empty path");
			textfile = optarg;
			break;
		default:
			return ctl_bad_option(argv[0], usage, c, argv);
		}
	}
	nids = argc - optind;
	sels = calloc(nids + 1, sizeof(*sels));
	ids = calloc(nids + 1, sizeof(*ids));
	if (!sels || !ids) {
		free(sels);
		free(ids);
		ctl_err("out of memory");
		return EXIT_FAIL;
	}
	for (i = 0; i < nids; i++) {
		rc = ctl_selector(argv[0], usage, argv[optind + i], &sels[i]);
		if (rc)
			goto out_free;
	}
	rc = ctl_open(&ipc);
	if (rc)
		goto out_free;
	for (i = 0; i < nids; i++) {
		rc = ctl_resolve(ipc, &sels[i], &ids[i]);
		if (rc)
			goto out;
	}
	rc = metrics_fetch(ipc, &snap);
	if (rc) {
		rc = ctl_ipc_fail(ipc, rc, "metrics");
		goto out;
	}
	if (nids)
		metrics_filter(&snap, ids, nids);
	/* ctl_resolve() leaves an id selector for the kernel to check. */
	for (i = 0; i < nids; i++) {
		size_t k;

		for (k = 0; k < snap.nvms && snap.vms[k].id != ids[i]; k++)
			;
		if (k == snap.nvms) {
			ctl_err("metrics: no VM %u", ids[i]);
			rc = EXIT_FAIL;
			goto out;
		}
	}
	if (textfile) {
		rc = prom_textfile_write(textfile, render, &snap);
		if (rc) {
			ctl_err("metrics: --textfile %s: %s", textfile,
				strerror(-rc));
			rc = EXIT_FAIL;
		}
	} else {
		rc = metrics_render(stdout, &snap);
		if (rc) {
			ctl_err("metrics: writing: %s", strerror(-rc));
			rc = EXIT_FAIL;
		}
	}
out:
	metrics_snap_free(&snap);
	ipc_close(ipc);
out_free:
	free(sels);
	free(ids);
	return rc;
}
