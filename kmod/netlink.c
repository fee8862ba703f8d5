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
#include <linux/cpu.h>
#include <linux/module.h>
#include <net/genetlink.h>

#include "compat.h"
#include "config.h"
#include "enforce.h"
#include "kvmsched-nl-gen.h"
#include "memory.h"
#include "netlink.h"
#include "track.h"

static struct genl_family kvms_nl_family;

/* The policy core (KVM-free) has its own names for the spec's values. */
static_assert(KVMS_CLASS_SHARES == KVMSCHED_CLASS_SHARES);
static_assert(KVMS_CLASS_BACKGROUND == KVMSCHED_CLASS_BACKGROUND);
static_assert(KVMS_WEIGHT_MIN == KVMSCHED_WEIGHT_MIN);
static_assert(KVMS_WEIGHT_MAX == KVMSCHED_WEIGHT_MAX);
static_assert(KVMS_BOUND_NONE == KVMSCHED_BOUND_NONE);
static_assert(KVMS_BOUND_RESERVATION == KVMSCHED_BOUND_RESERVATION);
static_assert(KVMS_BOUND_LIMIT == KVMSCHED_BOUND_LIMIT);
static_assert(KVMS_MEM_NORMAL == KVMSCHED_MEM_STATE_NORMAL);
static_assert(KVMS_MEM_RECLAIM == KVMSCHED_MEM_STATE_RECLAIM);
static_assert(KVMS_MEM_CRITICAL == KVMSCHED_MEM_STATE_CRITICAL);
static_assert(KVMS_BALLOON_NONE == KVMSCHED_BALLOON_REASON_NONE);
static_assert(KVMS_BALLOON_AT_MAX == KVMSCHED_BALLOON_REASON_AT_MAX);
static_assert(KVMS_BALLOON_INFLATE == KVMSCHED_BALLOON_REASON_INFLATE);
static_assert(KVMS_BALLOON_DEFLATE == KVMSCHED_BALLOON_REASON_DEFLATE);
static_assert(KVMS_BALLOON_AT_MIN == KVMSCHED_BALLOON_REASON_AT_MIN);
static_assert(KVMS_BALLOON_HOLD == KVMSCHED_BALLOON_REASON_HOLD);

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

static int kvms_nl_fill_vm_bounds(struct sk_buff *skb, const struct kvms_vm *vm)
{
	return nla_put_u32(skb, KVMSCHED_A_VM_RESERVATION_MCPU,
			   vm->reservation_mcpu) ||
	       nla_put_u32(skb, KVMSCHED_A_VM_LIMIT_MCPU, vm->limit_mcpu) ||
	       nla_put_u32(skb, KVMSCHED_A_VM_BOUND, vm->pol.bound) ||
	       nla_put_u64_64bit(skb, KVMSCHED_A_VM_THROTTLED_NS,
				 READ_ONCE(vm->dlb.throttled_ns), KVMSCHED_A_VM_PAD) ||
	       nla_put_u32(skb, KVMSCHED_A_VM_RESERVATION_MISSES, READ_ONCE(vm->dlb.misses));
}

