/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmsched tracking: finds VMs and vCPU threads from the kvm_entry
 * tracepoint, samples their accounting and forgets VMs that are gone.
 */
#ifndef _KVMSCHED_TRACK_H
#define _KVMSCHED_TRACK_H

#include "registry.h"

int kvms_track_init(void);
void kvms_track_exit(void);
void kvms_track_period_changed(void);
void kvms_track_vcpu_release(struct kvms_vcpu *kv);

#endif /* _KVMSCHED_TRACK_H */
