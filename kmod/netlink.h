/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmsched generic netlink family "kvmsched": see
 * Documentation/netlink/specs/kvmsched.yaml.
 */
#ifndef _KVMSCHED_NETLINK_H
#define _KVMSCHED_NETLINK_H

#include <linux/types.h>

struct kvms_vm;

int kvms_nl_init(void);
void kvms_nl_exit(void);
void kvms_nl_notify_vm(struct kvms_vm *vm, u8 cmd);
void kvms_nl_notify_overcommit(void);
void kvms_nl_notify_config(void);

#endif /* _KVMSCHED_NETLINK_H */
