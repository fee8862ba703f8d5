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
#include "control.h"
#include "enforce.h"
#include "kvmsched-nl-gen.h"
#include "memory.h"
#include "netlink.h"
#include "watchdog.h"

static struct genl_family kvms_nl_family;

/* True while the family is registered; written under kvms_reg.lock. */
static bool kvms_nl_live;

/* Resume point of a VM or vCPU dump, kept in cb->ctx. */
struct kvms_dump_ctx {
	u64 next_vm;	/* first VM id not fully dumped */
	u64 next_vcpu;	/* first vcpu_id of that VM not dumped */
};

/* Report a change the control core refused: its message, its attribute. */
static void kvms_nl_why(struct genl_info *info, struct nlattr **attrs,
			const struct kvms_why *why)
{
	kvms_extack_fmt(info, "%s", why->msg);
	if (why->attr)
		NL_SET_BAD_ATTR(info->extack, attrs[why->attr]);
}

/*
 * What a dumpit returns: a full skb is not an error, the dump goes on in
 * the next one.
 */
static int kvms_nl_dump_ret(struct sk_buff *skb, int err)
{
	return err == -EMSGSIZE && skb->len ? skb->len : err ?: skb->len;
}

static int kvms_nl_fill_vm_bounds(struct sk_buff *skb, const struct kvms_vm *vm)
{
	return nla_put_u32(skb, KVMSCHED_A_VM_RESERVATION_MCPU,
			   vm->reservation_mcpu) ||
	       nla_put_u32(skb, KVMSCHED_A_VM_LIMIT_MCPU, vm->limit_mcpu) ||
	       nla_put_u32(skb, KVMSCHED_A_VM_BOUND, vm->policy.bound) ||
	       nla_put_u64_64bit(skb, KVMSCHED_A_VM_THROTTLED_NS,
				 READ_ONCE(vm->dlb.throttled_ns), KVMSCHED_A_VM_PAD) ||
	       nla_put_u32(skb, KVMSCHED_A_VM_RESERVATION_MISSES, READ_ONCE(vm->dlb.misses));
}

static int kvms_nl_fill_vm_mem(struct sk_buff *skb, const struct kvms_vm *vm)
{
	const struct kvms_balloon_vm *b = &vm->balloon;

	if (nla_put_u32(skb, KVMSCHED_A_VM_MEM_SHARES, b->shares) ||
	    nla_put_u32(skb, KVMSCHED_A_VM_MEM_MIN_MIB, b->min_mib) ||
	    nla_put_u32(skb, KVMSCHED_A_VM_MEM_MAX_MIB, kvms_balloon_max_mib(b)) ||
	    nla_put_u32(skb, KVMSCHED_A_VM_GUEST_MEM_MIB, b->guest_mib) ||
	    nla_put_u32(skb, KVMSCHED_A_VM_RSS_MIB, vm->mem.rss_mib) ||
	    (b->free_mib >= 0 &&
	     nla_put_u32(skb, KVMSCHED_A_VM_GUEST_FREE_MIB, b->free_mib)) ||
	    (vm->mem.avail_mib >= 0 &&
	     nla_put_u32(skb, KVMSCHED_A_VM_GUEST_AVAIL_MIB, vm->mem.avail_mib)) ||
	    (vm->mem.actual_mib &&
	     nla_put_u32(skb, KVMSCHED_A_VM_BALLOON_ACTUAL_MIB, vm->mem.actual_mib)) ||
	    (b->target_mib &&
	     nla_put_u32(skb, KVMSCHED_A_VM_BALLOON_TARGET_MIB, b->target_mib)))
		return -EMSGSIZE;
	return nla_put_u32(skb, KVMSCHED_A_VM_BALLOON_REASON, b->reason);
}

