/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/kvmsched.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_KVMSCHED_GEN_H
#define _LINUX_KVMSCHED_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include "../uapi/linux/kvmsched.h"

extern const struct nla_policy kvmsched_vm_get_nl_policy[KVMSCHED_A_VM_ID + 1];

extern const struct nla_policy kvmsched_vm_set_nl_policy[KVMSCHED_A_VM_LATENCY_US + 1];

extern const struct nla_policy kvmsched_vcpu_get_nl_policy[KVMSCHED_A_VCPU_VCPU_ID + 1];

extern const struct nla_policy
kvmsched_config_set_nl_policy[KVMSCHED_A_CONFIG_BURST_THRESHOLD_US + 1];

extern const struct nla_policy
kvmsched_vm_mem_report_nl_policy[KVMSCHED_A_VM_BALLOON_ACTUAL_MIB + 1];

extern const struct nla_policy
kvmsched_host_mem_report_nl_policy[KVMSCHED_A_CONFIG_PSI_SOME_AVG10_BP + 1];

extern const struct nla_policy kvmsched_cpu_set_nl_policy[KVMSCHED_A_CPU_ONLINE + 1];

/* Ops table for kvmsched */
extern const struct genl_ops kvmsched_nl_ops[7];

int kvmsched_nl_vm_get_doit(struct sk_buff *skb, struct genl_info *info);
int kvmsched_nl_vm_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int kvmsched_nl_vm_set_doit(struct sk_buff *skb, struct genl_info *info);
int kvmsched_nl_vcpu_get_doit(struct sk_buff *skb, struct genl_info *info);
int kvmsched_nl_vcpu_get_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb);
int kvmsched_nl_config_set_doit(struct sk_buff *skb, struct genl_info *info);
int kvmsched_nl_vm_mem_report_doit(struct sk_buff *skb, struct genl_info *info);
int kvmsched_nl_host_mem_report_doit(struct sk_buff *skb,
				     struct genl_info *info);
int kvmsched_nl_cpu_set_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	KVMSCHED_NLGRP_EVENTS,
};

extern const struct genl_multicast_group kvmsched_nl_mcgrps[1];

#endif /* _LINUX_KVMSCHED_GEN_H */
