/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmschedctl: the objects the kvmsched netlink family returns, decoded.
 * Plain data, no libnl: ipc.c fills them, parse.c/format.c/stats.c read them
 * (and the host unit tests build them by hand).
 */
#ifndef KVMSCHEDCTL_MODEL_H
#define KVMSCHEDCTL_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/kvmsched.h>

/* "present" bit of attribute A (KVMSCHED_A_*): every reply attribute is optional. */
#define KVMS_BIT(a)		(UINT64_C(1) << (a))
#define KVMS_HAS(obj, a)	(((obj)->present & KVMS_BIT(a)) != 0)

/* The kernel sends at most 15 bytes of comm; longer strings are truncated. */
#define KVMS_COMM_MAX		31

struct kvms_vm {
	uint64_t present;		/* KVMS_BIT(KVMSCHED_A_VM_*) */
	uint32_t id;
	uint32_t pid;
	uint32_t nr_vcpus;
	uint32_t cpu_last_mcpu;		/* 0 to 1000 x nr_vcpus */
	uint32_t steal_last_permille;	/* 0-1000 */
	uint32_t class;			/* enum kvmsched_class */
	uint32_t weight;		/* 1-10000 */
	uint32_t entitled_mcpu;		/* last period */
	uint32_t demand_mcpu;		/* last period */
	uint32_t nr_active_vcpus;	/* last period */
	uint64_t cpu_time_ns;
	uint64_t wait_time_ns;
	uint64_t vm_entries;
	char comm[KVMS_COMM_MAX + 1];
	char name[KVMSCHED_VM_NAME_MAX_LEN + 1];	/* "" when absent */
};

struct kvms_vcpu {
	uint64_t present;		/* KVMS_BIT(KVMSCHED_A_VCPU_*) */
	uint32_t vm_id;
	uint32_t vcpu_id;
	uint32_t tid;
	uint32_t cpu_last_mcpu;		/* 0-1000 */
	uint32_t steal_last_permille;	/* 0-1000 */
	uint32_t policy;		/* the kernel's SCHED_* number */
	int32_t nice;			/* -20 to 19 */
	uint32_t overrides;
	uint64_t cpu_time_ns;
	uint64_t wait_time_ns;
	uint64_t vm_entries;
};

struct kvms_config {
	uint64_t present;		/* KVMS_BIT(KVMSCHED_A_CONFIG_*) */
	uint32_t period_ms;
	uint32_t nr_vms;
};

/* Not an event of the family: the family itself was unregistered (rmmod). */
#define KVMS_EVENT_FAMILY_GONE	(-1)

/* One multicast event from the "events" group. */
struct kvms_event {
	int cmd;			/* KVMSCHED_CMD_*_NTF, or the above */
	struct kvms_vm vm;		/* vm-add/del/change */
	struct kvms_config config;	/* config-change */
};

#endif /* KVMSCHEDCTL_MODEL_H */
