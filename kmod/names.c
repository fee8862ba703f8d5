// SPDX-License-Identifier: GPL-2.0
/*
 * kvmsched enum names (KVM-free, see names.h).
 */
#include <linux/kernel.h>
#include <uapi/linux/sched.h>

#include "../uapi/linux/kvmsched.h"
#include "names.h"

/* Tables indexed by the uapi value; scripts/numbers-check.py reads them. */
static const char * const kvms_class_names[] = {
	[KVMSCHED_CLASS_SHARES] = "shares",
	[KVMSCHED_CLASS_BACKGROUND] = "background",
	[KVMSCHED_CLASS_REALTIME] = "realtime",
	[KVMSCHED_CLASS_LATENCY] = "latency",
};

static const char * const kvms_bound_names[] = {
	[KVMSCHED_BOUND_NONE] = "none",
	[KVMSCHED_BOUND_RESERVATION] = "reservation",
	[KVMSCHED_BOUND_LIMIT] = "limit",
	[KVMSCHED_BOUND_LATENCY] = "latency",
	[KVMSCHED_BOUND_BOOST] = "boost",
};

static const char * const kvms_mem_state_names[] = {
	[KVMSCHED_MEM_STATE_NORMAL] = "normal",
	[KVMSCHED_MEM_STATE_RECLAIM] = "reclaim",
	[KVMSCHED_MEM_STATE_CRITICAL] = "critical",
};

static const char * const kvms_balloon_reason_names[] = {
	[KVMSCHED_BALLOON_REASON_NONE] = "none",
	[KVMSCHED_BALLOON_REASON_AT_MAX] = "at-max",
	[KVMSCHED_BALLOON_REASON_INFLATE] = "inflate",
	[KVMSCHED_BALLOON_REASON_DEFLATE] = "deflate",
	[KVMSCHED_BALLOON_REASON_AT_MIN] = "at-min",
	[KVMSCHED_BALLOON_REASON_HOLD] = "hold",
};

static const char * const kvms_dl_block_names[] = {
	[KVMSCHED_DL_BLOCK_NONE] = "none",
	[KVMSCHED_DL_BLOCK_PINNED] = "pinned",
	[KVMSCHED_DL_BLOCK_LEAVING] = "leaving",
	[KVMSCHED_DL_BLOCK_STUCK] = "stuck",
	[KVMSCHED_DL_BLOCK_EXITING] = "exiting",
};

/* The kernel's scheduling policies (SCHED_*), as kvmschedctl prints them. */
static const char * const kvms_policy_names[] = {
	[SCHED_NORMAL] = "normal",
	[SCHED_FIFO] = "fifo",
	[SCHED_RR] = "rr",
	[SCHED_BATCH] = "batch",
	[SCHED_IDLE] = "idle",
	[SCHED_DEADLINE] = "deadline",
};

static const char *kvms_name_of(const char * const *names, size_t n, u32 v)
{
	return v < n && names[v] ? names[v] : "?";
}

/**
 * kvms_class_name() - a class (KVMSCHED_CLASS_*) as text
 * @class: the value
 *
 * Return: the spec's name for it, or "?".
 */
const char *kvms_class_name(u32 class)
{
	return kvms_name_of(kvms_class_names,
			    ARRAY_SIZE(kvms_class_names), class);
}

/**
 * kvms_bound_name() - a bound (KVMSCHED_BOUND_*) as text
 * @bound: the value
 *
 * Return: the spec's name for it, or "?".
 */
const char *kvms_bound_name(u32 bound)
{
	return kvms_name_of(kvms_bound_names,
			    ARRAY_SIZE(kvms_bound_names), bound);
}

/**
 * kvms_mem_state_name() - a host memory state (KVMSCHED_MEM_STATE_*) as text
 * @state: the value
 *
 * Return: the spec's name for it, or "?".
 */
const char *kvms_mem_state_name(u32 state)
{
	return kvms_name_of(kvms_mem_state_names,
			    ARRAY_SIZE(kvms_mem_state_names), state);
}

/**
 * kvms_balloon_reason_name() - a balloon reason (KVMSCHED_BALLOON_REASON_*) as text
 * @reason: the value
 *
 * Return: the spec's name for it, or "?".
 */
const char *kvms_balloon_reason_name(u32 reason)
{
	return kvms_name_of(kvms_balloon_reason_names,
			    ARRAY_SIZE(kvms_balloon_reason_names), reason);
}

/**
 * kvms_dl_block_name() - a dl-block reason (KVMSCHED_DL_BLOCK_*) as text
 * @block: the value
 *
 * Return: the spec's name for it, or "?".
 */
const char *kvms_dl_block_name(u32 block)
{
	return kvms_name_of(kvms_dl_block_names,
			    ARRAY_SIZE(kvms_dl_block_names), block);
}

/**
 * kvms_policy_name() - a kernel scheduling policy (SCHED_*) as text
 * @policy: the policy
 *
 * Return: "normal", "fifo", "rr", "batch", "idle", "deadline" or "?".
 */
const char *kvms_policy_name(int policy)
{
	if (policy < 0)
		return "?";
	return kvms_name_of(kvms_policy_names, ARRAY_SIZE(kvms_policy_names),
			    policy);
}
