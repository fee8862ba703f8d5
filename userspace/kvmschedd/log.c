// SPDX-License-Identifier: GPL-2.0
/*
 * kvmschedd: log lines on stderr, timestamped, or for the journal with a
 * syslog priority prefix (logline.c builds them).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "log.h"

int verbose;

static const char *log_tag = "kvmschedd";
static enum log_form log_form = LOG_PLAIN;

enum log_form log_setup(const char *tag, bool syslog_prefix)
{
	struct stat st;

	log_tag = tag;
	if (syslog_prefix)
		log_form = LOG_SYSLOG;
	else if (!fstat(STDERR_FILENO, &st) &&
		 log_is_journal(getenv("JOURNAL_STREAM"), st.st_dev, st.st_ino))
		log_form = LOG_SYSLOG;
	else
		log_form = LOG_PLAIN;
	return log_form;
}

void blog(int level, const char *fmt, ...)
{
	char msg[1024], out[2048];
	struct timespec ts;
	va_list ap;

	if (level > verbose)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_format(out, sizeof(out), log_form, level, log_tag, &ts, msg);
	fputs(out, stderr);
	fflush(stderr);
}

/*
 * A failure that repeats (a socket that stays away, a file that stays
 * unwritable): msg as a warning when it differs from *last, at -v after.
 */
void log_changed(char *last, size_t len, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (strncmp(msg, last, len - 1)) {
		blog(BLOG_WARN, "%s", msg);
		qmp_scopy(last, len, msg);
	} else {
		blog(BLOG_DEBUG, "%s", msg);
	}
}
