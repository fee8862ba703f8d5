// SPDX-License-Identifier: GPL-2.0
/*
 * kvmsched generic netlink family: handlers for the ops generated from
 * Documentation/netlink/specs/kvmsched.yaml (kvmsched-nl-gen.c holds the
 * policies, so out-of-range and unknown attributes never reach a handler).
 *
 * Handlers check presence and cross-attribute rules only, and every error
 * carries an extack message. Reads are open to everyone; changes carry
 * GENL_ADMIN_PERM (CAP_NET_ADMIN).
 *
 * Locking: handlers, dumps and notifications run under kvms_reg.lock, which
 * also serialises configuration changes. Dumps set cb->seq to
 * kvms_reg.gen, so a dump that spans a change is marked NLM_F_DUMP_INTR.
 */
#include <linux/module.h>
#include <net/genetlink.h>

#include "compat.h"
#include "config.h"
#include "enforce.h"
#include "kvmsched-nl-gen.h"
#include "netlink.h"
#include "track.h"

static struct genl_family kvms_nl_family;

/* The policy core (KVM-free) has its own names for the spec's values. */
static_assert(KVMS_CLASS_SHARES == KVMSCHED_CLASS_SHARES);
static_assert(KVMS_CLASS_BACKGROUND == KVMSCHED_CLASS_BACKGROUND);
static_assert(KVMS_WEIGHT_MIN == KVMSCHED_WEIGHT_MIN);
static_assert(KVMS_WEIGHT_MAX == KVMSCHED_WEIGHT_MAX);

/* True while the family is registered; written under kvms_reg.lock. */
static bool kvms_nl_live;

/* Resume point of a VM or vCPU dump, kept in cb->ctx. */
struct kvms_dump_ctx {
	u64 next_vm;	/* first VM id not fully dumped */
	u64 next_vcpu;	/* first vcpu_id of that VM not dumped */
};

/*
 * Report a message chosen by the KVM-free core (always a string literal,
 * so static storage as the extack requires) against @attr, if any.
 */
static void kvms_nl_err(struct netlink_ext_ack *extack,
			const struct nlattr *attr, const char *why)
{
	if (!extack)
		return;
	extack->_msg = why;
	if (attr)
		NL_SET_BAD_ATTR(extack, attr);
}

