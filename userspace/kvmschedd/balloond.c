// SPDX-License-Identifier: GPL-2.0
/*
 * kvmschedd, the daemon, also run as kvmschedctl balloond: its options; see
 * balloond.h. The daemon itself: daemon.h and the files it lists.
 *
 * balloond keeps one QMP session per VM (struct vm). Every --interval-ms it
 * reads each VM's balloon (query-balloon) and guest statistics (qom-get
 * guest-stats) and reports them to the module (vm-mem-report), with the
 * host's memory PSI (host-mem-report). Targets come from the module: a
 * vm-get dump at start and every --resync-ms (or after lost events), and
 * balloon-target-ntf events in between; each new target is applied at once.
 * With --targets FILE the targets come from a file instead and netlink is
 * not used at all (testing without the module, or a static policy).
 *
 * Failures never end the daemon: a lost QMP socket is retried with backoff
 * (0.5 s doubling to 10 s) and the target re-applied on the new session; a
 * VMM without a balloon device or without a QMP socket is logged once and
 * skipped; a missing module is waited for.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "balloond.h"
#include "cli.h"
#include "daemon.h"
#include "libvirt.h"
#include "log.h"
#include "parse.h"
#include "pkgversion.h"
#include "policy.h"

/*
 * The usage text, for both names: the synopsis's continuation lines are
 * indented by PAD to line up under the first option.
 */
#define DAEMON_USAGE(prog, pad)						\
	"Usage: " prog " [-h] [-V] [-v]... [--interval-ms MS] [--map FILE]\n" \
	pad "[--targets FILE] [--resync-ms MS] [--reapply-ms MS]\n"	\
	pad "[--qmp-timeout-ms MS] [--stats-interval SECONDS]\n"	\
	pad "[--config FILE|DIR] [--dry-run] [--pid-file FILE]\n"	\
	pad "[--libvirt-dir DIR | --no-libvirt]\n"			\
	pad "[--metrics-textfile PATH [--metrics-interval S]]\n"	\
	pad "[--log-prefix]\n"						\
	DAEMON_HELP

#define DAEMON_HELP							\
	"\n"								\
	"The kvmsched daemon: applies the persistent per-VM policy, and is the\n" \
	"memory-balloon actuator: applies the balloon targets kvmsched computes\n" \
	"through each VM's QMP socket, and reports guest memory (balloon actual, guest\n" \
	"free and available) and host memory PSI back to the module. Runs until\n" \
	"SIGTERM or SIGINT; logs one line per action on stderr.\n"	\
	"\n"								\
	"  --interval-ms MS      read balloons and guest statistics and report them\n" \
	"                        every MS (100-3600000, default 2000)\n"	\
	"  --map FILE            where QMP sockets are, before the VMM's command line:\n" \
	"                        lines 'name:NAME SOCKET' or 'pid:PID SOCKET', '#'\n" \
	"                        comments; re-read on SIGHUP\n"		\
	"  --targets FILE        static targets instead of the module's, no netlink:\n" \
	"                        lines 'pid:PID MIB' or 'SOCKET MIB', re-read every\n" \
	"                        interval\n"				\
	"  --resync-ms MS        dump every VM again every MS (1000-3600000, default\n" \
	"                        30000), to catch lost events\n"		\
	"  --reapply-ms MS       when a VM's actual size moves away from its target\n" \
	"                        (someone else ballooned it), apply the target again,\n" \
	"                        at most once per MS (100-3600000, default 10000)\n" \
	"  --qmp-timeout-ms MS   QMP connect and reply timeout (100-60000, default 3000)\n" \
	"  --stats-interval S    guest-stats-polling-interval set on each balloon\n" \
	"                        device (1-3600 s, default 2)\n"	\
	"  --config FILE|DIR     the policy: a file, or DIR/kvmsched.conf and\n" \
	"                        DIR/conf.d/*.conf (default " POLICY_DIR "; absent:\n" \
	"                        no rules); re-read on SIGHUP (kvmschedctl reload)\n" \
	"  --dry-run             log what the policy would set, set nothing\n" \
	"  --libvirt-dir DIR     where libvirt keeps each running domain's live XML,\n" \
	"                        DIR/NAME.xml (default " LIBVIRT_DIR "); its\n" \
	"                        <metadata> kvmsched policy overrides the file rule\n" \
	"                        key by key; read at vm-add, at start and on SIGHUP\n" \
	"  --no-libvirt          do not read libvirt's domain XML\n"	\
	"  --pid-file FILE       write the daemon's pid there (default\n" \
	"                        " DEFAULT_PID_FILE "; '' for none), for kvmschedctl reload\n" \
	"  --metrics-textfile PATH  write kvmschedctl metrics to PATH atomically\n" \
	"                        (node_exporter's textfile collector; PATH should end\n" \
	"                        in .prom) every --metrics-interval S (1-3600, default\n" \
	"                        15) while the module is loaded\n"	\
	"  --log-prefix          log lines as '<P>message', P the syslog priority (3\n" \
	"                        error, 4 warning, 6 info, 7 debug), no timestamp;\n" \
	"                        the default when stderr is the journal\n" \
	"  -v, --verbose         more log lines (repeat for even more)\n"	\
	"  -V, --version         print the version\n"			\
	"\n"								\
	"A VM's QMP socket: from --map, else from /proc/PID/cmdline: '-qmp unix:PATH,...'\n" \
	"or '-chardev socket,id=ID,path=PATH,server=on' with '-mon chardev=ID,mode=control'.\n" \
	"\n"								\
	"The policy: global tunables and per-VM rules by name, uuid or command line,\n" \
	"first match wins; a VM without a kvmsched name is given QEMU's -name. Applied\n" \
	"to every VM at start, when one appears, on SIGHUP and when the module comes\n" \
	"back. A bad file is refused whole (at start: the daemon exits 2; on SIGHUP:\n" \
	"the running policy stays). See kvmschedd(8) and kvmschedctl(8), POLICY FILES.\n"

