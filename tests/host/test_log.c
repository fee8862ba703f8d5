// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of userspace/kvmschedd/logline.c: the daemon's log
 * lines, plain (timestamp, tag) and for the journal ("<P>" syslog priority
 * prefix, which journald's SyslogLevelPrefix= parses: sd-daemon.h SD_ERR
 * "<3>", SD_WARNING "<4>", SD_INFO "<6>", SD_DEBUG "<7>"), and how the
 * daemon tells that stderr is the journal ($JOURNAL_STREAM "DEV:INO").
 *
 * Output: one "not ok" line per failed check and a last line
 * "test_log: N passed, N failed"; exit 1 on any failure.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "logline.h"

#include "check.h"

/* Whether every line of s matches the extended regex re. */
static bool all_lines_match(const char *s, const char *re)
{
	char line[4096];
	regex_t r;
	bool ok = true;

	if (regcomp(&r, re, REG_EXTENDED | REG_NOSUB))
		return false;
	while (*s && ok) {
		const char *nl = strchr(s, '\n');
		size_t l = nl ? (size_t)(nl - s) : strlen(s);

		snprintf(line, sizeof(line), "%.*s", (int)l, s);
		ok = !regexec(&r, line, 0, NULL, 0);
		s = nl ? nl + 1 : s + l;
	}
	regfree(&r);
	return ok;
}

static void test_priority(void)
{
	/* Arrange/Act/Assert: each blog() level against sd-daemon.h's values. */
	CHECK_INT(log_priority(BLOG_ERR), 3);
	CHECK_INT(log_priority(BLOG_ERR - 5), 3);
	CHECK_INT(log_priority(BLOG_WARN), 4);
	CHECK_INT(log_priority(BLOG_INFO), 6);
	CHECK_INT(log_priority(BLOG_DEBUG), 7);
	CHECK_INT(log_priority(2), 7);
}

static void test_syslog_form(void)
{
	struct timespec ts = { .tv_sec = 1735732800, .tv_nsec = 123456789 };
	char buf[256];
	size_t n;

	n = log_format(buf, sizeof(buf), LOG_SYSLOG, BLOG_INFO, "kvmschedd",
		       &ts, "started (interval 2000 ms)");
	CHECK_STR(buf, "<6>started (interval 2000 ms)\n");
	CHECK_INT(n, strlen(buf));
	log_format(buf, sizeof(buf), LOG_SYSLOG, BLOG_ERR, "kvmschedd", &ts,
		   "policy: a.conf:3:7: unknown key 'wieght'; not starting");
	CHECK_STR(buf, "<3>policy: a.conf:3:7: unknown key 'wieght'; not starting\n");
	log_format(buf, sizeof(buf), LOG_SYSLOG, BLOG_WARN, "kvmschedd", &ts,
		   "vm 3: QMP session lost");
	CHECK_STR(buf, "<4>vm 3: QMP session lost\n");
	log_format(buf, sizeof(buf), LOG_SYSLOG, 2, "kvmschedd", &ts, "psi 12");
	CHECK_STR(buf, "<7>psi 12\n");
	/* Every line of a multi-line message has its own prefix. */
	log_format(buf, sizeof(buf), LOG_SYSLOG, BLOG_ERR, "kvmschedd", &ts,
		   "first\nsecond\n\nfourth\n");
	CHECK_STR(buf, "<3>first\n<3>second\n<3>\n<3>fourth\n");
	log_format(buf, sizeof(buf), LOG_SYSLOG, BLOG_INFO, "x", &ts, "");
	CHECK_STR(buf, "<6>\n");
	/* No timestamp and no tag in this form. */
	CHECK(!strstr(buf, "x"), "tag in a syslog line: \"%s\"", buf);
	log_format(buf, sizeof(buf), LOG_SYSLOG, BLOG_INFO, "kvmschedd", &ts,
		   "a\nb");
	CHECK(all_lines_match(buf, "^<[3467]>[^<]"), "\"%s\"", buf);
}

