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
void kvms_enforce_now(struct kvms_registry *reg);
bool kvms_enforce_held(struct kvms_registry *reg);
void kvms_enforce_cpu_lock(void);
void kvms_enforce_cpu_unlock(void);
int kvms_enforce_cpu_offline(struct kvms_registry *reg, unsigned int cpu,
			     bool *changed);
int kvms_enforce_cpu_online(struct kvms_registry *reg, unsigned int cpu);
void kvms_enforce_restore_vm(struct kvms_vm *vm);
void kvms_enforce_rethread(struct kvms_vcpu *kv);
void kvms_enforce_exit(void);
u32 kvms_capacity_mcpu(void);
u32 kvms_reservable_now(void);

extern unsigned long kvms_dl_refused;
extern atomic_long_t kvms_dl_reclaimed;
extern u32 kvms_overcommit_mcpu;
extern u32 kvms_dl_held_mcpu;
extern u64 kvms_apply_last_ns;
extern u64 kvms_apply_max_ns;

#endif /* _KVMSCHED_ENFORCE_H */
