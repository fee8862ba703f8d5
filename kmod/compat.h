/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmsched compatibility helpers, one per API difference between the
 * kernels we build for (Debian 6.1 and 6.12). The KVMS_HAVE_* flags are
 * probed from the headers by kmod/compat.mk.
 */
#ifndef _KVMSCHED_COMPAT_H
#define _KVMSCHED_COMPAT_H

#include <linux/sched.h>
#include <net/genetlink.h>

/* The parsed request attributes of a generic netlink dump. */
static inline struct nlattr **kvms_dump_attrs(struct netlink_callback *cb)
{
#ifdef KVMS_HAVE_DUMPIT_INFO_INFO
	return genl_dumpit_info(cb)->info.attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/*
 * A formatted extack message. Since 6.2 the extack has a buffer for it
 * (NL_SET_ERR_MSG_FMT). Before, the message would have to outlive the
 * handler: the ack that carries it is built after the handler returns. So
 * there, a handler keeps a struct kvms_nl_errbuf on its stack, which
 * kvms_nl_errbuf_init() points genl_info.user_ptr[0] at (kvmsched has no
 * pre_doit that would use it), and ends with kvms_nl_done(): when it
 * formatted an error, that sends the ack itself while the buffer lives
 * and returns -EINTR, which tells netlink_rcv_skb() the message was
 * answered.
 */
#define KVMS_EXTACK_LEN		96
#ifdef KVMS_HAVE_EXTACK_MSG_BUF
struct kvms_nl_errbuf {
};

#define kvms_extack_fmt(info, fmt, args...) \
	NL_SET_ERR_MSG_FMT((info)->extack, fmt, ##args)

static inline void kvms_nl_errbuf_init(struct genl_info *info,
				       struct kvms_nl_errbuf *e)
{
}

static inline int kvms_nl_done(struct sk_buff *skb, struct genl_info *info,
			       int err)
{
	return err;
}
#else
struct kvms_nl_errbuf {
	char msg[KVMS_EXTACK_LEN];
};

#define kvms_extack_fmt(info, fmt, args...) do {			\
	struct genl_info *__i = (info);					\
									\
	if (__i->extack && __i->user_ptr[0]) {				\
		snprintf(__i->user_ptr[0], KVMS_EXTACK_LEN, fmt, ##args); \
		__i->extack->_msg = __i->user_ptr[0];			\
	}								\
} while (0)

static inline void kvms_nl_errbuf_init(struct genl_info *info,
				       struct kvms_nl_errbuf *e)
{
	info->user_ptr[0] = e->msg;
}

static inline int kvms_nl_done(struct sk_buff *skb, struct genl_info *info,
			       int err)
{
	if (!err || !info->extack || !info->user_ptr[0] ||
	    info->extack->_msg != info->user_ptr[0])
		return err;
	netlink_ack(skb, info->nlhdr, err, info->extack);
	return -EINTR;
}
#endif

/*
 * A fair thread's custom time slice (6.12 EEVDF: set with
 * sched_attr.sched_runtime), ns; 0 where it has none or the kernel has no
 * such thing.
 */
static inline u64 kvms_task_custom_slice(const struct task_struct *p)
{
#ifdef KVMS_HAVE_CUSTOM_SLICE
	return p->se.custom_slice ? p->se.slice : 0;
#else
	return 0;
#endif
}

/* sched_attr.sched_runtime that gives a fair thread @slice_ns back. */
static inline u64 kvms_task_slice_attr(u64 slice_ns)
{
#ifdef KVMS_HAVE_CUSTOM_SLICE
	return slice_ns;
#else
	return 0;
#endif
}

/*
 * The kvm_entry tracepoint's arguments: (vcpu) in vanilla 6.1-6.8, (vcpu,
 * force_immediate_exit) since, and in Debian's 6.1 and 6.12. A probe must
 * match them exactly (kCFI checks the type of every indirect call).
 */
#ifdef KVMS_HAVE_KVM_ENTRY_2ARGS
#define KVMS_KVM_ENTRY_ARGS \
	void *data, struct kvm_vcpu *vcpu, bool force_immediate_exit
#else
#define KVMS_KVM_ENTRY_ARGS	void *data, struct kvm_vcpu *vcpu
#endif

/*
 * Share of each CPU the kernel's deadline admission lets tasks reserve:
 * sched_rt_runtime_us / sched_rt_period_us (95 % by default), less the 5 %
 * the fair server holds where there is one.
 */
#define KVMS_DL_SYS_PCT		95	/* sched_rt_runtime_us default */
#ifdef KVMS_HAVE_DL_SERVER
#define KVMS_DL_ADMIT_PCT	90
#else
#define KVMS_DL_ADMIT_PCT	KVMS_DL_SYS_PCT
#endif

#endif /* _KVMSCHED_COMPAT_H */