static void test_plain_form(void)
{
	struct timespec ts = { .tv_sec = 1735732800, .tv_nsec = 123456789 };
	const char *re = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
			 "\\.123[+-][0-9]{4} balloond: ";
	char buf[256];

	/* UTC, so the time can be compared exactly (2025-01-01T12:00:00Z). */
	setenv("TZ", "UTC", 1);
	tzset();
	log_format(buf, sizeof(buf), LOG_PLAIN, BLOG_ERR, "kvmschedd", &ts,
		   "balloon 1024 -> 768 MiB");
	CHECK_STR(buf, "2025-01-01T12:00:00.123+0000 kvmschedd: balloon 1024 -> 768 MiB\n");
	log_format(buf, sizeof(buf), LOG_PLAIN, BLOG_DEBUG, "balloond", &ts,
		   "one\ntwo");
	CHECK_STR(buf, "2025-01-01T12:00:00.123+0000 balloond: one\n"
		  "2025-01-01T12:00:00.123+0000 balloond: two\n");
	CHECK(all_lines_match(buf, re), "\"%s\" !~ /%s/", buf, re);
	/* No priority prefix in this form. */
	CHECK(!strchr(buf, '<'), "\"%s\"", buf);
}

static void test_truncation(void)
{
	struct timespec ts = { 0 };
	char big[600], buf[64];
	size_t n;

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	n = log_format(buf, sizeof(buf), LOG_SYSLOG, BLOG_WARN, "k", &ts, big);
	/* Cut to fit, still one line ending in '\n', NUL terminated. */
	CHECK_INT(n, sizeof(buf) - 1);
	CHECK_INT(strlen(buf), sizeof(buf) - 1);
	CHECK_INT(buf[n - 1], '\n');
	CHECK(!strncmp(buf, "<4>aaa", 6), "\"%.10s\"", buf);
	CHECK(!strchr(buf, '\n') || strchr(buf, '\n') == buf + n - 1,
	      "one line: \"%s\"", buf);
	/* A second line that does not fit is left out, not half-prefixed. */
	n = log_format(buf, 12, LOG_SYSLOG, BLOG_INFO, "k", &ts, "1234567\nxyz");
	CHECK_STR(buf, "<6>1234567\n");
	CHECK_INT(n, 11);
	n = log_format(buf, 4, LOG_SYSLOG, BLOG_INFO, "k", &ts, "abc");
	CHECK_INT(n, 0);
	CHECK_STR(buf, "");
	CHECK_INT(log_format(buf, 0, LOG_SYSLOG, BLOG_INFO, "k", &ts, "abc"), 0);
}

static void test_journal(void)
{
	/* Arrange: fd 2 is dev 2049, inode 123456 (fstat()). */
	CHECK(log_is_journal("2049:123456", 2049, 123456), "same stream");
	CHECK(!log_is_journal("2049:123457", 2049, 123456), "other inode");
	CHECK(!log_is_journal("2048:123456", 2049, 123456), "other device");
	CHECK(!log_is_journal(NULL, 2049, 123456), "unset");
	CHECK(!log_is_journal("", 2049, 123456), "empty");
	CHECK(!log_is_journal("2049", 2049, 123456), "no inode");
	CHECK(!log_is_journal("2049:", 2049, 123456), "empty inode");
	CHECK(!log_is_journal(":123456", 2049, 123456), "empty device");
	CHECK(!log_is_journal("2049:123456x", 2049, 123456), "trailing junk");
	CHECK(!log_is_journal("-2049:123456", (uint64_t)-2049, 123456),
	      "negative");
	CHECK(!log_is_journal("2049:-123456", 2049, (uint64_t)-123456),
	      "negative inode");
	CHECK(log_is_journal("18446744073709551615:1", UINT64_MAX, 1),
	      "64-bit device");
	CHECK(!log_is_journal("18446744073709551616:1", 0, 1), "overflow");
}

int main(void)
{
	test_priority();
	test_syslog_form();
	test_plain_form();
	test_truncation();
	test_journal();
	return check_done("test_log");
}
