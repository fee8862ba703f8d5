// SPDX-License-Identifier: GPL-2.0
/* kvmschedctl: names of the kvmsched enums; see names.h. */
#include <stddef.h>
#include <linux/kvmsched.h>

#include "names.h"

/*
 * In the order the command line lists them
 * ("accepted: shares|background|realtime|latency").
 */
const struct kv_enum class_names[] = {
	{ "shares", KVMSCHED_CLASS_SHARES },
	{ "background", KVMSCHED_CLASS_BACKGROUND },
	{ "realtime", KVMSCHED_CLASS_REALTIME },
	{ "latency", KVMSCHED_CLASS_LATENCY },
	{ NULL, 0 },
};

const struct kv_enum bound_names[] = {
	{ "none", KVMSCHED_BOUND_NONE },
	{ "reservation", KVMSCHED_BOUND_RESERVATION },
	{ "limit", KVMSCHED_BOUND_LIMIT },
	{ "latency", KVMSCHED_BOUND_LATENCY },
	{ "boost", KVMSCHED_BOUND_BOOST },
	{ NULL, 0 },
};

const struct kv_enum mem_state_names[] = {
	{ "normal", KVMSCHED_MEM_STATE_NORMAL },
	{ "reclaim", KVMSCHED_MEM_STATE_RECLAIM },
	{ "critical", KVMSCHED_MEM_STATE_CRITICAL },
	{ NULL, 0 },
};

const struct kv_enum balloon_reason_names[] = {
	{ "none", KVMSCHED_BALLOON_REASON_NONE },
	{ "at-max", KVMSCHED_BALLOON_REASON_AT_MAX },
	{ "inflate", KVMSCHED_BALLOON_REASON_INFLATE },
	{ "deflate", KVMSCHED_BALLOON_REASON_DEFLATE },
	{ "at-min", KVMSCHED_BALLOON_REASON_AT_MIN },
	{ "hold", KVMSCHED_BALLOON_REASON_HOLD },
	{ NULL, 0 },
};

const struct kv_enum dl_block_names[] = {
	{ "none", KVMSCHED_DL_BLOCK_NONE },
	{ "pinned", KVMSCHED_DL_BLOCK_PINNED },
	{ "leaving", KVMSCHED_DL_BLOCK_LEAVING },
	{ "stuck", KVMSCHED_DL_BLOCK_STUCK },
	{ "exiting", KVMSCHED_DL_BLOCK_EXITING },
	{ NULL, 0 },
};

/* The kernel's SCHED_* numbers (uapi/linux/sched.h), named as chrt(1) does. */
const struct kv_enum policy_names[] = {
	{ "normal", 0 },
	{ "fifo", 1 },
	{ "rr", 2 },
	{ "batch", 3 },
	{ "idle", 5 },
	{ "deadline", 6 },
	{ NULL, 0 },
};

const struct kv_enum event_names[] = {
	{ "vm-add", KVMSCHED_CMD_VM_ADD_NTF },
	{ "vm-del", KVMSCHED_CMD_VM_DEL_NTF },
	{ "vm-change", KVMSCHED_CMD_VM_CHANGE_NTF },
	{ "config-change", KVMSCHED_CMD_CONFIG_CHANGE_NTF },
	{ "balloon-target", KVMSCHED_CMD_BALLOON_TARGET_NTF },
	{ "overcommit", KVMSCHED_CMD_OVERCOMMIT_NTF },
	{ "vm-starved", KVMSCHED_CMD_VM_STARVED_NTF },
	{ NULL, 0 },
};

const char *kv_enum_name(const struct kv_enum *table, uint32_t value)
{
	for (; table && table->name; table++)
		if (table->value == value)
			return table->name;
	return NULL;
}

const char *class_name(uint32_t class)
{
	return kv_enum_name(class_names, class);
}

const char *bound_name(uint32_t bound)
{
	return kv_enum_name(bound_names, bound);
}

const char *mem_state_name(uint32_t state)
{
	return kv_enum_name(mem_state_names, state);
}

const char *balloon_reason_name(uint32_t reason)
{
	return kv_enum_name(balloon_reason_names, reason);
}

const char *dl_block_name(uint32_t block)
{
	return kv_enum_name(dl_block_names, block);
}

const char *policy_name(uint32_t policy)
{
	return kv_enum_name(policy_names, policy);
}

const char *event_name(int cmd)
{
	return cmd < 0 ? NULL : kv_enum_name(event_names, (uint32_t)cmd);
}