static int kvms_nl_fill_vm_mem(struct sk_buff *skb, const struct kvms_vm *vm)
{
	const struct kvms_bvm *b = &vm->bal;

	if (nla_put_u32(skb, KVMSCHED_A_VM_MEM_SHARES, b->shares) ||
	    nla_put_u32(skb, KVMSCHED_A_VM_MEM_MIN_MIB, b->min_mib) ||
	    nla_put_u32(skb, KVMSCHED_A_VM_MEM_MAX_MIB, kvms_balloon_max_mib(b)) ||
	    nla_put_u32(skb, KVMSCHED_A_VM_GUEST_MEM_MIB, b->guest_mib) ||
	    nla_put_u32(skb, KVMSCHED_A_VM_RSS_MIB, vm->rss_mib) ||
	    (b->free_mib >= 0 &&
	     nla_put_u32(skb, KVMSCHED_A_VM_GUEST_FREE_MIB, b->free_mib)) ||
	    (vm->avail_mib >= 0 &&
	     nla_put_u32(skb, KVMSCHED_A_VM_GUEST_AVAIL_MIB, vm->avail_mib)) ||
	    (vm->actual_mib &&
	     nla_put_u32(skb, KVMSCHED_A_VM_BALLOON_ACTUAL_MIB, vm->actual_mib)) ||
	    (b->target_mib &&
	     nla_put_u32(skb, KVMSCHED_A_VM_BALLOON_TARGET_MIB, b->target_mib)))
		return -EMSGSIZE;
	return nla_put_u32(skb, KVMSCHED_A_VM_BALLOON_REASON, b->reason);
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
	    nla_put_u32(skb, KVMSCHED_A_VM_NR_ACTIVE_VCPUS, vm->pol.nr_active) ||
	    kvms_nl_fill_vm_bounds(skb, vm) || kvms_nl_fill_vm_mem(skb, vm)) {
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
	    nla_put_u32(skb, KVMSCHED_A_VCPU_TID, READ_ONCE(kv->tid)) ||
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
	    nla_put_u32(skb, KVMSCHED_A_VCPU_POLICY,
			READ_ONCE(kvms_vcpu_task(kv)->policy)) ||
	    nla_put_s32(skb, KVMSCHED_A_VCPU_NICE, task_nice(kvms_vcpu_task(kv))) ||
	    nla_put_u32(skb, KVMSCHED_A_VCPU_OVERRIDES, READ_ONCE(kv->sched.overrides))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int kvms_nl_fill_config_cpu(struct sk_buff *skb)
{
	u32 reserved = READ_ONCE(kvms_reg.reserved_mcpu);
	u32 reservable = kvms_reservable_now();

	return nla_put_u32(skb, KVMSCHED_A_CONFIG_RESERVE_HEADROOM_PCT,
			   READ_ONCE(kvms_config.reserve_headroom_pct)) ||
	       nla_put_u32(skb, KVMSCHED_A_CONFIG_CAPACITY_MCPU,
			   kvms_capacity_mcpu()) ||
	       nla_put_u32(skb, KVMSCHED_A_CONFIG_RESERVABLE_MCPU, reservable) ||
	       nla_put_u32(skb, KVMSCHED_A_CONFIG_RESERVED_MCPU, reserved) ||
	       nla_put_u32(skb, KVMSCHED_A_CONFIG_OVERCOMMIT_MCPU,
			   reserved > reservable ? reserved - reservable : 0);
}

static int kvms_nl_fill_config_mem(struct sk_buff *skb)
{
	const struct kvms_mem_tun *m = &kvms_config.mem;
	const struct kvms_mem_host *h = &kvms_host_mem;
	s32 psi = READ_ONCE(h->psi_some_bp);

	return nla_put_u32(skb, KVMSCHED_A_CONFIG_MEM_LOW_PCT, READ_ONCE(m->low_pct)) ||
	       nla_put_u32(skb, KVMSCHED_A_CONFIG_MEM_CRITICAL_PCT,
			   READ_ONCE(m->critical_pct)) ||
	       nla_put_u32(skb, KVMSCHED_A_CONFIG_MEM_HYSTERESIS_PCT,
			   READ_ONCE(m->hysteresis_pct)) ||
	       nla_put_u32(skb, KVMSCHED_A_CONFIG_BALLOON_STEP_PCT,
			   READ_ONCE(m->step_pct)) ||
	       nla_put_u32(skb, KVMSCHED_A_CONFIG_BALLOON_MIN_STEP_BP,
			   READ_ONCE(m->min_step_bp)) ||
	       nla_put_u32(skb, KVMSCHED_A_CONFIG_IDLE_TAX_PCT,
			   READ_ONCE(m->idle_tax_pct)) ||
	       nla_put_u32(skb, KVMSCHED_A_CONFIG_BALLOON_MAX_PCT,
			   READ_ONCE(m->max_pct)) ||
	       nla_put_u32(skb, KVMSCHED_A_CONFIG_BALLOON_PERIOD_MS,
			   READ_ONCE(kvms_config.balloon_period_ms)) ||
	       nla_put_u32(skb, KVMSCHED_A_CONFIG_MEM_PSI_RECLAIM_BP,
			   READ_ONCE(m->psi_reclaim_bp)) ||
	       nla_put_u32(skb, KVMSCHED_A_CONFIG_MEM_STATE, READ_ONCE(h->state)) ||
	       nla_put_u32(skb, KVMSCHED_A_CONFIG_HOST_MEM_MIB,
			   min_t(u64, READ_ONCE(h->total_mib), U32_MAX)) ||
	       nla_put_u32(skb, KVMSCHED_A_CONFIG_HOST_AVAIL_MIB,
			   min_t(u64, READ_ONCE(h->avail_mib), U32_MAX)) ||
	       (psi >= 0 &&
		nla_put_u32(skb, KVMSCHED_A_CONFIG_PSI_SOME_AVG10_BP, psi));
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
	    nla_put_u32(skb, KVMSCHED_A_CONFIG_NR_VMS, READ_ONCE(kvms_reg.nr_vms)) ||
	    kvms_nl_fill_config_cpu(skb) || kvms_nl_fill_config_mem(skb)) {
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

/*
 * Check and apply the CPU bounds of a vm-set request (@res, @lim may be
 * NULL: unchanged). Admission control: the new sum of reservations must fit
 * in reservable-mcpu. Changes nothing on error.
 */
static int kvms_nl_vm_check_bounds(struct genl_info *info, struct kvms_vm *vm,
				   struct nlattr *res, struct nlattr *lim)
{
	u32 r = res ? nla_get_u32(res) : vm->reservation_mcpu;
	u32 l = lim ? nla_get_u32(lim) : vm->limit_mcpu;
	u32 reservable = kvms_reservable_now(), left;
	u32 nr = READ_ONCE(vm->nr_vcpus);
	const char *why;

	if (kvms_policy_check_bounds(nr, r, l, &why)) {
		if (r > (u64)nr * KVMS_DL_VCPU_MAX_MCPU)
			kvms_extack_fmt(info,
					"reservation_mcpu %u exceeds nr_vcpus x 950 = %u",
					r, nr * KVMS_DL_VCPU_MAX_MCPU);
		else
			kvms_extack_fmt(info,
					"reservation_mcpu %u exceeds limit_mcpu %u",
					r, l);
		NL_SET_BAD_ATTR(info->extack, res ?: lim);
		return -EINVAL;
	}
	if (kvms_policy_admit(reservable, kvms_reg.reserved_mcpu,
			      vm->reservation_mcpu, r, &left)) {
		kvms_extack_fmt(info,
				"reservation_mcpu %u does not fit: %u of %u mcpu left",
				r, left, reservable);
		NL_SET_BAD_ATTR(info->extack, res);
		return -EBUSY;
	}
	return 0;
}

/* Check the memory bounds of a vm-set request; NULL: unchanged. */
static int kvms_nl_vm_check_mem(struct genl_info *info, struct kvms_vm *vm,
				struct nlattr *min, struct nlattr *max)
{
	struct kvms_bvm b;

	if (!min && !max)
		return 0;
	/* A VM found since the last balloon round: read its guest RAM now. */
	kvms_memory_read_vm(vm);
	b = vm->bal;
	if (min)
		b.min_mib = nla_get_u32(min);
	if (max)
		b.max_mib = nla_get_u32(max);
	if (b.min_mib > kvms_balloon_max_mib(&b)) {
		kvms_extack_fmt(info,
				"mem_min_mib %u exceeds mem_max_mib %u",
				b.min_mib, kvms_balloon_max_mib(&b));
		NL_SET_BAD_ATTR(info->extack, min ?: max);
		return -EINVAL;
	}
	return 0;
}

int kvmsched_nl_vm_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	struct nlattr *name = a[KVMSCHED_A_VM_NAME];
	struct nlattr *class = a[KVMSCHED_A_VM_CLASS];
	struct nlattr *weight = a[KVMSCHED_A_VM_WEIGHT];
	struct nlattr *res = a[KVMSCHED_A_VM_RESERVATION_MCPU];
	struct nlattr *lim = a[KVMSCHED_A_VM_LIMIT_MCPU];
	struct nlattr *shares = a[KVMSCHED_A_VM_MEM_SHARES];
	struct nlattr *mmin = a[KVMSCHED_A_VM_MEM_MIN_MIB];
	struct nlattr *mmax = a[KVMSCHED_A_VM_MEM_MAX_MIB];
	const char *why = NULL;
	struct kvms_vm *vm;
	bool restore;
	struct kvms_nl_errbuf ebuf;
	int err = 0;

	kvms_nl_errbuf_init(info, &ebuf);
	if (GENL_REQ_ATTR_CHECK(info, KVMSCHED_A_VM_ID))
		return -EINVAL;
	if (!name && !class && !weight && !res && !lim && !shares && !mmin &&
	    !mmax) {
		NL_SET_ERR_MSG(info->extack,
			       "nothing to set: give name, class, weight, reservation-mcpu, limit-mcpu, mem-shares, mem-min-mib or mem-max-mib");
		return -EINVAL;
	}
	mutex_lock(&kvms_reg.lock);
	vm = kvms_nl_vm(info, KVMSCHED_A_VM_ID, &err);
	if (!vm)
		goto out;
	/* Everything that can be refused is checked before anything changes. */
	err = kvms_nl_vm_check_bounds(info, vm, res, lim);
	if (err)
		goto out;
	err = kvms_nl_vm_check_mem(info, vm, mmin, mmax);
	if (err)
		goto out;
	/*
	 * kvms_vm_set_name() checks the name whole before changing it, and it
	 * is the last thing that can fail: apply it first, so a refusal leaves
	 * every setting unchanged.
	 */
	if (name) {
		err = kvms_vm_set_name(vm, nla_data(name), &why);
		if (err) {
			kvms_nl_err(info->extack, name, why);
			goto out;
		}
	}
	/* A new class or bounds: give the threads back first; applies next period. */
	restore = (class && nla_get_u32(class) != vm->class) ||
		  (res && nla_get_u32(res) != vm->reservation_mcpu) ||
		  (lim && nla_get_u32(lim) != vm->limit_mcpu);
	if (restore)
		kvms_enforce_restore_vm(vm);
	if (class)
		WRITE_ONCE(vm->class, nla_get_u32(class));
	if (weight)
		WRITE_ONCE(vm->weight, nla_get_u32(weight));
	if (res)
		kvms_vm_set_reservation(vm, nla_get_u32(res));
	if (lim)
		WRITE_ONCE(vm->limit_mcpu, nla_get_u32(lim));
	if (shares)
		WRITE_ONCE(vm->bal.shares, nla_get_u32(shares));
	if (mmin)
		WRITE_ONCE(vm->bal.min_mib, nla_get_u32(mmin));
	if (mmax)
		WRITE_ONCE(vm->bal.max_mib, nla_get_u32(mmax));
	kvms_reg.gen++;
	kvms_nl_notify_vm(vm, KVMSCHED_CMD_VM_CHANGE_NTF);
	err = kvms_nl_reply_vm(info, vm, KVMSCHED_CMD_VM_SET);
out:
	mutex_unlock(&kvms_reg.lock);
	if (!err && (shares || mmin || mmax))
		kvms_memory_kick();
	return kvms_nl_done(skb, info, err);
}

int kvmsched_nl_vm_mem_report_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *fr = info->attrs[KVMSCHED_A_VM_GUEST_FREE_MIB];
	struct nlattr *av = info->attrs[KVMSCHED_A_VM_GUEST_AVAIL_MIB];
	struct nlattr *ac = info->attrs[KVMSCHED_A_VM_BALLOON_ACTUAL_MIB];
	struct nlattr *at[] = { fr, av, ac };
	struct kvms_vm *vm;
	unsigned int i;
	struct kvms_nl_errbuf ebuf;
	int err = 0;

	kvms_nl_errbuf_init(info, &ebuf);
	if (GENL_REQ_ATTR_CHECK(info, KVMSCHED_A_VM_ID))
		return -EINVAL;
	if (!fr && !av && !ac) {
		NL_SET_ERR_MSG(info->extack,
			       "nothing to report: give guest-free-mib, guest-avail-mib or balloon-actual-mib");
		return -EINVAL;
	}
	mutex_lock(&kvms_reg.lock);
	vm = kvms_nl_vm(info, KVMSCHED_A_VM_ID, &err);
	if (!vm)
		goto out;
	kvms_memory_read_vm(vm);
	for (i = 0; i < ARRAY_SIZE(at); i++) {
		if (at[i] && nla_get_u32(at[i]) > vm->bal.guest_mib) {
			kvms_extack_fmt(info,
					"%u MiB exceeds the guest RAM (%u MiB)",
					nla_get_u32(at[i]), vm->bal.guest_mib);
			NL_SET_BAD_ATTR(info->extack, at[i]);
			err = -EINVAL;
			goto out;
		}
	}
	if (fr)
		WRITE_ONCE(vm->bal.free_mib, nla_get_u32(fr));
	if (av)
		WRITE_ONCE(vm->avail_mib, nla_get_u32(av));
	if (ac)
		WRITE_ONCE(vm->actual_mib, nla_get_u32(ac));
out:
	mutex_unlock(&kvms_reg.lock);
	return kvms_nl_done(skb, info, err);
}

