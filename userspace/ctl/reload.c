// SPDX-License-Identifier: GPL-2.0
/*
 * kvmschedctl reload: make the daemon re-read its policy (SIGHUP to the pid
 * in its --pid-file), after checking the files here first.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "../kvmschedd/balloond.h"
#include "ctl.h"
#include "policy.h"
#include "readfile.h"
#include "rules.h"

static const char usage[] =
	"Usage: " PROG_NAME " reload [-h] [--pid-file FILE] [--config FILE|DIR]\n"
	"\n"
	"Make the daemon (balloond) re-read its policy and --map: SIGHUP to the pid\n"
	"in FILE (default " DEFAULT_PID_FILE "). The policy (default " POLICY_DIR ",\n"
	"or --config: give the daemon's) is checked first; a bad file is reported\n"
	"as FILE:LINE:COLUMN: reason and the daemon is not signalled (exit 1). A\n"
	"daemon that finds a bad file keeps its running policy and logs why.\n";

static const struct option longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "pid-file", required_argument, NULL, 'p' },
	{ "config", required_argument, NULL, 'c' },
	{ NULL, 0, NULL, 0 },
};

int cmd_reload(int argc, char **argv)
{
	const char *pid_file = DEFAULT_PID_FILE, *path = POLICY_DIR;
	char buf[64], exe[4096], err[ERRLEN];
	struct policy p;
	uint32_t pid;
	size_t len;
	int c, rc;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(usage, stdout);
			return EXIT_OK;
		case 'p':
			pid_file = optarg;
			break;
		case 'c':
			path = optarg;
			break;
		default:
			return ctl_bad_option(argv[0], usage, c, argv);
		}
	}
	if (optind < argc)
		return ctl_usage_err(argv[0], usage, "unexpected argument '%s'",
				     argv[optind]);
	if (policy_load(path, &p, err, sizeof(err))) {
		ctl_err("reload: %s; the daemon was not signalled", err);
		return EXIT_FAIL;
	}
	policy_free(&p);
	rc = read_file(pid_file, buf, sizeof(buf) - 1, &len);
	if (rc) {
		ctl_err("reload: %s: %s (is the daemon running, with this --pid-file?)",
			pid_file, strerror(-rc));
		return EXIT_FAIL;
	}
	buf[len] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (parse_u32(buf, &pid) || pid < 2) {
		ctl_err("reload: %s: '%.20s' is not a pid", pid_file, buf);
		return EXIT_FAIL;
	}
	/* A stale file must not make us signal some other program. */
	snprintf(exe, sizeof(exe), "/proc/%u/cmdline", pid);
	rc = read_file(exe, exe, sizeof(exe) - 1, &len);
	if (!rc) {
		exe[len] = '\0';
		if (!strstr(exe, PROG_NAME) && !strstr(exe, "kvmschedd"))
			rc = -ESRCH;
	}
	if (rc) {
		ctl_err("reload: pid %u (from %s) is not a running " PROG_NAME " daemon",
			pid, pid_file);
		return EXIT_FAIL;
	}
	if (kill((pid_t)pid, SIGHUP)) {
		ctl_err("reload: kill %u: %s", pid, strerror(errno));
		return EXIT_FAIL;
	}
	printf("sent SIGHUP to the daemon (pid %u)\n", pid);
	return EXIT_OK;
}
