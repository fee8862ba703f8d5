/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmsched compatibility helpers, one per API difference between the
 * kernels we build for (Debian 6.1 and 6.12). The KVMS_HAVE_* flags are
 * probed from the headers by kmod/compat.mk.
 */
#ifndef _KVMSCHED_COMPAT_H
#define _KVMSCHED_COMPAT_H

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
 * A formatted extack message. The extack keeps a pointer to the message
 * until the ack is built, right after the handler returns. Since 6.2 the
 * extack has a buffer for it; before, a small ring of static buffers serves
 * (reused only after KVMS_EXTACK_RING further formatted errors, long after
 * the ack that pointed at it went out).
 */
#ifdef KVMS_HAVE_EXTACK_MSG_BUF
#define kvms_extack_fmt(extack, fmt, args...) NL_SET_ERR_MSG_FMT(extack, fmt, ##args)
#else
#define KVMS_EXTACK_RING	64
#define KVMS_EXTACK_LEN		80
extern char kvms_extack_ring[KVMS_EXTACK_RING][KVMS_EXTACK_LEN];
extern atomic_t kvms_extack_next;
#define kvms_extack_fmt(extack, fmt, args...) do {			\
	struct netlink_ext_ack *__e = (extack);				\
	char *__b = kvms_extack_ring[(unsigned int)			\
		atomic_inc_return(&kvms_extack_next) % KVMS_EXTACK_RING]; \
									\
	if (__e) {							\
		snprintf(__b, KVMS_EXTACK_LEN, fmt, ##args);		\
		__e->_msg = __b;					\
	}								\
} while (0)
#endif

/*
 * Share of each CPU the kernel's deadline admission lets tasks reserve:
 * sched_rt_runtime_us / sched_rt_period_us (95 % by default), less the 5 %
 * the fair server holds where there is one.
 */
#ifdef KVMS_HAVE_DL_SERVER
#define KVMS_DL_ADMIT_PCT	90
#else
#define KVMS_DL_ADMIT_PCT	95
#endif

#endif /* _KVMSCHED_COMPAT_H */
