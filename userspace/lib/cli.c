// SPDX-License-Identifier: GPL-2.0
/* kvmschedctl: error messages of the command line; see cli.h. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

const char *cli_prog = PROG_NAME;

void ctl_err(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", cli_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int ctl_usage_err(const char *cmd, const char *usage, const char *fmt, ...)
{
	va_list ap;

	const char *nl = strchr(usage, '\n');

	fflush(stdout);
	fprintf(stderr, "%s: %s%s", cli_prog, cmd ? cmd : "", cmd ? ": " : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	/* The synopsis (first line of the usage text) and where to read more. */
	fprintf(stderr, "\n%.*s\nRun '%s%s%s --help' for more.\n",
		nl ? (int)(nl - usage) : (int)strlen(usage), usage, cli_prog,
		cmd ? " " : "", cmd ? cmd : "");
	return EXIT_USAGE;
}

int ctl_bad_option(const char *cmd, const char *usage, int c, char **argv)
{
	const char *arg = argv[optind - 1];

	if (c == ':')
		return ctl_usage_err(cmd, usage, "option '%s' needs an argument",
				     arg);
	if (optopt && strncmp(arg, "--", 2))
		return ctl_usage_err(cmd, usage, "unknown option '-%c'", optopt);
	return ctl_usage_err(cmd, usage, "unknown option '%s'", arg);
}
