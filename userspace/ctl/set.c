// SPDX-License-Identifier: GPL-2.0
/* kvmschedctl set VM KEY=VALUE...: change a VM's settings (vm-set). */
#include <getopt.h>
#include <stdlib.h>

#include "ctl.h"
#include "format.h"

static const char usage[] =
	"Usage: " PROG_NAME " [-j] set [-h] VM KEY=VALUE...\n"
	"\n"
	"Change a VM's settings; needs CAP_NET_ADMIN. VM is " SELECTOR_FORMS ".\n"
	"Keys left out are unchanged. Prints nothing on success; with -j, the VM\n"
	"after the change as {\"vm\":{...}}. Keys:\n";

static const char usage_bounds[] =
	"Given together, reservation_mcpu must not exceed limit_mcpu (unless 0) and\n"
	"mem_min_mib not mem_max_mib (unless 0). The kernel also refuses a\n"
	"reservation above vcpus x 950 (EINVAL) or beyond what is left of\n"
	"reservable_mcpu (EBUSY; see config). A realtime VM takes no reservation\n"
	"or limit: class=realtime with a non-zero reservation_mcpu or limit_mcpu\n"
	"is refused (here when given together, else by the kernel, EINVAL).\n"
	"rt_priority and rr_quantum_ms are used in the realtime class only (kept\n"
	"in the others). A latency VM takes reservation and limit like a shares\n"
	"VM; latency_us is the deadline period of its vCPU threads, used in the\n"
	"latency class only (kept in the others).\n";

static void help(void)
{
	fputs(usage, stdout);
	kv_print_keys(stdout, kv_vm_keys);
	fputs(usage_bounds, stdout);
}

static const struct option longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int cmd_set(int argc, char **argv)
{
	struct kv_setting *s = NULL;
	struct vm_selector sel;
	char err[ERRLEN], what[128];
	struct kvms_vm vm;
	struct ipc *ipc;
	uint32_t id = 0;
	int c, rc, n;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (c == 'h') {
			help();
			return EXIT_OK;
		}
		return ctl_bad_option(argv[0], usage, c, argv);
	}
	/* Without local checks, a request with nothing to set goes out too. */
	if (argc == optind || (argc - optind < 2 && !parse_no_local_checks))
		return ctl_usage_err(argv[0], usage, "%s", argc == optind ?
				     "which VM?" :
				     "nothing to set (expected KEY=VALUE...)");
	rc = ctl_selector(argv[0], usage, argv[optind], &sel);
	if (rc)
		return rc;
	s = calloc((size_t)(argc - optind), sizeof(*s));
	if (!s) {
		ctl_err("out of memory");
		return EXIT_FAIL;
	}
	n = kv_parse_list(kv_vm_keys, argc - optind - 1, argv + optind + 1, s,
			  err, sizeof(err));
	if (n < 0) {
		free(s);
		return ctl_usage_err(argv[0], usage, "%s", err);
	}

	rc = ctl_open(&ipc);
	if (rc)
		goto out_free;
	rc = ctl_resolve(ipc, &sel, &id);
	if (rc)
		goto out;
	rc = ipc_vm_set(ipc, id, s, (size_t)n, &vm);
	if (rc) {
		snprintf(what, sizeof(what), "set %s of VM %u",
			 n == 1 ? s[0].key->key : "settings", id);
		rc = ctl_ipc_fail(ipc, rc, "%s", what);
		goto out;
	}
	if (ctl.json) {
		struct jw w;

		jw_init(&w, stdout);
		jw_obj_begin(&w, NULL);
		jw_vm(&w, "vm", &vm);
		jw_obj_end(&w);
		putchar('\n');
	}
	rc = EXIT_OK;
out:
	ipc_close(ipc);
out_free:
	free(s);
	return rc;
}