int kvmsched_nl_host_mem_report_doit(struct sk_buff *skb,
				     struct genl_info *info)
{
	u32 psi;

	if (GENL_REQ_ATTR_CHECK(info, KVMSCHED_A_CONFIG_PSI_SOME_AVG10_BP))
		return -EINVAL;
	psi = nla_get_u32(info->attrs[KVMSCHED_A_CONFIG_PSI_SOME_AVG10_BP]);
	mutex_lock(&kvms_reg.lock);
	kvms_memory_report_psi(psi);
	mutex_unlock(&kvms_reg.lock);
	return 0;
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

/* config-set attributes and the field each one sets. */
static u32 *kvms_nl_config_field(struct kvms_config *c, int attr)
{
	switch (attr) {
	case KVMSCHED_A_CONFIG_PERIOD_MS:
		return &c->period_ms;
	case KVMSCHED_A_CONFIG_RESERVE_HEADROOM_PCT:
		return &c->reserve_headroom_pct;
	case KVMSCHED_A_CONFIG_MEM_LOW_PCT:
		return &c->mem.low_pct;
	case KVMSCHED_A_CONFIG_MEM_CRITICAL_PCT:
		return &c->mem.critical_pct;
	case KVMSCHED_A_CONFIG_MEM_HYSTERESIS_PCT:
		return &c->mem.hysteresis_pct;
	case KVMSCHED_A_CONFIG_BALLOON_STEP_PCT:
		return &c->mem.step_pct;
	case KVMSCHED_A_CONFIG_BALLOON_MIN_STEP_BP:
		return &c->mem.min_step_bp;
	case KVMSCHED_A_CONFIG_IDLE_TAX_PCT:
		return &c->mem.idle_tax_pct;
	case KVMSCHED_A_CONFIG_BALLOON_MAX_PCT:
		return &c->mem.max_pct;
	case KVMSCHED_A_CONFIG_BALLOON_PERIOD_MS:
		return &c->balloon_period_ms;
	case KVMSCHED_A_CONFIG_MEM_PSI_RECLAIM_BP:
		return &c->mem.psi_reclaim_bp;
	}
	return NULL;
}

int kvmsched_nl_config_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kvms_config cfg;
	const char *why = NULL;
	struct sk_buff *msg;
	bool any = false;
	u32 reservable;
	struct kvms_nl_errbuf ebuf;
	int err, i;

