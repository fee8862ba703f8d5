/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmsched enum names: the one table of the kernel side, for sysfs and the
 * kernel log. Each name is the spec's entry name (Documentation/netlink/
 * specs/kvmsched.yaml; scripts/numbers-check.py compares them). KVM-free.
 */
#ifndef _KVMSCHED_NAMES_H
#define _KVMSCHED_NAMES_H

#include <linux/types.h>

const char *kvms_class_name(u32 class);
const char *kvms_bound_name(u32 bound);
const char *kvms_mem_state_name(u32 state);
const char *kvms_balloon_reason_name(u32 reason);
const char *kvms_dl_block_name(u32 block);
const char *kvms_policy_name(int policy);

#endif /* _KVMSCHED_NAMES_H */
