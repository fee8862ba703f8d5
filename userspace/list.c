// SPDX-License-Identifier: GPL-2.0
/* kvmschedctl list: every VM, one line each. */
#include <getopt.h>
#include <stdlib.h>

#include "ctl.h"
#include "format.h"

static const char usage[] =
	"Usage: " PROG_NAME " [-j] list [-h]\n"
	"\n"
	"List the VMs kvmsched tracks, sorted by id:\n"
	"  ID         VM id (never reused while the module is loaded)\n"
	"  NAME       admin-chosen name, '-' if none\n"
	"  PID, COMM  the VMM process\n"
	"  VCPUS      vCPUs found so far\n"
	"  CPU(mcpu)  CPU used in the last period (1000 = one CPU)\n"
	"  STEAL%     mean vCPU wait for a CPU in the last period\n"
	"  CPU_S      CPU time of the vCPU threads, seconds\n"
	"  WAIT_S     time the vCPU threads waited for a CPU, seconds\n"
	"  ENTRIES    VM entries\n"
	"With -j: {\"vms\":[{...}]}.\n";

static const struct option longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int cmd_list(int argc, char **argv)
{
	struct kvms_vm *vms = NULL;
	struct ipc *ipc;
	size_t n = 0, i;
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
	if (optind < argc)
		return ctl_usage_err(argv[0], usage, "unexpected argument '%s'",
				     argv[optind]);

	rc = ctl_open(&ipc);
	if (rc)
		return rc;
	rc = ctl_vm_dump(ipc, &vms, &n);
	if (rc) {
		rc = ctl_ipc_fail(ipc, rc, "list VMs");
		ipc_close(ipc);
		return rc;
	}
	if (ctl.json) {
		struct jw w;

		jw_init(&w, stdout);
		jw_obj_begin(&w, NULL);
		jw_arr_begin(&w, "vms");
		for (i = 0; i < n; i++)
			jw_vm(&w, NULL, &vms[i]);
		jw_arr_end(&w);
		jw_obj_end(&w);
		putchar('\n');
	} else {
		static char cells[VM_NCOLS][FMT_CELL];
		const char *row[VM_NCOLS];
		struct table t;
		int j;

		table_init(&t, vm_cols, VM_NCOLS);
		for (j = 0; j < VM_NCOLS; j++)
			row[j] = cells[j];
		for (i = 0; i < n && !rc; i++) {
			vm_row(&vms[i], cells);
			rc = table_add(&t, row);
		}
		if (!rc)
			table_print(&t, stdout);
		else
			ctl_err("out of memory");
		table_free(&t);
		rc = rc ? EXIT_FAIL : EXIT_OK;
	}
	free(vms);
	ipc_close(ipc);
	return rc;
}
