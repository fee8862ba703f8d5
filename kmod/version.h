/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KVMSCHED_VERSION_H
#define _KVMSCHED_VERSION_H

#define KVMSCHED_VERSION "0.1.0"

#endif /* _KVMSCHED_VERSION_H */