	kvms_nl_errbuf_init(info, &ebuf);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&kvms_reg.lock);
	cfg = kvms_config;
	for (i = 1; i <= KVMSCHED_A_CONFIG_MAX; i++) {
		u32 *f = kvms_nl_config_field(&cfg, i);

		if (!info->attrs[i] || !f)
			continue;
		*f = nla_get_u32(info->attrs[i]);
		any = true;
	}
	err = -EINVAL;
	if (!any) {
		NL_SET_ERR_MSG(info->extack, "nothing to set: give a tunable");
		goto out;
	}
	/* The policy checked each range; this checks the set as a whole. */
	err = kvms_config_validate(&cfg, &why);
	if (err) {
		kvms_nl_err(info->extack, NULL, why);
		goto out;
	}
	reservable = kvms_reservable_mcpu(kvms_capacity_mcpu(),
					  cfg.reserve_headroom_pct,
					  KVMS_DL_ADMIT_PCT);
	if (kvms_reg.reserved_mcpu > reservable &&
	    cfg.reserve_headroom_pct > kvms_config.reserve_headroom_pct) {
		kvms_extack_fmt(info,
				"reserve_headroom_pct %u leaves %u mcpu, under the %u reserved",
				cfg.reserve_headroom_pct, reservable,
				kvms_reg.reserved_mcpu);
		NL_SET_BAD_ATTR(info->extack,
				info->attrs[KVMSCHED_A_CONFIG_RESERVE_HEADROOM_PCT]);
		err = -EBUSY;
		goto out;
	}
	WRITE_ONCE(kvms_config.reserve_headroom_pct, cfg.reserve_headroom_pct);
	WRITE_ONCE(kvms_config.balloon_period_ms, cfg.balloon_period_ms);
	WRITE_ONCE(kvms_config.mem.low_pct, cfg.mem.low_pct);
	WRITE_ONCE(kvms_config.mem.critical_pct, cfg.mem.critical_pct);
	WRITE_ONCE(kvms_config.mem.hysteresis_pct, cfg.mem.hysteresis_pct);
	WRITE_ONCE(kvms_config.mem.step_pct, cfg.mem.step_pct);
	WRITE_ONCE(kvms_config.mem.min_step_bp, cfg.mem.min_step_bp);
	WRITE_ONCE(kvms_config.mem.idle_tax_pct, cfg.mem.idle_tax_pct);
	WRITE_ONCE(kvms_config.mem.max_pct, cfg.mem.max_pct);
	WRITE_ONCE(kvms_config.mem.psi_reclaim_bp, cfg.mem.psi_reclaim_bp);
	if (cfg.period_ms != kvms_config.period_ms) {
		WRITE_ONCE(kvms_config.period_ms, cfg.period_ms);
		kvms_track_period_changed();
	}
	kvms_memory_kick();
	kvms_nl_notify_config();
	err = kvms_nl_fill_config(msg, info->snd_portid, info->snd_seq,
				  KVMSCHED_CMD_CONFIG_SET);
