/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmsched realtime class and starvation watchdog (mechanism, see
 * watchdog.c).
 */
#ifndef _KVMSCHED_WATCHDOG_H
#define _KVMSCHED_WATCHDOG_H

#include "registry.h"

int kvms_wd_init(void);
void kvms_wd_exit(void);
void kvms_wd_publish(struct kvms_registry *reg);
void kvms_wd_forget(struct kvms_vm *vm, struct kvms_vcpu *kv);
void kvms_wd_hold_dl(bool hold);

/* Deadline bandwidth of the watchdog kthread while it holds it, mcpu. */
#define KVMS_WD_MCPU	25

extern u64 kvms_wd_throttled;
extern u32 kvms_wd_mcpu;

#endif /* _KVMSCHED_WATCHDOG_H */
