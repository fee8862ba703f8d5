// SPDX-License-Identifier: GPL-2.0
/* kvmschedctl list: every VM, one line each. */
#include <getopt.h>
#include <stdlib.h>

#include "ctl.h"
#include "format.h"

static const char usage[] =
	"Usage: " PROG_NAME " [-j] list [-h] [-l]\n"
	"\n"
	"List the VMs kvmsched tracks, sorted by id:\n"
	"  ID            VM id (never reused while the module is loaded)\n"
	"  NAME          admin-chosen name, '-' if none\n"
	"  PID, COMM     the VMM process\n"
	"  VCPUS         vCPUs found so far\n"
	"  CLASS         scheduling class: shares, background, realtime or\n"
	"                latency\n"
	"  WEIGHT        relative CPU weight within its class (1-10000)\n"
	"  ENT(mcpu)     CPU the policy entitled the VM to in the last period\n"
	"                (1000 = one CPU)\n"
	"  CPU(mcpu)     CPU used in the last period\n"
	"  STEAL%        mean vCPU wait for a CPU in the last period\n"
	"With -l, --long also:\n"
	"  DEMAND(mcpu)  CPU the VM wanted in the last period (used + waited)\n"
	"  ACTIVE        vCPUs that wanted at least 50 mcpu in the last period\n"
	"  RES(mcpu)     CPU reservation (floor), 0 = none\n"
	"  LIMIT(mcpu)   CPU limit (ceiling), 0 = unlimited\n"
	"  BOUND         which bound decided the CPU in the last period:\n"
	"                none, reservation, limit, latency or boost\n"
	"  MEM(MiB)      guest RAM\n"
	"  RSS(MiB)      resident memory of the VMM\n"
	"  TARGET(MiB)   balloon target, '-' while unknown\n"
	"  CPU_S         CPU time of the vCPU threads, seconds\n"
	"  WAIT_S        time the vCPU threads waited for a CPU, seconds\n"
	"  ENTRIES       VM entries\n"
	"With -j: {\"vms\":[{...}]}, every field (the wake latency as in show -j).\n";

static const struct option longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "long", no_argument, NULL, 'l' },
	{ NULL, 0, NULL, 0 },
};

int cmd_list(int argc, char **argv)
{
	struct kvms_vm *vms = NULL;
	struct ipc *ipc;
	bool wide = false;
	size_t n = 0, i;
	int c, rc;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hl", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(usage, stdout);
			return EXIT_OK;
		case 'l':
			wide = true;
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
	} else if (vm_table_print(stdout, vms, n, wide)) {
		ctl_err("out of memory");
		rc = EXIT_FAIL;
	}
	free(vms);
	ipc_close(ipc);
	return rc;
}
