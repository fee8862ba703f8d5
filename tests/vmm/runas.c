// SPDX-License-Identifier: GPL-2.0
/*
 * runas UID CMD [ARG...]: run CMD as an unprivileged user (uid and gid UID,
 * no supplementary groups, no capabilities). For the e2e tests, whose
 * busybox host has no su/setpriv.
 */
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char *end;
	long uid;

	if (argc < 3) {
		fprintf(stderr, "usage: runas UID CMD [ARG...]\n");
		return 2;
	}
	uid = strtol(argv[1], &end, 10);
	if (*end || uid <= 0 || uid > 65534) {
		fprintf(stderr, "runas: bad uid '%s' (1-65534)\n", argv[1]);
		return 2;
	}
	if (setgroups(0, NULL) || setgid(uid) || setuid(uid)) {
		fprintf(stderr, "runas: cannot drop to uid %ld: %s\n", uid, strerror(errno));
		return 1;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "runas: %s: %s\n", argv[2], strerror(errno));
	return 127;
}