out:
	mutex_unlock(&kvms_reg.lock);
	return kvms_nl_done(skb, info, kvms_nl_reply(msg, info, err));
}

int kvmsched_nl_cpu_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *id = info->attrs[KVMSCHED_A_CPU_CPU_ID];
	struct kvms_nl_errbuf ebuf;
	bool online, changed = false;
	u32 cpu;
	int err;

	kvms_nl_errbuf_init(info, &ebuf);
	if (GENL_REQ_ATTR_CHECK(info, KVMSCHED_A_CPU_CPU_ID) ||
	    GENL_REQ_ATTR_CHECK(info, KVMSCHED_A_CPU_ONLINE))
		return -EINVAL;
	/* as writing /sys/devices/system/cpu/cpuN/online, which needs root */
	if (!capable(CAP_SYS_ADMIN)) {
		NL_SET_ERR_MSG(info->extack,
			       "taking CPUs offline or online needs CAP_SYS_ADMIN too");
		return -EPERM;
	}
	cpu = nla_get_u32(id);
	online = nla_get_u32(info->attrs[KVMSCHED_A_CPU_ONLINE]);
	if (cpu >= nr_cpu_ids || !cpu_possible(cpu)) {
		kvms_extack_fmt(info, "cpu-id %u: no such CPU (0-%u)", cpu,
				nr_cpu_ids - 1);
		NL_SET_BAD_ATTR(info->extack, id);
		return kvms_nl_done(skb, info, -EINVAL);
	}
	if (online)
		err = kvms_enforce_cpu_online(&kvms_reg, cpu);
	else
		err = kvms_enforce_cpu_offline(&kvms_reg, cpu, &changed);
	if (changed) {
		mutex_lock(&kvms_reg.lock);
		kvms_nl_notify_overcommit();
		mutex_unlock(&kvms_reg.lock);
	}
	if (err) {
		kvms_extack_fmt(info, "the kernel refused to take cpu %u %s (%d)",
				cpu, online ? "online" : "offline", err);
		NL_SET_BAD_ATTR(info->extack, id);
	}
	return kvms_nl_done(skb, info, err);
}