static int kvms_nl_fill_vm(struct sk_buff *skb, const struct kvms_vm *vm,
			   u32 portid, u32 seq, int flags, u8 cmd,
			   struct netlink_callback *cb)
{
	const char *name = kvms_vm_name_locked(vm);
	struct kvms_vm_stats st;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &kvms_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	kvms_vm_stats(vm, &st);
	if (nla_put_u32(skb, KVMSCHED_A_VM_ID, vm->id) ||
	    nla_put_u32(skb, KVMSCHED_A_VM_PID, vm->pid) ||
	    nla_put_string(skb, KVMSCHED_A_VM_COMM, vm->comm) ||
	    (name && nla_put_string(skb, KVMSCHED_A_VM_NAME, name)) ||
	    nla_put_u32(skb, KVMSCHED_A_VM_NR_VCPUS, vm->nr_vcpus) ||
	    nla_put_u64_64bit(skb, KVMSCHED_A_VM_CPU_TIME_NS, st.cpu_ns,
			      KVMSCHED_A_VM_PAD) ||
	    nla_put_u64_64bit(skb, KVMSCHED_A_VM_WAIT_TIME_NS, st.wait_ns,
			      KVMSCHED_A_VM_PAD) ||
	    nla_put_u64_64bit(skb, KVMSCHED_A_VM_VM_ENTRIES, st.entries,
			      KVMSCHED_A_VM_PAD) ||
	    nla_put_u32(skb, KVMSCHED_A_VM_CPU_LAST_MCPU, st.cpu_last_mcpu) ||
	    nla_put_u32(skb, KVMSCHED_A_VM_STEAL_LAST_PERMILLE,
			st.steal_last_permille) ||
	    nla_put_u32(skb, KVMSCHED_A_VM_CLASS, vm->class) ||
	    nla_put_u32(skb, KVMSCHED_A_VM_WEIGHT, vm->weight) ||
	    nla_put_u32(skb, KVMSCHED_A_VM_ENTITLED_MCPU, vm->pol.entitled_mcpu) ||
	    nla_put_u32(skb, KVMSCHED_A_VM_DEMAND_MCPU, vm->pol.demand_mcpu) ||
	    nla_put_u32(skb, KVMSCHED_A_VM_NR_ACTIVE_VCPUS, vm->pol.nr_active)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int kvms_nl_fill_vcpu(struct sk_buff *skb, const struct kvms_vcpu *kv,
			     u32 portid, u32 seq, int flags,
			     struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &kvms_nl_family, flags,
			  KVMSCHED_CMD_VCPU_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (nla_put_u32(skb, KVMSCHED_A_VCPU_VM_ID, kv->vm->id) ||
	    nla_put_u32(skb, KVMSCHED_A_VCPU_VCPU_ID, kv->vcpu_id) ||
	    nla_put_u32(skb, KVMSCHED_A_VCPU_TID, kv->tid) ||
	    nla_put_u64_64bit(skb, KVMSCHED_A_VCPU_CPU_TIME_NS,
			      kvms_vcpu_cpu_ns(kv), KVMSCHED_A_VCPU_PAD) ||
	    nla_put_u64_64bit(skb, KVMSCHED_A_VCPU_WAIT_TIME_NS,
			      kvms_vcpu_wait_ns(kv), KVMSCHED_A_VCPU_PAD) ||
	    nla_put_u64_64bit(skb, KVMSCHED_A_VCPU_VM_ENTRIES,
			      READ_ONCE(kv->entries), KVMSCHED_A_VCPU_PAD) ||
	    nla_put_u32(skb, KVMSCHED_A_VCPU_CPU_LAST_MCPU,
			kvms_acct_cpu_mcpu(&kv->acct)) ||
	    nla_put_u32(skb, KVMSCHED_A_VCPU_STEAL_LAST_PERMILLE,
			kvms_acct_steal_permille(&kv->acct)) ||
	    nla_put_u32(skb, KVMSCHED_A_VCPU_POLICY, READ_ONCE(kv->task->policy)) ||
	    nla_put_s32(skb, KVMSCHED_A_VCPU_NICE, task_nice(kv->task)) ||
	    nla_put_u32(skb, KVMSCHED_A_VCPU_OVERRIDES, READ_ONCE(kv->sched.overrides))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int kvms_nl_fill_config(struct sk_buff *skb, u32 portid, u32 seq,
			       u8 cmd)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &kvms_nl_family, 0, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, KVMSCHED_A_CONFIG_PERIOD_MS,
			READ_ONCE(kvms_config.period_ms)) ||
	    nla_put_u32(skb, KVMSCHED_A_CONFIG_NR_VMS, READ_ONCE(kvms_reg.nr_vms))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Send @msg as the reply if it was filled (@err == 0), else drop it. */
static int kvms_nl_reply(struct sk_buff *msg, struct genl_info *info, int err)
{
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* The VM named by the id attribute @attr, or NULL with extack and @err set. */
static struct kvms_vm *kvms_nl_vm(struct genl_info *info, int attr, int *err)
{
	struct kvms_vm *vm;

	lockdep_assert_held(&kvms_reg.lock);
	vm = kvms_vm_find_id(&kvms_reg, nla_get_u32(info->attrs[attr]));
	if (!vm) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[attr],
				    "no VM with this id");
		*err = -ENOENT;
	}
	return vm;
}

/* Reply with one VM (vm-get, vm-set). */
static int kvms_nl_reply_vm(struct genl_info *info, struct kvms_vm *vm, u8 cmd)
{
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = kvms_nl_fill_vm(msg, vm, info->snd_portid, info->snd_seq, 0, cmd,
			      NULL);
	return kvms_nl_reply(msg, info, err);
}

int kvmsched_nl_vm_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kvms_vm *vm;
	int err = 0;

	if (GENL_REQ_ATTR_CHECK(info, KVMSCHED_A_VM_ID))
		return -EINVAL;
	mutex_lock(&kvms_reg.lock);
	vm = kvms_nl_vm(info, KVMSCHED_A_VM_ID, &err);
	if (vm)
		err = kvms_nl_reply_vm(info, vm, KVMSCHED_CMD_VM_GET);
	mutex_unlock(&kvms_reg.lock);
	return err;
}

int kvmsched_nl_vm_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct kvms_dump_ctx *ctx = (struct kvms_dump_ctx *)cb->ctx;
	struct nlattr *id = kvms_dump_attrs(cb)[KVMSCHED_A_VM_ID];
	struct kvms_vm *vm;
	int err = 0;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof(cb->ctx));
	mutex_lock(&kvms_reg.lock);
	cb->seq = kvms_reg.gen;
	if (id && !ctx->next_vm && !kvms_vm_find_id(&kvms_reg, nla_get_u32(id))) {
		NL_SET_ERR_MSG_ATTR(cb->extack, id, "no VM with this id");
		err = -ENOENT;
		goto out;
	}
	/* VMs are listed in creation order, which is increasing id order. */
	list_for_each_entry(vm, &kvms_reg.vms, node) {
		if (vm->id < ctx->next_vm || (id && vm->id != nla_get_u32(id)))
			continue;
		err = kvms_nl_fill_vm(skb, vm, NETLINK_CB(cb->skb).portid,
				      cb->nlh->nlmsg_seq, NLM_F_MULTI,
				      KVMSCHED_CMD_VM_GET, cb);
		if (err)
			break;
		ctx->next_vm = (u64)vm->id + 1;
	}
