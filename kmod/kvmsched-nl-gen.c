// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/kvmsched.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "kvmsched-nl-gen.h"

#include "../uapi/linux/kvmsched.h"

/* Integer value ranges */
static struct netlink_range_validation kvmsched_a_vm_reservation_mcpu_range = {
	.max	= KVMSCHED_MCPU_MAX,
};

static struct netlink_range_validation kvmsched_a_vm_limit_mcpu_range = {
	.max	= KVMSCHED_MCPU_MAX,
};

static struct netlink_range_validation kvmsched_a_vm_mem_min_mib_range = {
	.max	= KVMSCHED_MEM_MIB_MAX,
};

static struct netlink_range_validation kvmsched_a_vm_mem_max_mib_range = {
	.max	= KVMSCHED_MEM_MIB_MAX,
};

static struct netlink_range_validation kvmsched_a_vm_guest_free_mib_range = {
	.max	= KVMSCHED_MEM_MIB_MAX,
};

static struct netlink_range_validation kvmsched_a_vm_guest_avail_mib_range = {
	.max	= KVMSCHED_MEM_MIB_MAX,
};

static struct netlink_range_validation kvmsched_a_vm_balloon_actual_mib_range = {
	.max	= KVMSCHED_MEM_MIB_MAX,
};

static struct netlink_range_validation kvmsched_a_config_balloon_period_ms_range = {
	.min	= KVMSCHED_BALLOON_PERIOD_MS_MIN,
	.max	= KVMSCHED_BALLOON_PERIOD_MS_MAX,
};

static struct netlink_range_validation kvmsched_a_config_starve_ms_range = {
	.max	= KVMSCHED_STARVE_MS_MAX,
};

static struct netlink_range_validation kvmsched_a_config_burst_threshold_us_range = {
	.min	= KVMSCHED_BURST_THRESHOLD_US_MIN,
	.max	= KVMSCHED_BURST_THRESHOLD_US_MAX,
};

/* KVMSCHED_CMD_VM_GET - do */
const struct nla_policy kvmsched_vm_get_nl_policy[KVMSCHED_A_VM_ID + 1] = {
	[KVMSCHED_A_VM_ID] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* KVMSCHED_CMD_VM_SET - do */
const struct nla_policy kvmsched_vm_set_nl_policy[KVMSCHED_A_VM_LATENCY_US + 1] = {
	[KVMSCHED_A_VM_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[KVMSCHED_A_VM_NAME] = { .type = NLA_NUL_STRING, .len = KVMSCHED_VM_NAME_MAX_LEN, },
	[KVMSCHED_A_VM_CLASS] = NLA_POLICY_MAX(NLA_U32, 3),
	[KVMSCHED_A_VM_WEIGHT] =
		NLA_POLICY_RANGE(NLA_U32, KVMSCHED_WEIGHT_MIN, KVMSCHED_WEIGHT_MAX),
	[KVMSCHED_A_VM_RESERVATION_MCPU] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &kvmsched_a_vm_reservation_mcpu_range),
	[KVMSCHED_A_VM_LIMIT_MCPU] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &kvmsched_a_vm_limit_mcpu_range),
	[KVMSCHED_A_VM_MEM_SHARES] =
		NLA_POLICY_RANGE(NLA_U32, KVMSCHED_MEM_SHARES_MIN, KVMSCHED_MEM_SHARES_MAX),
	[KVMSCHED_A_VM_MEM_MIN_MIB] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &kvmsched_a_vm_mem_min_mib_range),
	[KVMSCHED_A_VM_MEM_MAX_MIB] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &kvmsched_a_vm_mem_max_mib_range),
	[KVMSCHED_A_VM_RT_PRIORITY] =
		NLA_POLICY_RANGE(NLA_U32, KVMSCHED_RT_PRIORITY_MIN, KVMSCHED_RT_PRIORITY_MAX),
	[KVMSCHED_A_VM_RR_QUANTUM_MS] = NLA_POLICY_MAX(NLA_U32, KVMSCHED_RR_QUANTUM_MS_MAX),
	[KVMSCHED_A_VM_LATENCY_US] =
		NLA_POLICY_RANGE(NLA_U32, KVMSCHED_LATENCY_US_MIN, KVMSCHED_LATENCY_US_MAX),
};

