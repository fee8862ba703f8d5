// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of userspace/lib/table.c: column widths and alignment.
 * No kernel, no netlink.
 *
 * Every CHECK compares against an independent expected value, so each can
 * fail.
 *
 * Output: one "not ok" line per failed check (with file:line and the values)
 * and a last line "test_table: N passed, N failed"; exit 1 on any failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "events.h"
#include "format.h"
#include "parse.h"
#include "stats.h"

#include "check.h"
#include "fixtures.h"

static void test_table(void)
{
	static const struct table_col cols[] = {
		{ "ID", true, false }, { "NAME", false, false },
		{ "CPU", true, false }, { "COMM", false, false },
	};
	const char *r1[] = { "1", "web1", "12", "qemu" };
	const char *r2[] = { "10", "x", "3", "kvmtest" };
	struct capture c;
	struct table t;

	table_init(&t, cols, 4);
	CHECK_INT(table_add(&t, r1), 0);
	CHECK_INT(table_add(&t, r2), 0);
	CHECK_INT(t.nrows, 2);
	cap_open(&c);
	table_print(&t, c.f);
	CHECK_STR(cap_text(&c),
		  "ID  NAME  CPU  COMM\n"
		  " 1  web1   12  qemu\n"
		  "10  x       3  kvmtest\n");
	cap_free(&c);
	table_free(&t);

	/* Header only when there are no rows. */
	table_init(&t, cols, 4);
	cap_open(&c);
	table_print(&t, c.f);
	CHECK_STR(cap_text(&c), "ID  NAME  CPU  COMM\n");
	cap_free(&c);
	table_free(&t);
}

int main(void)
{
	test_table();
	return check_done("test_table");
}
