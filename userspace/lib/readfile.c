// SPDX-License-Identifier: GPL-2.0
/* kvmschedctl: read a small file (/proc) whole; see readfile.h. */
#include <errno.h>
#include <stdio.h>

#include "readfile.h"

int read_file(const char *path, char *buf, size_t cap, size_t *len)
{
	FILE *f = fopen(path, "re");
	size_t n;

	if (!f)
		return -errno;
	n = fread(buf, 1, cap, f);
	if (ferror(f)) {
		int rc = -errno;

		fclose(f);
		return rc ? rc : -EIO;
	}
	fclose(f);
	*len = n;
	return 0;
}
