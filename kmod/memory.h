/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmsched memory mechanism: reads host and per-VM memory, runs the balloon
 * policy (balloon.c) every balloon_period_ms and announces changed targets.
 */
#ifndef _KVMSCHED_MEMORY_H
#define _KVMSCHED_MEMORY_H

#include "balloon.h"
#include "registry.h"

extern struct kvms_mem_host kvms_host_mem;

void kvms_memory_start(void);
void kvms_memory_stop(void);
void kvms_memory_kick(void);
void kvms_memory_read_vm(struct kvms_vm *vm);
void kvms_memory_report_psi(u32 psi_bp);

#endif /* _KVMSCHED_MEMORY_H */
