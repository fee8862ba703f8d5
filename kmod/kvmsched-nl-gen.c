// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/kvmsched.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "kvmsched-nl-gen.h"

#include "../uapi/linux/kvmsched.h"

/* KVMSCHED_CMD_VM_GET - do */
const struct nla_policy kvmsched_vm_get_nl_policy[KVMSCHED_A_VM_ID + 1] = {
	[KVMSCHED_A_VM_ID] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* KVMSCHED_CMD_VM_SET - do */
const struct nla_policy kvmsched_vm_set_nl_policy[KVMSCHED_A_VM_WEIGHT + 1] = {
	[KVMSCHED_A_VM_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[KVMSCHED_A_VM_NAME] = { .type = NLA_NUL_STRING, .len = KVMSCHED_VM_NAME_MAX_LEN, },
	[KVMSCHED_A_VM_CLASS] = NLA_POLICY_MAX(NLA_U32, 1),
	[KVMSCHED_A_VM_WEIGHT] = NLA_POLICY_RANGE(NLA_U32, 1, 10000),
};

/* KVMSCHED_CMD_VCPU_GET - do */
const struct nla_policy kvmsched_vcpu_get_nl_policy[KVMSCHED_A_VCPU_VCPU_ID + 1] = {
	[KVMSCHED_A_VCPU_VM_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[KVMSCHED_A_VCPU_VCPU_ID] = { .type = NLA_U32, },
};

/* KVMSCHED_CMD_CONFIG_SET - do */
const struct nla_policy kvmsched_config_set_nl_policy[KVMSCHED_A_CONFIG_PERIOD_MS + 1] = {
	[KVMSCHED_A_CONFIG_PERIOD_MS] = NLA_POLICY_RANGE(NLA_U32, 10, 1000),
};

/* Ops table for kvmsched */
const struct genl_ops kvmsched_nl_ops[4] = {
	{
		.cmd		= KVMSCHED_CMD_VM_GET,
		.doit		= kvmsched_nl_vm_get_doit,
		.dumpit		= kvmsched_nl_vm_get_dumpit,
		.policy		= kvmsched_vm_get_nl_policy,
		.maxattr	= KVMSCHED_A_VM_ID,
	},
	{
		.cmd		= KVMSCHED_CMD_VM_SET,
		.doit		= kvmsched_nl_vm_set_doit,
		.policy		= kvmsched_vm_set_nl_policy,
		.maxattr	= KVMSCHED_A_VM_WEIGHT,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= KVMSCHED_CMD_VCPU_GET,
		.doit		= kvmsched_nl_vcpu_get_doit,
		.dumpit		= kvmsched_nl_vcpu_get_dumpit,
		.policy		= kvmsched_vcpu_get_nl_policy,
		.maxattr	= KVMSCHED_A_VCPU_VCPU_ID,
	},
	{
		.cmd		= KVMSCHED_CMD_CONFIG_SET,
		.doit		= kvmsched_nl_config_set_doit,
		.policy		= kvmsched_config_set_nl_policy,
		.maxattr	= KVMSCHED_A_CONFIG_PERIOD_MS,
		.flags		= GENL_ADMIN_PERM,
	},
};

const struct genl_multicast_group kvmsched_nl_mcgrps[1] = {
	[KVMSCHED_NLGRP_EVENTS] = { "events", },
};
