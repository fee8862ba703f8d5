/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmschedctl: the command line's conventions, shared by the controller's
 * commands and the daemon: program name, exit codes, error messages.
 */
#ifndef KVMSCHEDCTL_CLI_H
#define KVMSCHEDCTL_CLI_H

#define PROG_NAME "kvmschedctl"

/*
 * The program name error messages start with: PROG_NAME, or "kvmschedd"
 * in the daemon's own binary (kvmschedd/main.c sets it).
 */
extern const char *cli_prog;

enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,		/* runtime error (kernel, module, no such VM) */
	EXIT_USAGE = 2,		/* bad command line */
};

/* "<cli_prog>: <fmt>\n" on stderr. */
void ctl_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * A usage error: "<cli_prog>: <cmd>: <fmt>", then the first line of the
 * usage text (the synopsis) on stderr. cmd NULL: a program without
 * commands (kvmschedd), "<cli_prog>: <fmt>". Returns EXIT_USAGE.
 */
int ctl_usage_err(const char *cmd, const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * After getopt_long() (optstring starting with ':', opterr = 0) returned c
 * ('?' or ':'): report the unknown option or missing argument as a usage
 * error. Returns EXIT_USAGE.
 */
int ctl_bad_option(const char *cmd, const char *usage, int c, char **argv);

#endif /* KVMSCHEDCTL_CLI_H */
