// SPDX-License-Identifier: GPL-2.0
/* kvmschedctl show VM: one VM and its vCPUs. */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>

#include "ctl.h"
#include "format.h"
#include "stats.h"

static const char usage[] =
	"Usage: " PROG_NAME " [-j] show [-h] VM\n"
	"\n"
	"Show one VM and its vCPUs. VM is " SELECTOR_FORMS ".\n"
	"With -j: {\"vm\":{...},\"vcpus\":[{...}]}.\n";

static const struct option longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int vcpu_dump(struct ipc *ipc, uint32_t id, struct kvms_vcpu **v,
		     size_t *n)
{
	bool intr = false;
	int attempt, rc;

	for (attempt = 0;; attempt++) {
		rc = ipc_vcpu_dump(ipc, id, v, n, &intr);
		if (rc || !intr)
			break;
		if (attempt == CTL_DUMP_RETRIES) {
			ctl_err("warning: vCPUs came or went during each of %d dumps; this one may be inconsistent",
				attempt + 1);
			break;
		}
		free(*v);
	}
	if (!rc)
		vcpus_sort_by_id(*v, *n);
	return rc;
}

static void print_vm(const struct kvms_vm *vm)
{
	char c[VM_NCOLS][FMT_CELL];

	vm_row(vm, c);
	printf("VM %s\n", c[0]);
	printf("  %-12s %s\n", "name:", c[1]);
	printf("  %-12s %s\n", "pid:", c[2]);
	printf("  %-12s %s\n", "comm:", c[3]);
	printf("  %-12s %s\n", "vcpus:", c[4]);
	printf("  %-12s %s mcpu (last period)\n", "cpu:", c[5]);
	printf("  %-12s %s %% (last period)\n", "steal:", c[6]);
	printf("  %-12s %s s\n", "cpu time:", c[7]);
	printf("  %-12s %s s\n", "wait time:", c[8]);
	printf("  %-12s %s\n", "vm entries:", c[9]);
}

static int print_vcpus(const struct kvms_vcpu *v, size_t n)
{
	static char cells[VCPU_NCOLS][FMT_CELL];
	const char *row[VCPU_NCOLS];
	struct table t;
	size_t i;
	int j, rc = 0;

	table_init(&t, vcpu_cols, VCPU_NCOLS);
	for (j = 0; j < VCPU_NCOLS; j++)
		row[j] = cells[j];
	for (i = 0; i < n && !rc; i++) {
		vcpu_row(&v[i], cells);
		rc = table_add(&t, row);
	}
	if (!rc) {
		putchar('\n');
		table_print(&t, stdout);
	} else {
		ctl_err("out of memory");
	}
	table_free(&t);
	return rc ? EXIT_FAIL : EXIT_OK;
}

int cmd_show(int argc, char **argv)
{
	struct kvms_vcpu *vcpus = NULL;
	struct vm_selector sel;
	struct kvms_vm vm;
	struct ipc *ipc;
	uint32_t id = 0;
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
	rc = vcpu_dump(ipc, id, &vcpus, &n);
	if (rc) {
		rc = ctl_ipc_fail(ipc, rc, "vCPUs of VM %u", id);
		goto out;
	}
	if (ctl.json) {
		struct jw w;

		jw_init(&w, stdout);
		jw_obj_begin(&w, NULL);
		jw_vm(&w, "vm", &vm);
		jw_arr_begin(&w, "vcpus");
		for (i = 0; i < n; i++)
			jw_vcpu(&w, NULL, &vcpus[i]);
		jw_arr_end(&w);
		jw_obj_end(&w);
		putchar('\n');
		rc = EXIT_OK;
	} else {
		print_vm(&vm);
		rc = print_vcpus(vcpus, n);
	}
out:
	free(vcpus);
	ipc_close(ipc);
	return rc;
}
