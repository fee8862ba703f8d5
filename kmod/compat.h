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

#endif /* _KVMSCHED_COMPAT_H */