out:
	mutex_unlock(&kvms_reg.lock);
	/* A full skb is not an error: the dump goes on in the next one. */
	return err == -EMSGSIZE && skb->len ? skb->len : err ?: skb->len;
}

int kvmsched_nl_vm_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *name = info->attrs[KVMSCHED_A_VM_NAME];
	struct nlattr *class = info->attrs[KVMSCHED_A_VM_CLASS];
	struct nlattr *weight = info->attrs[KVMSCHED_A_VM_WEIGHT];
	const char *why = NULL;
	struct kvms_vm *vm;
	int err = 0;

	if (GENL_REQ_ATTR_CHECK(info, KVMSCHED_A_VM_ID))
		return -EINVAL;
	if (!name && !class && !weight) {
		NL_SET_ERR_MSG(info->extack,
			       "nothing to set: give name, class or weight");
		return -EINVAL;
	}
	mutex_lock(&kvms_reg.lock);
	vm = kvms_nl_vm(info, KVMSCHED_A_VM_ID, &err);
	if (!vm)
		goto out;
	/*
	 * The name is the only setting that can be refused (invalid, taken,
	 * no memory), and kvms_vm_set_name() checks it whole before changing
	 * it: apply it first, so a refusal leaves every setting unchanged.
	 */
	if (name) {
		err = kvms_vm_set_name(vm, nla_data(name), &why);
		if (err) {
			kvms_nl_err(info->extack, name, why);
			goto out;
		}
	}
	if (class && nla_get_u32(class) != vm->class) {
		/* Give the threads back first; the new class applies next period. */
		kvms_enforce_restore_vm(vm);
		WRITE_ONCE(vm->class, nla_get_u32(class));
	}
	if (weight)
		WRITE_ONCE(vm->weight, nla_get_u32(weight));
	kvms_reg.gen++;
	kvms_nl_notify_vm(vm, KVMSCHED_CMD_VM_CHANGE_NTF);
	err = kvms_nl_reply_vm(info, vm, KVMSCHED_CMD_VM_SET);
out:
	mutex_unlock(&kvms_reg.lock);
	return err;
}

