/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tiny harness of the host unit tests: CHECK*() count passes and print
 * one "not ok" line per failure with file:line and the values; the test's
 * main() prints "<name>: N passed, N failed" (run.sh adds these up).
 * Included by exactly one .c file per test program.
 */
#ifndef KVMSCHEDCTL_TEST_CHECK_H
#define KVMSCHEDCTL_TEST_CHECK_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int npass, nfail;

static void check_(bool ok, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void check_(bool ok, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		npass++;
		return;
	}
	nfail++;
	printf("not ok - %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

#define CHECK(cond, ...) check_(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define CHECK_STR(got, want)						\
	do {								\
		const char *g_ = (got), *w_ = (want);			\
		CHECK(g_ && !strcmp(g_, w_), "%s: got \"%s\", want \"%s\"", \
		      #got, g_ ? g_ : "(null)", w_);			\
	} while (0)

#define CHECK_INT(got, want)						\
	do {								\
		long long g_ = (long long)(got), w_ = (long long)(want); \
		CHECK(g_ == w_, "%s: got %lld, want %lld", #got, g_, w_); \
	} while (0)

#define CHECK_HAS(hay, needle)						\
	do {								\
		const char *h_ = (hay), *n_ = (needle);			\
		CHECK(h_ && strstr(h_, n_), "%s: \"%s\" lacks \"%s\"", #hay, \
		      h_ ? h_ : "(null)", n_);				\
	} while (0)

/* The summary line; returns the exit status. */
static int check_done(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, npass, nfail);
	return nfail ? 1 : 0;
}

#endif /* KVMSCHEDCTL_TEST_CHECK_H */
