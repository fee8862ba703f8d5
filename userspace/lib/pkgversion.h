/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The package version, for --version: KVMSCHED_VERSION of kmod/version.h,
 * the one source (dkms.conf's PACKAGE_VERSION and debian/changelog must
 * equal it: make install-dkms, make deb and tests/pkg check).
 */
#ifndef KVMSCHEDCTL_PKGVERSION_H
#define KVMSCHEDCTL_PKGVERSION_H

#include <linux/kvmsched.h>

#include "../../kmod/version.h"

/*
 * The --version line of PROG: "PROG VERSION (kvmsched generic netlink
 * family, version N)", N the family version this program speaks.
 */
#define PKG_VERSION_LINE(prog)						\
	prog " " KVMSCHED_VERSION " (" KVMSCHED_FAMILY_NAME		\
	" generic netlink family, version %d)\n"

#endif /* KVMSCHEDCTL_PKGVERSION_H */