static int kvms_nl_fill_vm_lat(struct sk_buff *skb, const struct kvms_vm *vm)
{
	struct kvms_lat_stat l;

	kvms_vm_lat(vm, &l);
	if (nla_put_u64_64bit(skb, KVMSCHED_A_VM_WAKE_LATENCY_COUNT, l.count,
			      KVMSCHED_A_VM_PAD) ||
	    nla_put_u64_64bit(skb, KVMSCHED_A_VM_WAKE_LATENCY_P50_NS, l.p50_ns,
			      KVMSCHED_A_VM_PAD) ||
	    nla_put_u64_64bit(skb, KVMSCHED_A_VM_WAKE_LATENCY_P99_NS, l.p99_ns,
			      KVMSCHED_A_VM_PAD) ||
	    nla_put_u64_64bit(skb, KVMSCHED_A_VM_WAKE_LATENCY_MAX_NS, l.max_ns,
			      KVMSCHED_A_VM_PAD) ||
	    nla_put_u64_64bit(skb, KVMSCHED_A_VM_WAKE_LATENCY_SKIPPED, l.skipped,
			      KVMSCHED_A_VM_PAD))
		return -EMSGSIZE;
	return nla_put(skb, KVMSCHED_A_VM_WAKE_LATENCY_HIST, sizeof(l.hist),
		       l.hist);
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
	    nla_put_u32(skb, KVMSCHED_A_VM_RT_PRIORITY, vm->rt_priority) ||
	    nla_put_u32(skb, KVMSCHED_A_VM_RR_QUANTUM_MS, vm->rr_quantum_ms) ||
	    nla_put_u32(skb, KVMSCHED_A_VM_LATENCY_US, vm->latency_us) ||
	    nla_put_u64_64bit(skb, KVMSCHED_A_VM_RT_THROTTLED_PERIODS,
			      READ_ONCE(vm->rt_throttled_periods),
			      KVMSCHED_A_VM_PAD) ||
	    nla_put_u64_64bit(skb, KVMSCHED_A_VM_STARVED_COUNT,
			      READ_ONCE(vm->starved_count), KVMSCHED_A_VM_PAD) ||
	    nla_put_u32(skb, KVMSCHED_A_VM_ENTITLED_MCPU, vm->policy.entitled_mcpu) ||
	    nla_put_u32(skb, KVMSCHED_A_VM_DEMAND_MCPU, vm->policy.demand_mcpu) ||
	    nla_put_u32(skb, KVMSCHED_A_VM_NR_ACTIVE_VCPUS, vm->policy.nr_active) ||
	    kvms_nl_fill_vm_bounds(skb, vm) || kvms_nl_fill_vm_mem(skb, vm) ||
	    kvms_nl_fill_vm_lat(skb, vm)) {
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
	    nla_put_u32(skb, KVMSCHED_A_VCPU_OVERRIDES, READ_ONCE(kv->sched.overrides)) ||
	    nla_put_u32(skb, KVMSCHED_A_VCPU_DL_MCPU, READ_ONCE(kv->sched.cur_dl_mcpu)) ||
	    nla_put_u32(skb, KVMSCHED_A_VCPU_DL_BLOCK, READ_ONCE(kv->sched.dl_block)) ||
	    nla_put_u32(skb, KVMSCHED_A_VCPU_DL_BLOCKED, READ_ONCE(kv->sched.dl_blocked)) ||
	    nla_put_s32(skb, KVMSCHED_A_VCPU_THREAD_SHARED, kvms_vcpu_shared_with(kv)) ||
	    nla_put_u32(skb, KVMSCHED_A_VCPU_STARVED_MS, kvms_vcpu_starved_ms(kv)) ||
	    nla_put_u32(skb, KVMSCHED_A_VCPU_BURST_US, kvms_vcpu_burst_us(kv))) {
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
			   reserved > reservable ? reserved - reservable : 0) ||
	       nla_put_u64_64bit(skb, KVMSCHED_A_CONFIG_DEADLINE_REFUSED,
				 READ_ONCE(kvms_dl_refused), KVMSCHED_A_CONFIG_PAD) ||
	       nla_put_u64_64bit(skb, KVMSCHED_A_CONFIG_DEADLINE_RECLAIMED,
				 atomic_long_read(&kvms_dl_reclaimed),
				 KVMSCHED_A_CONFIG_PAD) ||
	       nla_put_u64_64bit(skb, KVMSCHED_A_CONFIG_APPLY_LAST_NS,
				 READ_ONCE(kvms_apply_last_ns),
				 KVMSCHED_A_CONFIG_PAD) ||
	       nla_put_u64_64bit(skb, KVMSCHED_A_CONFIG_APPLY_MAX_NS,
				 READ_ONCE(kvms_apply_max_ns),
				 KVMSCHED_A_CONFIG_PAD) ||
	       nla_put_u64_64bit(skb, KVMSCHED_A_CONFIG_RT_THROTTLED_PERIODS,
				 READ_ONCE(kvms_wd_throttled),
				 KVMSCHED_A_CONFIG_PAD) ||
	       nla_put_u32(skb, KVMSCHED_A_CONFIG_STARVE_MS,
			   READ_ONCE(kvms_config.starve_ms)) ||
	       nla_put_u32(skb, KVMSCHED_A_CONFIG_BURST_BOOST,
			   READ_ONCE(kvms_config.burst_boost)) ||
	       nla_put_u32(skb, KVMSCHED_A_CONFIG_BURST_THRESHOLD_US,
			   READ_ONCE(kvms_config.burst_threshold_us));
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
	return kvms_nl_dump_ret(skb, err);
}

/* vm-set attributes that carry a setting, in struct kvms_vm_settings. */
static const int kvms_nl_vm_settings[] = {
	KVMSCHED_A_VM_NAME, KVMSCHED_A_VM_CLASS, KVMSCHED_A_VM_WEIGHT,
	KVMSCHED_A_VM_RESERVATION_MCPU, KVMSCHED_A_VM_LIMIT_MCPU,
	KVMSCHED_A_VM_MEM_SHARES, KVMSCHED_A_VM_MEM_MIN_MIB,
	KVMSCHED_A_VM_MEM_MAX_MIB, KVMSCHED_A_VM_RT_PRIORITY,
	KVMSCHED_A_VM_RR_QUANTUM_MS, KVMSCHED_A_VM_LATENCY_US,
};

