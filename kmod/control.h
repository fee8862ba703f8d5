/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmsched control core: every change of a VM's settings or of the global
 * tunables, whoever asks (netlink's vm-set and config-set today), is parsed
 * into one settings struct, validated whole by one function and committed
 * by it, all or nothing, as DAMON's damon_commit_ctx() does. KVM-free: the
 * side effects (giving threads back, reading memory, announcing the change)
 * go through the registry's hooks (struct kvms_registry_ops), so the KUnit
 * suite kvmsched_control runs it on UML.
 */
#ifndef _KVMSCHED_CONTROL_H
#define _KVMSCHED_CONTROL_H

#include <linux/types.h>

#include "config.h"
#include "registry.h"

/* Longest message of a refused change, NUL included. */
#define KVMS_WHY_LEN	96

/**
 * struct kvms_why - why a change was refused
 * @attr:	the netlink attribute at fault (KVMSCHED_A_VM_* or
 *		KVMSCHED_A_CONFIG_*), 0 when no single one is
 * @msg:	what is wrong, naming the field and its allowed range
 */
struct kvms_why {
	int attr;
	char msg[KVMS_WHY_LEN];
};

/**
 * struct kvms_vm_settings - the per-VM settings a request changes
 * @given:	BIT(KVMSCHED_A_VM_*) of each field given; the rest stay as
 *		they are
 * @name:	admin-chosen name (NUL-terminated; checked by the commit)
 * @class:	KVMSCHED_CLASS_*
 * @weight:	KVMSCHED_WEIGHT_MIN..KVMSCHED_WEIGHT_MAX
 * @reservation_mcpu: CPU floor, 0 = none
 * @limit_mcpu:	CPU ceiling, 0 = none
 * @mem_shares:	balloon shares
 * @mem_min_mib: balloon floor, MiB
 * @mem_max_mib: balloon ceiling, MiB (0 = the guest's RAM)
 * @rt_priority: realtime priority, KVMSCHED_RT_PRIORITY_MIN..MAX
 * @rr_quantum_ms: realtime round-robin quantum, ms, 0 = FCFS
 * @latency_us:	latency class target, us, KVMSCHED_LATENCY_US_MIN..MAX
 *
 * Each field's own range is the netlink policy's (kvmsched-nl-gen.c, from
 * the spec); kvms_vm_commit() checks what involves more than one field or
 * the host: bounds against vCPUs and each other, admission, names.
 */
struct kvms_vm_settings {
	u64 given;
	const char *name;
	u32 class;
	u32 weight;
	u32 reservation_mcpu;
	u32 limit_mcpu;
	u32 mem_shares;
	u32 mem_min_mib;
	u32 mem_max_mib;
	u32 rt_priority;
	u32 rr_quantum_ms;
	u32 latency_us;
};

/* Was field @attr (KVMSCHED_A_VM_*) given? */
static inline bool kvms_vs_given(const struct kvms_vm_settings *s, int attr)
{
	return s->given & BIT_ULL(attr);
}

int kvms_vm_commit(struct kvms_vm *vm, const struct kvms_vm_settings *s,
		   u32 reservable_mcpu, struct kvms_why *why);
int kvms_config_commit(struct kvms_registry *reg, const struct kvms_config *c,
		       u32 capacity_mcpu, u32 dl_pct, struct kvms_why *why);

#endif /* _KVMSCHED_CONTROL_H */
