/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmschedctl: what the subcommands share: global options, exit codes,
 * error reporting, and the ipc calls every command makes the same way.
 */
#ifndef KVMSCHEDCTL_CTL_H
#define KVMSCHEDCTL_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ipc.h"
#include "model.h"
#include "parse.h"

#define PROG_NAME "kvmschedctl"

enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,		/* runtime error (kernel, module, no such VM) */
	EXIT_USAGE = 2,		/* bad command line */
};

/* Global options (before the subcommand). */
struct ctl_opts {
	bool json;		/* -j, --json */
};
extern struct ctl_opts ctl;

/* Subcommands: argv[0] is the subcommand's name; return an exit code. */
int cmd_list(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_set(int argc, char **argv);
int cmd_config(int argc, char **argv);
int cmd_cpu(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_top(int argc, char **argv);

/* "kvmschedctl: <fmt>\n" on stderr. */
void ctl_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * A usage error: "kvmschedctl: <cmd>: <fmt>", then the first line of the
 * usage text (the synopsis) on stderr. Returns EXIT_USAGE.
 */
int ctl_usage_err(const char *cmd, const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * After getopt_long() (optstring starting with ':', opterr = 0) returned c
 * ('?' or ':'): report the unknown option or missing argument as a usage
 * error. Returns EXIT_USAGE.
 */
int ctl_bad_option(const char *cmd, const char *usage, int c, char **argv);

/* Open the netlink layer, or report why not (module not loaded, ...). */
int ctl_open(struct ipc **ipc);

/*
 * Report a failed ipc call:
 * "kvmschedctl: <what>: <strerror>[: kernel says: <msg>][ (attribute ...)]"
 * Returns EXIT_FAIL.
 */
int ctl_ipc_fail(struct ipc *ipc, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Every VM, sorted by id; the dump is retried while NLM_F_DUMP_INTR. */
#define CTL_DUMP_RETRIES 5
int ctl_vm_dump(struct ipc *ipc, struct kvms_vm **vms, size_t *n);

/* The id of the VM a selector names; reports errors, returns an exit code. */
int ctl_resolve(struct ipc *ipc, const struct vm_selector *sel, uint32_t *id);

/* Parse a selector operand, reporting a usage error; returns an exit code. */
int ctl_selector(const char *cmd, const char *usage, const char *arg,
		 struct vm_selector *sel);

#endif /* KVMSCHEDCTL_CTL_H */
