/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmsched enforcement: applies the policy core's decisions to vCPU threads
 * with the kernel's own scheduling classes, and gives threads back their
 * original attributes.
 */
#ifndef _KVMSCHED_ENFORCE_H
#define _KVMSCHED_ENFORCE_H

#include "registry.h"

int kvms_enforce_period(struct kvms_registry *reg);
void kvms_enforce_restore_vm(struct kvms_vm *vm);
void kvms_enforce_exit(void);
const char *kvms_class_name(u8 class);
const char *kvms_policy_name(int policy);

#endif /* _KVMSCHED_ENFORCE_H */