/* KVMSCHED_CMD_VCPU_GET - do */
const struct nla_policy kvmsched_vcpu_get_nl_policy[KVMSCHED_A_VCPU_VCPU_ID + 1] = {
	[KVMSCHED_A_VCPU_VM_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[KVMSCHED_A_VCPU_VCPU_ID] = { .type = NLA_U32, },
};

/* KVMSCHED_CMD_CONFIG_SET - do */
const struct nla_policy kvmsched_config_set_nl_policy[KVMSCHED_A_CONFIG_BURST_THRESHOLD_US + 1] = {
	[KVMSCHED_A_CONFIG_PERIOD_MS] =
		NLA_POLICY_RANGE(NLA_U32, KVMSCHED_PERIOD_MS_MIN, KVMSCHED_PERIOD_MS_MAX),
	[KVMSCHED_A_CONFIG_RESERVE_HEADROOM_PCT] =
		NLA_POLICY_MAX(NLA_U32, KVMSCHED_RESERVE_HEADROOM_PCT_MAX),
	[KVMSCHED_A_CONFIG_MEM_LOW_PCT] =
		NLA_POLICY_RANGE(NLA_U32, KVMSCHED_MEM_LOW_PCT_MIN, KVMSCHED_MEM_LOW_PCT_MAX),
	[KVMSCHED_A_CONFIG_MEM_CRITICAL_PCT] =
		NLA_POLICY_MAX(NLA_U32, KVMSCHED_MEM_CRITICAL_PCT_MAX),
	[KVMSCHED_A_CONFIG_MEM_HYSTERESIS_PCT] =
		NLA_POLICY_MAX(NLA_U32, KVMSCHED_MEM_HYSTERESIS_PCT_MAX),
	[KVMSCHED_A_CONFIG_BALLOON_STEP_PCT] =
		NLA_POLICY_RANGE(NLA_U32, KVMSCHED_BALLOON_STEP_PCT_MIN, KVMSCHED_BALLOON_STEP_PCT_MAX),
	[KVMSCHED_A_CONFIG_BALLOON_MIN_STEP_BP] =
		NLA_POLICY_MAX(NLA_U32, KVMSCHED_BALLOON_MIN_STEP_BP_MAX),
	[KVMSCHED_A_CONFIG_IDLE_TAX_PCT] = NLA_POLICY_MAX(NLA_U32, KVMSCHED_IDLE_TAX_PCT_MAX),
	[KVMSCHED_A_CONFIG_BALLOON_MAX_PCT] = NLA_POLICY_MAX(NLA_U32, KVMSCHED_BALLOON_MAX_PCT_MAX),
	[KVMSCHED_A_CONFIG_BALLOON_PERIOD_MS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &kvmsched_a_config_balloon_period_ms_range),
	[KVMSCHED_A_CONFIG_MEM_PSI_RECLAIM_BP] =
		NLA_POLICY_MAX(NLA_U32, KVMSCHED_MEM_PSI_RECLAIM_BP_MAX),
	[KVMSCHED_A_CONFIG_STARVE_MS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &kvmsched_a_config_starve_ms_range),
	[KVMSCHED_A_CONFIG_BURST_BOOST] = NLA_POLICY_MAX(NLA_U32, 1),
	[KVMSCHED_A_CONFIG_BURST_THRESHOLD_US] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &kvmsched_a_config_burst_threshold_us_range),
};

/* KVMSCHED_CMD_VM_MEM_REPORT - do */
const struct nla_policy kvmsched_vm_mem_report_nl_policy[KVMSCHED_A_VM_BALLOON_ACTUAL_MIB + 1] = {
	[KVMSCHED_A_VM_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[KVMSCHED_A_VM_GUEST_FREE_MIB] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &kvmsched_a_vm_guest_free_mib_range),
	[KVMSCHED_A_VM_GUEST_AVAIL_MIB] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &kvmsched_a_vm_guest_avail_mib_range),
	[KVMSCHED_A_VM_BALLOON_ACTUAL_MIB] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &kvmsched_a_vm_balloon_actual_mib_range),
};

/* KVMSCHED_CMD_HOST_MEM_REPORT - do */
const struct nla_policy
kvmsched_host_mem_report_nl_policy[KVMSCHED_A_CONFIG_PSI_SOME_AVG10_BP + 1] = {
	[KVMSCHED_A_CONFIG_PSI_SOME_AVG10_BP] = NLA_POLICY_MAX(NLA_U32, 10000),
};

/* KVMSCHED_CMD_CPU_SET - do */
const struct nla_policy kvmsched_cpu_set_nl_policy[KVMSCHED_A_CPU_ONLINE + 1] = {
	[KVMSCHED_A_CPU_CPU_ID] = { .type = NLA_U32, },
	[KVMSCHED_A_CPU_ONLINE] = NLA_POLICY_MAX(NLA_U32, 1),
};

/* Ops table for kvmsched */
const struct genl_ops kvmsched_nl_ops[7] = {
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
		.maxattr	= KVMSCHED_A_VM_LATENCY_US,
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
		.maxattr	= KVMSCHED_A_CONFIG_BURST_THRESHOLD_US,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= KVMSCHED_CMD_VM_MEM_REPORT,
		.doit		= kvmsched_nl_vm_mem_report_doit,
		.policy		= kvmsched_vm_mem_report_nl_policy,
		.maxattr	= KVMSCHED_A_VM_BALLOON_ACTUAL_MIB,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= KVMSCHED_CMD_HOST_MEM_REPORT,
		.doit		= kvmsched_nl_host_mem_report_doit,
		.policy		= kvmsched_host_mem_report_nl_policy,
		.maxattr	= KVMSCHED_A_CONFIG_PSI_SOME_AVG10_BP,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= KVMSCHED_CMD_CPU_SET,
		.doit		= kvmsched_nl_cpu_set_doit,
		.policy		= kvmsched_cpu_set_nl_policy,
		.maxattr	= KVMSCHED_A_CPU_ONLINE,
		.flags		= GENL_ADMIN_PERM,
	},
};

const struct genl_multicast_group kvmsched_nl_mcgrps[1] = {
	[KVMSCHED_NLGRP_EVENTS] = { "events", },
};