int kvmsched_nl_vcpu_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kvms_vcpu *kv;
	struct sk_buff *msg;
	struct kvms_vm *vm;
	u32 vcpu_id;
	int err = 0;

	if (GENL_REQ_ATTR_CHECK(info, KVMSCHED_A_VCPU_VM_ID) ||
	    GENL_REQ_ATTR_CHECK(info, KVMSCHED_A_VCPU_VCPU_ID))
		return -EINVAL;
	vcpu_id = nla_get_u32(info->attrs[KVMSCHED_A_VCPU_VCPU_ID]);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&kvms_reg.lock);
	vm = kvms_nl_vm(info, KVMSCHED_A_VCPU_VM_ID, &err);
	if (!vm)
		goto out;
	err = -ENOENT;
	list_for_each_entry(kv, &vm->vcpus, node) {
		if (kv->vcpu_id == vcpu_id) {
			err = kvms_nl_fill_vcpu(msg, kv, info->snd_portid,
						info->snd_seq, 0, NULL);
			break;
		}
	}
	if (err == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[KVMSCHED_A_VCPU_VCPU_ID],
				    "the VM has no vCPU with this vcpu-id");
out:
	mutex_unlock(&kvms_reg.lock);
	return kvms_nl_reply(msg, info, err);
}

int kvmsched_nl_vcpu_get_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb)
{
	struct kvms_dump_ctx *ctx = (struct kvms_dump_ctx *)cb->ctx;
	struct nlattr **attrs = kvms_dump_attrs(cb);
	struct nlattr *vm_attr = attrs[KVMSCHED_A_VCPU_VM_ID];
	struct nlattr *id_attr = attrs[KVMSCHED_A_VCPU_VCPU_ID];
	struct kvms_vcpu *kv;
	struct kvms_vm *vm;
	int err = 0;

	mutex_lock(&kvms_reg.lock);
	cb->seq = kvms_reg.gen;
	if (vm_attr && !ctx->next_vm &&
	    !kvms_vm_find_id(&kvms_reg, nla_get_u32(vm_attr))) {
		NL_SET_ERR_MSG_ATTR(cb->extack, vm_attr, "no VM with this id");
		err = -ENOENT;
		goto out;
	}
	list_for_each_entry(vm, &kvms_reg.vms, node) {
		if (vm->id < ctx->next_vm ||
		    (vm_attr && vm->id != nla_get_u32(vm_attr)))
			continue;
		if (vm->id != ctx->next_vm)
			ctx->next_vcpu = 0;
		ctx->next_vm = vm->id;
		list_for_each_entry(kv, &vm->vcpus, node) {
			if (kv->vcpu_id < ctx->next_vcpu ||
			    (id_attr && kv->vcpu_id != nla_get_u32(id_attr)))
				continue;
			err = kvms_nl_fill_vcpu(skb, kv,
						NETLINK_CB(cb->skb).portid,
						cb->nlh->nlmsg_seq, NLM_F_MULTI,
						cb);
			if (err)
				goto out;
			ctx->next_vcpu = (u64)kv->vcpu_id + 1;
		}
		ctx->next_vm = (u64)vm->id + 1;
		ctx->next_vcpu = 0;
	}
out:
	mutex_unlock(&kvms_reg.lock);
	return err == -EMSGSIZE && skb->len ? skb->len : err ?: skb->len;
}

static int kvms_nl_config_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = kvms_nl_fill_config(msg, info->snd_portid, info->snd_seq,
				  KVMSCHED_CMD_CONFIG_GET);
	return kvms_nl_reply(msg, info, err);
}

/* A message for the events group, or NULL when nobody listens. */
static struct sk_buff *kvms_nl_event_new(void)
{
	lockdep_assert_held(&kvms_reg.lock);
	if (!kvms_nl_live ||
	    !genl_has_listeners(&kvms_nl_family, &init_net, KVMSCHED_NLGRP_EVENTS))
		return NULL;
	return genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
}

