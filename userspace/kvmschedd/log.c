// SPDX-License-Identifier: GPL-2.0
/* kvmschedd: log lines on stderr. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "daemon.h"
#include "format.h"

int verbose;

void blog(int level, const char *fmt, ...)
{
	struct timespec ts;
	char t[64], line[1024];
	va_list ap;

	if (level > verbose)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	fmt_timestamp(t, sizeof(t), &ts);
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s balloond: %s\n", t, line);
	fflush(stderr);
}

/* Log msg at level 0 when it differs from *last, else at level 1. */
void log_changed(char *last, size_t len, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (strncmp(msg, last, len - 1)) {
		blog(0, "%s", msg);
		qmp_scopy(last, len, msg);
	} else {
		blog(1, "%s", msg);
	}
}
