/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmschedctl: the one table of names of the kvmsched enums (and of the
 * kernel's scheduling policies), for humans, JSON and the command line:
 * format.c prints them, parse.c accepts them, balloond logs them. Pure.
 */
#ifndef KVMSCHEDCTL_NAMES_H
#define KVMSCHEDCTL_NAMES_H

#include <stdint.h>

/* A name and its value; a table ends with { NULL, 0 }. */
struct kv_enum {
	const char *name;
	uint32_t value;
};

extern const struct kv_enum class_names[];	/* enum kvmsched_class */
extern const struct kv_enum bound_names[];	/* enum kvmsched_bound */
extern const struct kv_enum mem_state_names[];	/* enum kvmsched_mem_state */
extern const struct kv_enum balloon_reason_names[]; /* kvmsched_balloon_reason */
extern const struct kv_enum dl_block_names[];	/* enum kvmsched_dl_block */
extern const struct kv_enum policy_names[];	/* SCHED_* (chrt(1) names) */
extern const struct kv_enum event_names[];	/* KVMSCHED_CMD_*_NTF */

/* The name of value in table (may be NULL), or NULL when it has none. */
const char *kv_enum_name(const struct kv_enum *table, uint32_t value);

/* The same, per table. */
const char *class_name(uint32_t class);		/* "shares", ..., "latency" */
const char *policy_name(uint32_t policy);	/* "normal", "idle", ... */
const char *bound_name(uint32_t bound);		/* "none", ..., "boost" */
const char *mem_state_name(uint32_t state);	/* "normal", "reclaim", "critical" */
const char *balloon_reason_name(uint32_t reason); /* "none", "at-max", ... */
const char *dl_block_name(uint32_t block);	/* "none", "pinned", ... */
/*
 * "vm-add", "vm-del", "vm-change", "config-change", "balloon-target",
 * "overcommit", or NULL.
 */
const char *event_name(int cmd);

#endif /* KVMSCHEDCTL_NAMES_H */
