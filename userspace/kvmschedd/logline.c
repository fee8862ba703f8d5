// SPDX-License-Identifier: GPL-2.0
/* kvmschedd: the form of its log lines; see logline.h. Pure. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "logline.h"

int log_priority(int level)
{
	if (level <= BLOG_ERR)
		return 3;
	if (level == BLOG_WARN)
		return 4;
	if (level == BLOG_INFO)
		return 6;
	return 7;
}

size_t log_format(char *buf, size_t len, enum log_form form, int level,
		  const char *tag, const struct timespec *ts, const char *msg)
{
	char prefix[96], t[64];
	const char *p = msg;
	size_t n = 0, plen;

	if (!len)
		return 0;
	if (form == LOG_SYSLOG) {
		snprintf(prefix, sizeof(prefix), "<%d>", log_priority(level));
	} else {
		fmt_timestamp(t, sizeof(t), ts);
		snprintf(prefix, sizeof(prefix), "%s %s: ", t, tag);
	}
	plen = strlen(prefix);
	buf[0] = '\0';
	do {
		const char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) : strlen(p);

		/* Room for the prefix, one byte of text, '\n' and the NUL. */
		if (n + plen + 2 >= len)
			break;
		memcpy(buf + n, prefix, plen);
		n += plen;
		if (l > len - n - 2)
			l = len - n - 2;
		memcpy(buf + n, p, l);
		n += l;
		buf[n++] = '\n';
		buf[n] = '\0';
		p = nl ? nl + 1 : NULL;
	} while (p && *p);
	return n;
}

bool log_is_journal(const char *journal_stream, uint64_t dev, uint64_t ino)
{
	unsigned long long d, i;
	char *end;

	if (!journal_stream || !*journal_stream)
		return false;
	errno = 0;
	d = strtoull(journal_stream, &end, 10);
	if (errno || end == journal_stream || *end != ':' ||
	    journal_stream[0] == '-')
		return false;
	journal_stream = end + 1;
	if (*journal_stream < '0' || *journal_stream > '9')
		return false;
	i = strtoull(journal_stream, &end, 10);
	if (errno || *end)
		return false;
	return d == dev && i == ino;
}
