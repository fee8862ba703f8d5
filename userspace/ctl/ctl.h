/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmschedctl: what the subcommands share: global options and the ipc
 * calls every command makes the same way (exit codes and error reporting:
 * cli.h).
 */
#ifndef KVMSCHEDCTL_CTL_H
#define KVMSCHEDCTL_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "ipc.h"
#include "model.h"
#include "parse.h"

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
int cmd_balloon(int argc, char **argv);

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
