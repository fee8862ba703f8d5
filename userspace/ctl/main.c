// SPDX-License-Identifier: GPL-2.0
/*
 * kvmschedctl: the controller of kvmsched, a VM-aware scheduling policy for
 * KVM hosts. main() parses the global options and dispatches to one
 * subcommand through the table below.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kvmschedd/balloond.h"
#include "ctl.h"
#include "format.h"
#include "latency_cmd.h"
#include "metrics_cmd.h"
#include "pkgversion.h"
#include "rules.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *description;
};

static int cmd_help(int argc, char **argv);

static const struct command commands[] = {
	{ "list", cmd_list, "List the VMs kvmsched tracks" },
	{ "show", cmd_show, "Show one VM and its vCPUs" },
	{ "set", cmd_set, "Change a VM's settings" },
	{ "config", cmd_config, "Show or change the global tunables" },
	{ "cpu", cmd_cpu, "Take a host CPU offline or online, bound VMs or not" },
	{ "watch", cmd_watch, "Print VM and configuration events as they happen" },
	{ "top", cmd_top, "Refreshing per-VM CPU and wait (steal) view" },
	{ "latency", cmd_latency, "One VM's wakeup-to-run latency histogram" },
	{ "metrics", cmd_metrics, "Prometheus metrics of the host, VMs and vCPUs" },
	{ "balloond", cmd_balloond, "The daemon, kvmschedd, under its old name" },
	{ "balloon", cmd_balloon, "Show or set one VM's balloon over QMP" },
	{ "rules", cmd_rules, "Which policy rule matches which VM, and what it sets" },
	{ "reload", cmd_reload, "Make the daemon re-read its policy (SIGHUP)" },
	{ "help", cmd_help, "Show this help, or a command's" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: " PROG_NAME " [-j|--json] COMMAND [ARGS...]\n"
		"\n"
		"Controls kvmsched, the VM-aware scheduling policy for KVM hosts.\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-8s %s\n", commands[i].name,
			commands[i].description);
	fprintf(f,
		"\n"
		"Global options:\n"
		"  -j, --json     JSON output (list, show, config, set, watch, top, latency,\n"
		"                 balloon, rules)\n"
		"  -h, --help     this help\n"
		"  -V, --version  print the version and the netlink family's\n"
		"\n"
		"VM selectors: " SELECTOR_FORMS ".\n"
		"Run '" PROG_NAME " COMMAND --help' for a command's arguments.\n"
		"Exit status: 0 success, 1 runtime error, 2 usage error.\n");
}

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static int cmd_help(int argc, char **argv)
{
	const struct command *c;
	char help[] = "--help";
	char *args[] = { NULL, help, NULL };

	if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "--help")) {
		if (argc > 2) {
			ctl_err("help: too many arguments");
			return EXIT_USAGE;
		}
		usage(stdout);
		return EXIT_OK;
	}
	if (argc > 2) {
		ctl_err("help: too many arguments");
		return EXIT_USAGE;
	}
	c = find_command(argv[1]);
	if (!c) {
		ctl_err("help: unknown command '%s'", argv[1]);
		return EXIT_USAGE;
	}
	args[0] = argv[1];
	return c->fn(2, args);
}

/*
 * Testing aids, from the environment (see ENVIRONMENT in kvmschedctl.8):
 * KVMSCHEDCTL_NO_LOCAL_CHECKS=1 and KVMSCHEDCTL_EXTRA_ATTR=TYPE[:VALUE].
 */
#define EXTRA_ATTR_MAX 0x3fff	/* nla_type without the flag bits */

static int test_aids(void)
{
	const char *v = getenv("KVMSCHEDCTL_NO_LOCAL_CHECKS");
	char type[16], *colon;
	uint32_t t, val = 0;

	if (v && *v && strcmp(v, "0"))
		parse_no_local_checks = true;
	v = getenv("KVMSCHEDCTL_EXTRA_ATTR");
	if (!v || !*v)
		return EXIT_OK;
	snprintf(type, sizeof(type), "%s", v);
	colon = strchr(type, ':');
	if (colon)
		*colon = '\0';
	if (strlen(v) >= sizeof(type) || parse_u32(type, &t) || !t ||
	    t > EXTRA_ATTR_MAX || (colon && parse_u32(colon + 1, &val))) {
		char q[64];

		fmt_quote(q, sizeof(q), v);
		ctl_err("KVMSCHEDCTL_EXTRA_ATTR: '%s' is not TYPE[:VALUE] (TYPE 1-%d, VALUE 0-%u)",
			q, EXTRA_ATTR_MAX, UINT32_MAX);
		return EXIT_USAGE;
	}
	ipc_set_extra_attr((uint16_t)t, val);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	const struct command *c;
	int i;

	if (test_aids())
		return EXIT_USAGE;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-j") || !strcmp(a, "--json")) {
			ctl.json = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return EXIT_OK;
		} else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
			printf(PKG_VERSION_LINE(PROG_NAME),
			       KVMSCHED_FAMILY_VERSION);
			return EXIT_OK;
		} else {
			ctl_err("unknown option '%s' (see '" PROG_NAME " --help')",
				a);
			return EXIT_USAGE;
		}
	}
	if (i == argc) {
		ctl_err("no command given");
		usage(stderr);
		return EXIT_USAGE;
	}
	c = find_command(argv[i]);
	if (!c) {
		ctl_err("unknown command '%s' (see '" PROG_NAME " --help')",
			argv[i]);
		return EXIT_USAGE;
	}
	return c->fn(argc - i, argv + i);
}
