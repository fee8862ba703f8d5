// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of userspace/lib/names.c: the names of the kvmsched enums.
 * No kernel, no netlink.
 *
 * Every CHECK compares against an independent expected value, so each can
 * fail.
 *
 * Output: one "not ok" line per failed check (with file:line and the values)
 * and a last line "test_names: N passed, N failed"; exit 1 on any failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "events.h"
#include "format.h"
#include "parse.h"
#include "stats.h"

#include "check.h"
#include "fixtures.h"

static void test_names(void)
{
	static const struct { uint32_t v; const char *name; } pol[] = {
		{ 0, "normal" }, { 1, "fifo" }, { 2, "rr" }, { 3, "batch" },
		{ 5, "idle" }, { 6, "deadline" },
	};
	size_t i;

	CHECK_STR(class_name(KVMSCHED_CLASS_SHARES), "shares");
	CHECK_STR(class_name(KVMSCHED_CLASS_BACKGROUND), "background");
	CHECK_STR(class_name(KVMSCHED_CLASS_REALTIME), "realtime");
	CHECK_INT(KVMSCHED_CLASS_REALTIME, 2);
	CHECK_STR(class_name(KVMSCHED_CLASS_LATENCY), "latency");
	CHECK_INT(KVMSCHED_CLASS_LATENCY, 3);
	CHECK(class_name(4) == NULL, "class 4 has a name");
	for (i = 0; i < sizeof(pol) / sizeof(pol[0]); i++)
		CHECK_STR(policy_name(pol[i].v), pol[i].name);
	CHECK(policy_name(4) == NULL, "policy 4 has a name");
	CHECK(policy_name(UINT32_MAX) == NULL, "policy 2^32-1 has a name");
	/* The CLI's class keys are the spec's names, with the same values. */
	CHECK_STR(kv_vm_keys[1].key, "class");
	CHECK_STR(kv_vm_keys[1].enums[0].name,
		  class_name(kv_vm_keys[1].enums[0].value));
	CHECK_STR(kv_vm_keys[1].enums[1].name,
		  class_name(kv_vm_keys[1].enums[1].value));
	CHECK_STR(kv_vm_keys[1].enums[2].name,
		  class_name(kv_vm_keys[1].enums[2].value));
	CHECK_STR(kv_vm_keys[1].enums[3].name,
		  class_name(kv_vm_keys[1].enums[3].value));
	CHECK_STR(kv_vm_keys[1].enums[3].name, "latency");
	CHECK(kv_vm_keys[1].enums[4].name == NULL, "a fifth class");
}

static void test_names_bounds_mem(void)
{
	static const char *const reasons[] = {
		"none", "at-max", "inflate", "deflate", "at-min", "hold",
	};
	const struct kv_key *k;
	uint32_t i;

	CHECK_STR(bound_name(KVMSCHED_BOUND_NONE), "none");
	CHECK_STR(bound_name(KVMSCHED_BOUND_RESERVATION), "reservation");
	CHECK_STR(bound_name(KVMSCHED_BOUND_LIMIT), "limit");
	CHECK_STR(bound_name(KVMSCHED_BOUND_LATENCY), "latency");
	CHECK_INT(KVMSCHED_BOUND_LATENCY, 3);
	CHECK_STR(bound_name(KVMSCHED_BOUND_BOOST), "boost");
	CHECK_INT(KVMSCHED_BOUND_BOOST, 4);
	CHECK(bound_name(5) == NULL, "bound 5 has a name");
	CHECK_STR(mem_state_name(KVMSCHED_MEM_STATE_NORMAL), "normal");
	CHECK_STR(mem_state_name(KVMSCHED_MEM_STATE_RECLAIM), "reclaim");
	CHECK_STR(mem_state_name(KVMSCHED_MEM_STATE_CRITICAL), "critical");
	CHECK(mem_state_name(3) == NULL, "mem state 3 has a name");
	for (i = 0; i < NELEM(reasons); i++)
		CHECK_STR(balloon_reason_name(i), reasons[i]);
	CHECK_INT(KVMSCHED_BALLOON_REASON_HOLD, 5);
	CHECK(balloon_reason_name(6) == NULL, "balloon reason 6 has a name");
	/* config's mem_state key uses the same names and values. */
	k = kv_find(kv_config_keys, "mem_state", 9);
	CHECK(k && k->type == KV_ENUM && (k->flags & KV_READONLY),
	      "mem_state key");
	for (i = 0; k && k->enums[i].name; i++)
		CHECK_STR(k->enums[i].name, mem_state_name(k->enums[i].value));
	CHECK_INT(i, 3);
	/* dl-block: the spec's names, in its order. */
	CHECK_STR(dl_block_name(KVMSCHED_DL_BLOCK_NONE), "none");
	CHECK_STR(dl_block_name(KVMSCHED_DL_BLOCK_PINNED), "pinned");
	CHECK_STR(dl_block_name(KVMSCHED_DL_BLOCK_LEAVING), "leaving");
	CHECK_STR(dl_block_name(KVMSCHED_DL_BLOCK_STUCK), "stuck");
	CHECK_STR(dl_block_name(KVMSCHED_DL_BLOCK_EXITING), "exiting");
	CHECK_INT(KVMSCHED_DL_BLOCK_EXITING, 4);
	CHECK(dl_block_name(5) == NULL, "dl block 5 has a name");
	/* The deadline counters: read-only u64 keys. */
	k = kv_find(kv_config_keys, "deadline_refused", 16);
	CHECK(k && k->type == KV_U64 && (k->flags & KV_READONLY) &&
	      k->attr == KVMSCHED_A_CONFIG_DEADLINE_REFUSED, "deadline_refused key");
	k = kv_find(kv_config_keys, "deadline_reclaimed", 18);
	CHECK(k && k->type == KV_U64 && (k->flags & KV_READONLY) &&
	      k->attr == KVMSCHED_A_CONFIG_DEADLINE_RECLAIMED,
	      "deadline_reclaimed key");
	/* Every config attribute but pad has a key, named as the spec with '_'. */
	for (i = 1; i <= KVMSCHED_A_CONFIG_MAX; i++) {
		if (i == KVMSCHED_A_CONFIG_PAD)
			continue;
		for (k = kv_config_keys; k->key; k++)
			if (k->attr == (int)i)
				break;
		CHECK(k->key != NULL, "config attribute %u has no key", i);
	}
}

int main(void)
{
	test_names();
	test_names_bounds_mem();
	return check_done("test_names");
}
