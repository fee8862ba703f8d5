/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmsched sysfs view: /sys/kernel/kvmsched/, see
 * Documentation/ABI/testing/sysfs-kernel-kvmsched.
 */
#ifndef _KVMSCHED_SYSFS_H
#define _KVMSCHED_SYSFS_H

#include "registry.h"

int kvms_sysfs_init(void);
void kvms_sysfs_exit(void);
int kvms_sysfs_add_vm(struct kvms_vm *vm);
int kvms_sysfs_add_vcpu(struct kvms_vcpu *vcpu);
void kvms_sysfs_del_vm(struct kvms_vm *vm);

#endif /* _KVMSCHED_SYSFS_H */