/**
 * kvms_nl_notify_overcommit() - multicast overcommit-ntf with the config
 *
 * Context: process context, kvms_reg.lock held.
 */
void kvms_nl_notify_overcommit(void)
{
	struct sk_buff *msg = kvms_nl_event_new();

	if (msg)
		kvms_nl_event_send(msg, kvms_nl_fill_config(msg, 0, 0,
							    KVMSCHED_CMD_OVERCOMMIT_NTF));
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

/*
 * The operations that change anything need CAP_NET_ADMIN in the initial user
 * namespace (the spec's admin-perm). The kernel's own check of that flag
 * (GENL_ADMIN_PERM) refuses with a bare EPERM; kvmsched registers a copy of
 * the generated operations in which every such operation goes through
 * kvms_nl_admin_doit(), which makes the same check and says what is missing.
 */
static struct genl_ops kvms_nl_ops[ARRAY_SIZE(kvmsched_nl_ops)] __ro_after_init;

static int kvms_nl_admin_doit(struct sk_buff *skb, struct genl_info *info)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kvmsched_nl_ops); i++)
		if (kvmsched_nl_ops[i].cmd == info->genlhdr->cmd)
			break;
	if (i == ARRAY_SIZE(kvmsched_nl_ops) || !kvmsched_nl_ops[i].doit)
		return -EOPNOTSUPP;
	if (!netlink_capable(skb, CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG(info->extack,
			       "changing kvmsched needs CAP_NET_ADMIN in the initial user namespace");
		return -EPERM;
	}
	return kvmsched_nl_ops[i].doit(skb, info);
}

static void __init kvms_nl_ops_init(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kvms_nl_ops); i++) {
		kvms_nl_ops[i] = kvmsched_nl_ops[i];
		/* an operation with a dump keeps the kernel's own check */
		if (!(kvms_nl_ops[i].flags & GENL_ADMIN_PERM) ||
		    kvms_nl_ops[i].dumpit)
			continue;
		kvms_nl_ops[i].flags &= ~GENL_ADMIN_PERM;
		kvms_nl_ops[i].doit = kvms_nl_admin_doit;
	}
}

static struct genl_family kvms_nl_family __ro_after_init = {
	.name		= KVMSCHED_FAMILY_NAME,
	.version	= KVMSCHED_FAMILY_VERSION,
	.netnsok	= false,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= kvms_nl_ops,
	.n_ops		= ARRAY_SIZE(kvms_nl_ops),
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
int __init kvms_nl_init(void)
{
	int err;

	kvms_nl_ops_init();
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
