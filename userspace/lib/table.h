/* SPDX-License-Identifier: GPL-2.0 */
/* kvmschedctl: text tables with aligned columns. Pure. */
#ifndef KVMSCHEDCTL_TABLE_H
#define KVMSCHEDCTL_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct table_col {
	const char *title;
	bool right;		/* right-aligned (numbers) */
	bool wide;		/* only in the long listing (list -l) */
};

struct table {
	const struct table_col *cols;
	unsigned int ncols;
	char **cells;		/* nrows * ncols, row-major */
	size_t nrows, cap;
};

void table_init(struct table *t, const struct table_col *cols,
		unsigned int ncols);
/* Copies the ncols strings; -ENOMEM on failure. */
int table_add(struct table *t, const char *const *cells);
/* Header and rows, columns two spaces apart, no trailing blanks. */
void table_print(const struct table *t, FILE *f);
void table_free(struct table *t);

#endif /* KVMSCHEDCTL_TABLE_H */
