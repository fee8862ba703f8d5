/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmschedd, the daemon (also kvmschedctl balloond): applies the persistent
 * policy to each VM, and the balloon targets kvmsched computes through the
 * VMM's QMP socket, and reports back what the balloon devices and the host
 * say (guest free and available memory, balloon actual size, host memory
 * PSI). Its two entry points; kvmschedd(8).
 */
#ifndef KVMSCHEDCTL_BALLOOND_H
#define KVMSCHEDCTL_BALLOOND_H

/*
 * Where the daemon writes its pid and kvmschedctl reload looks for it: in
 * the unit's RuntimeDirectory=kvmsched, the one writable place under /run
 * with ProtectSystem=strict (the daemon creates the directory when run by
 * hand).
 */
#define DEFAULT_PID_FILE "/run/kvmsched/kvmschedd.pid"

/* kvmschedctl balloond ARGS: the daemon under its old name. */
int cmd_balloond(int argc, char **argv);
/* kvmschedd's main(): the daemon under its own name. */
int kvmschedd_main(int argc, char **argv);

#endif /* KVMSCHEDCTL_BALLOOND_H */