static const char balloond_usage[] =
	DAEMON_USAGE(PROG_NAME " balloond", "                            ");
static const char kvmschedd_usage[] =
	DAEMON_USAGE("kvmschedd", "                 ");

static const struct option balloond_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, 'V' },
	{ "log-prefix", no_argument, NULL, 'L' },
	{ "interval-ms", required_argument, NULL, 'i' },
	{ "map", required_argument, NULL, 'm' },
	{ "targets", required_argument, NULL, 'T' },
	{ "resync-ms", required_argument, NULL, 'r' },
	{ "reapply-ms", required_argument, NULL, 'a' },
	{ "qmp-timeout-ms", required_argument, NULL, 'q' },
	{ "stats-interval", required_argument, NULL, 's' },
	{ "config", required_argument, NULL, 'c' },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "libvirt-dir", required_argument, NULL, 'l' },
	{ "no-libvirt", no_argument, NULL, 'N' },
	{ "pid-file", required_argument, NULL, 'p' },
	{ "metrics-textfile", required_argument, NULL, 'M' },
	{ "metrics-interval", required_argument, NULL, 'I' },
	{ NULL, 0, NULL, 0 },
};

/* As which program: kvmschedd (cmd NULL) or kvmschedctl balloond. */
static const char *cmd;
static const char *usage;

static int opt_range(const char *name, const char *arg, uint32_t min,
		     uint32_t max, int *out)
{
	uint32_t v;

	if (parse_u32(arg, &v) || v < min || v > max)
		return ctl_usage_err(cmd, usage,
				     "%s: '%s' is not a number %u-%u", name,
				     arg, min, max);
	*out = (int)v;
	return EXIT_OK;
}

static int daemon_main(int argc, char **argv)
{
	struct balloond b = {
		.interval_ms = 2000, .resync_ms = 30000, .reapply_ms = 10000,
		.qmp_timeout_ms = 3000, .stats_interval_s = 2,
		.pid_file = DEFAULT_PID_FILE, .pid_fd = -1, .metrics_interval_s = 15,
		.libvirt_dir = LIBVIRT_DIR,
	};
	bool log_prefix = false;
	int c, rc = EXIT_OK;

	optind = 0;
	opterr = 0;
	verbose = 0;
	while ((c = getopt_long(argc, argv, ":hvV", balloond_opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(usage, stdout);
			return EXIT_OK;
		case 'V':
			printf(PKG_VERSION_LINE("%s"), cmd ? PROG_NAME : "kvmschedd",
			       KVMSCHED_FAMILY_VERSION);
			return EXIT_OK;
		case 'v':
			verbose++;
			break;
		case 'L':
			log_prefix = true;
			break;
		case 'i':
			rc = opt_range("--interval-ms", optarg, 100,
				       3600000, &b.interval_ms);
			break;
		case 'r':
			rc = opt_range("--resync-ms", optarg, 1000,
				       3600000, &b.resync_ms);
			break;
		case 'a':
			rc = opt_range("--reapply-ms", optarg, 100,
				       3600000, &b.reapply_ms);
			break;
		case 'q':
			rc = opt_range("--qmp-timeout-ms", optarg, 100,
				       60000, &b.qmp_timeout_ms);
			break;
		case 's':
			rc = opt_range("--stats-interval", optarg, 1,
				       3600, &b.stats_interval_s);
			break;
		case 'm':
			b.map_file = optarg;
			break;
		case 'T':
			b.targets_file = optarg;
			break;
		case 'c':
			b.config_path = optarg;
			break;
		case 'n':
			b.dry_run = true;
			break;
		case 'l':
			if (!*optarg)
				return ctl_usage_err(cmd, usage,
						     "--libvirt-dir: empty path");
			b.libvirt_dir = optarg;
			break;
		case 'N':
			b.libvirt_dir = NULL;
			break;
		case 'p':
			b.pid_file = *optarg ? optarg : NULL;
			break;
		case 'M':
			if (!*optarg)
				return ctl_usage_err(cmd, usage,
						     "--metrics-textfile: empty path");
			b.metrics_file = optarg;
			break;
		case 'I':
			rc = opt_range("--metrics-interval", optarg, 1,
				       3600, &b.metrics_interval_s);
			break;
		default:
			return ctl_bad_option(cmd, usage, c, argv);
		}
		if (rc)
			return rc;
	}
	if (optind < argc)
		return ctl_usage_err(cmd, usage,
				     "unexpected argument '%s'", argv[optind]);
	if (b.map_file && access(b.map_file, R_OK)) {
		ctl_err("%s%s--map %s: %s", cmd ? cmd : "", cmd ? ": " : "",
			b.map_file, strerror(errno));
		return EXIT_FAIL;
	}
	if (b.targets_file && access(b.targets_file, R_OK)) {
		ctl_err("%s%s--targets %s: %s", cmd ? cmd : "", cmd ? ": " : "",
			b.targets_file, strerror(errno));
		return EXIT_FAIL;
	}
	log_setup(cmd ? "balloond" : "kvmschedd", log_prefix);
	return balloond_run(&b);
}

int cmd_balloond(int argc, char **argv)
{
	cmd = argv[0];
	usage = balloond_usage;
	return daemon_main(argc, argv);
}

int kvmschedd_main(int argc, char **argv)
{
	cli_prog = "kvmschedd";
	cmd = NULL;
	usage = kvmschedd_usage;
	return daemon_main(argc, argv);
}