/* Parse a vm-set request into @s; the policy checked each attribute. */
static void kvms_nl_parse_vm_settings(struct nlattr **a,
				      struct kvms_vm_settings *s)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < ARRAY_SIZE(kvms_nl_vm_settings); i++) {
		int attr = kvms_nl_vm_settings[i];
		u32 v;

		if (!a[attr])
			continue;
		s->given |= BIT_ULL(attr);
		if (attr == KVMSCHED_A_VM_NAME) {
			s->name = nla_data(a[attr]);
			continue;
		}
		v = nla_get_u32(a[attr]);
		switch (attr) {
		case KVMSCHED_A_VM_CLASS:
			s->class = v;
			break;
		case KVMSCHED_A_VM_WEIGHT:
			s->weight = v;
			break;
		case KVMSCHED_A_VM_RESERVATION_MCPU:
			s->reservation_mcpu = v;
			break;
		case KVMSCHED_A_VM_LIMIT_MCPU:
			s->limit_mcpu = v;
			break;
		case KVMSCHED_A_VM_MEM_SHARES:
			s->mem_shares = v;
			break;
		case KVMSCHED_A_VM_MEM_MIN_MIB:
			s->mem_min_mib = v;
			break;
		case KVMSCHED_A_VM_MEM_MAX_MIB:
			s->mem_max_mib = v;
			break;
		case KVMSCHED_A_VM_RT_PRIORITY:
			s->rt_priority = v;
			break;
		case KVMSCHED_A_VM_RR_QUANTUM_MS:
			s->rr_quantum_ms = v;
			break;
		case KVMSCHED_A_VM_LATENCY_US:
			s->latency_us = v;
			break;
		}
	}
}

int kvmsched_nl_vm_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kvms_vm_settings s;
	struct kvms_nl_errbuf ebuf;
	struct kvms_why why;
	struct kvms_vm *vm;
	int err = 0;

	kvms_nl_errbuf_init(info, &ebuf);
	if (GENL_REQ_ATTR_CHECK(info, KVMSCHED_A_VM_ID))
		return -EINVAL;
	kvms_nl_parse_vm_settings(info->attrs, &s);
	if (!s.given) {
		NL_SET_ERR_MSG(info->extack,
			       "nothing to set: give name, class, weight, reservation-mcpu, limit-mcpu, mem-shares, mem-min-mib, mem-max-mib, rt-priority, rr-quantum-ms or latency-us");
		return -EINVAL;
	}
	kvms_enforce_cpu_lock();	/* a restore: not during a CPU offline */
	mutex_lock(&kvms_reg.lock);
	vm = kvms_nl_vm(info, KVMSCHED_A_VM_ID, &err);
	if (!vm)
		goto out;
	err = kvms_vm_commit(vm, &s, kvms_reservable_now(), &why);
	if (err) {
		kvms_nl_why(info, info->attrs, &why);
		goto out;
	}
	err = kvms_nl_reply_vm(info, vm, KVMSCHED_CMD_VM_SET);
out:
	mutex_unlock(&kvms_reg.lock);
	kvms_enforce_cpu_unlock();
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
		if (at[i] && nla_get_u32(at[i]) > vm->balloon.guest_mib) {
			kvms_extack_fmt(info,
					"%u MiB exceeds the guest RAM (%u MiB)",
					nla_get_u32(at[i]), vm->balloon.guest_mib);
			NL_SET_BAD_ATTR(info->extack, at[i]);
			err = -EINVAL;
			goto out;
		}
	}
	if (fr)
		WRITE_ONCE(vm->balloon.free_mib, nla_get_u32(fr));
	if (av)
		WRITE_ONCE(vm->mem.avail_mib, nla_get_u32(av));
	if (ac)
		WRITE_ONCE(vm->mem.actual_mib, nla_get_u32(ac));
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
	return kvms_nl_dump_ret(skb, err);
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

void kvms_nl_notify_config(void)
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
	case KVMSCHED_A_CONFIG_STARVE_MS:
		return &c->starve_ms;
	case KVMSCHED_A_CONFIG_BURST_BOOST:
		return &c->burst_boost;
	case KVMSCHED_A_CONFIG_BURST_THRESHOLD_US:
		return &c->burst_threshold_us;
	}
	return NULL;
}

int kvmsched_nl_config_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct kvms_nl_errbuf ebuf;
	struct kvms_config cfg;
	struct kvms_why why;
	struct sk_buff *msg;
	bool any = false;
	int err, i;

	kvms_nl_errbuf_init(info, &ebuf);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&kvms_reg.lock);
	cfg = kvms_config;
	/* info->attrs has room for the op's policy (maxattr) only. */
	for (i = 1; i < ARRAY_SIZE(kvmsched_config_set_nl_policy); i++) {
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
	err = kvms_config_commit(&kvms_reg, &cfg, kvms_capacity_mcpu(),
				 KVMS_DL_ADMIT_PCT, &why);
	if (err) {
		kvms_nl_why(info, info->attrs, &why);
		goto out;
	}
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
 * @cmd:	KVMSCHED_CMD_VM_ADD_NTF, _DEL_NTF, _CHANGE_NTF, _BALLOON_TARGET_NTF
 *		or _STARVED_NTF
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
