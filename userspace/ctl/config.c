// SPDX-License-Identifier: GPL-2.0
/* kvmschedctl config [KEY=VALUE...]: the global tunables (config-get/set). */
#include <getopt.h>
#include <stdlib.h>

#include "ctl.h"
#include "format.h"

static const char usage[] =
	"Usage: " PROG_NAME " [-j] config [-h] [KEY=VALUE...]\n"
	"\n"
	"Without arguments, print the global tunables and the host's CPU and\n"
	"memory state, one \"key: value\" per line:\n"
	"  period_ms: 100\n"
	"  nr_vms: 2\n"
	"  ...\n"
	"With -j: {\"period_ms\":100,\"nr_vms\":2,...}. With arguments, change them\n"
	"(needs CAP_NET_ADMIN; all or nothing) and print the result. Keys:\n";

static const char usage_ro[] =
	"Checked together when given together: mem_critical_pct below mem_low_pct,\n"
	"mem_low_pct + mem_hysteresis_pct at most 95.\n"
	"Read-only (shown, not settable):\n";

static void help(void)
{
	const struct kv_key *k;

	fputs(usage, stdout);
	kv_print_keys(stdout, kv_config_keys);
	fputs(usage_ro, stdout);
	for (k = kv_config_keys; k->key; k++)
		if (k->flags & KV_READONLY)
			printf("  %-20s %s%s%s%s\n", k->key, k->help,
			       k->unit ? " (" : "", k->unit ? k->unit : "",
			       k->unit ? ")" : "");
}

static const struct option longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void print_config(const struct kvms_config *c)
{
	if (ctl.json) {
		struct jw w;

		jw_init(&w, stdout);
		jw_config(&w, NULL, c);
		putchar('\n');
		return;
	}
	config_print(stdout, c);
}

int cmd_config(int argc, char **argv)
{
	struct kv_setting *s = NULL;
	struct kvms_config cfg;
	char err[ERRLEN];
	struct ipc *ipc;
	int c, rc, n = 0;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (c == 'h') {
			help();
			return EXIT_OK;
		}
		return ctl_bad_option(argv[0], usage, c, argv);
	}
	if (optind < argc) {
		s = calloc((size_t)(argc - optind), sizeof(*s));
		if (!s) {
			ctl_err("out of memory");
			return EXIT_FAIL;
		}
		n = kv_parse_list(kv_config_keys, argc - optind, argv + optind,
				  s, err, sizeof(err));
		if (n < 0) {
			free(s);
			return ctl_usage_err(argv[0], usage, "%s", err);
		}
	}

	rc = ctl_open(&ipc);
	if (rc)
		goto out_free;
	if (n)
		rc = ipc_config_set(ipc, s, (size_t)n, &cfg);
	else
		rc = ipc_config_get(ipc, &cfg);
	if (rc) {
		rc = ctl_ipc_fail(ipc, rc, n ? "set config" : "get config");
	} else {
		print_config(&cfg);
		rc = EXIT_OK;
	}
	ipc_close(ipc);
out_free:
	free(s);
	return rc;
}
