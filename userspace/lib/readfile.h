/* SPDX-License-Identifier: GPL-2.0 */
/* kvmschedctl: read a small file (/proc) whole. */
#ifndef KVMSCHEDCTL_READFILE_H
#define KVMSCHEDCTL_READFILE_H

#include <stddef.h>

/*
 * Up to cap bytes of path into buf (not NUL-terminated), *len of them.
 * Returns 0 or -errno.
 */
int read_file(const char *path, char *buf, size_t cap, size_t *len);

#endif /* KVMSCHEDCTL_READFILE_H */
