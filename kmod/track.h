/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmsched tracking: finds VMs and vCPU threads from the kvm_entry
 * tracepoint, samples their accounting and forgets VMs that are gone.
 */
#ifndef _KVMSCHED_TRACK_H
#define _KVMSCHED_TRACK_H

#include "registry.h"

extern struct kvms_registry kvms_reg;

int kvms_track_init(void);
void kvms_track_exit(void);

#endif /* _KVMSCHED_TRACK_H */