/* Multicast @msg if it was filled (@err == 0), else drop it. */
static void kvms_nl_event_send(struct sk_buff *msg, int err)
{
	if (err) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast(&kvms_nl_family, msg, 0, KVMSCHED_NLGRP_EVENTS,
			  GFP_KERNEL);
}

static void kvms_nl_notify_config(void)
{
	struct sk_buff *msg = kvms_nl_event_new();

	if (msg)
		kvms_nl_event_send(msg, kvms_nl_fill_config(msg, 0, 0,
							    KVMSCHED_CMD_CONFIG_CHANGE_NTF));
}

int kvmsched_nl_config_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *period = info->attrs[KVMSCHED_A_CONFIG_PERIOD_MS];
	struct kvms_config cfg;
	const char *why = NULL;
	struct sk_buff *msg;
	int err;

	if (!period) {
		NL_SET_ERR_MSG(info->extack, "nothing to set: give period-ms");
		return -EINVAL;
	}
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&kvms_reg.lock);
	cfg = kvms_config;
	cfg.period_ms = nla_get_u32(period);
	/* The policy checked each range; this checks the set as a whole. */
	err = kvms_config_validate(&cfg, &why);
	if (err) {
		kvms_nl_err(info->extack, NULL, why);
		goto out;
	}
	WRITE_ONCE(kvms_config.period_ms, cfg.period_ms);
	kvms_track_period_changed();
	kvms_nl_notify_config();
	err = kvms_nl_fill_config(msg, info->snd_portid, info->snd_seq,
				  KVMSCHED_CMD_CONFIG_SET);
out:
	mutex_unlock(&kvms_reg.lock);
	return kvms_nl_reply(msg, info, err);
}

/**
 * kvms_nl_notify_vm() - multicast a VM event on the "events" group
 * @vm:		the VM
 * @cmd:	KVMSCHED_CMD_VM_ADD_NTF, _DEL_NTF or _CHANGE_NTF
 *
 * Context: process context, kvms_reg.lock held.
 */
void kvms_nl_notify_vm(struct kvms_vm *vm, u8 cmd)
{
	struct sk_buff *msg = kvms_nl_event_new();

	if (msg)
		kvms_nl_event_send(msg, kvms_nl_fill_vm(msg, vm, 0, 0, 0, cmd, NULL));
}

/* config-get takes no attribute: without a policy, the kernel rejects all. */
static const struct genl_small_ops kvms_nl_small_ops[] = {
	{
		.cmd	= KVMSCHED_CMD_CONFIG_GET,
		.doit	= kvms_nl_config_get_doit,
	},
};

static struct genl_family kvms_nl_family __ro_after_init = {
	.name		= KVMSCHED_FAMILY_NAME,
	.version	= KVMSCHED_FAMILY_VERSION,
	.netnsok	= false,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= kvmsched_nl_ops,
	.n_ops		= ARRAY_SIZE(kvmsched_nl_ops),
	.small_ops	= kvms_nl_small_ops,
	.n_small_ops	= ARRAY_SIZE(kvms_nl_small_ops),
	.resv_start_op	= 0,	/* strict validation for every command */
	.mcgrps		= kvmsched_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(kvmsched_nl_mcgrps),
};

/**
 * kvms_nl_init() - register the family (last step of module init)
 *
 * Return: 0 or a negative errno.
 */
int kvms_nl_init(void)
{
	int err;

	err = genl_register_family(&kvms_nl_family);
	if (err)
		return err;
	mutex_lock(&kvms_reg.lock);
	kvms_nl_live = true;
	mutex_unlock(&kvms_reg.lock);
	return 0;
}

/**
 * kvms_nl_exit() - unregister the family (first step of module exit)
 */
void kvms_nl_exit(void)
{
	/* ORDER: no notification may start once unregistering begins. */
	mutex_lock(&kvms_reg.lock);
	kvms_nl_live = false;
	mutex_unlock(&kvms_reg.lock);
	genl_unregister_family(&kvms_nl_family);
}

MODULE_ALIAS_GENL_FAMILY(KVMSCHED_FAMILY_NAME);
