/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmschedd: the form of its log lines, for a terminal or a file and for
 * the journal. Pure (no I/O): log.c writes what these build, and the host
 * unit test tests/host/test_log.c checks them.
 */
#ifndef KVMSCHEDD_LOGLINE_H
#define KVMSCHEDD_LOGLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/*
 * blog()'s level: a priority and a verbosity in one number. Lines of a
 * level above the -v count are not written; below 0 they always are.
 */
enum {
	BLOG_ERR = -2,		/* something failed, a part of the job is not done */
	BLOG_WARN = -1,		/* something failed, retried or worked around */
	BLOG_INFO = 0,		/* what the daemon did */
	BLOG_DEBUG = 1,		/* -v: every reading; 2 (-vv) even more */
};

/*
 * How a line looks:
 *   LOG_PLAIN  "2025-01-01T12:00:00.000+0000 TAG: MSG" (a terminal, a file)
 *   LOG_SYSLOG "<P>MSG": P the syslog priority, no timestamp and no tag,
 *              which the journal adds (SyslogLevelPrefix=, on by default)
 */
enum log_form { LOG_PLAIN, LOG_SYSLOG };

/*
 * The syslog priority of a blog() level: 3 (err), 4 (warning), 6 (info)
 * or 7 (debug), as sd-daemon.h's SD_ERR, SD_WARNING, SD_INFO, SD_DEBUG.
 */
int log_priority(int level);

/*
 * The lines of one message: each line of msg (split at '\n'; a last empty
 * line dropped; an empty msg is one empty line) gets the prefix of form,
 * and ends in '\n'. ts and tag are used by LOG_PLAIN only. Writes at most
 * len - 1 bytes and a NUL into buf; a line that does not fit is cut and
 * still ends in '\n'. Returns the length written.
 */
size_t log_format(char *buf, size_t len, enum log_form form, int level,
		  const char *tag, const struct timespec *ts, const char *msg);

/*
 * Whether stderr is the journal: journal_stream is $JOURNAL_STREAM
 * ("DEV:INO" in decimal, set by systemd for a service whose stdout or
 * stderr goes to the journal; NULL if unset) and dev, ino are fstat() of
 * fd 2. Equal only if it still is that stream (not redirected since).
 */
bool log_is_journal(const char *journal_stream, uint64_t dev, uint64_t ino);

#endif /* KVMSCHEDD_LOGLINE_H */
