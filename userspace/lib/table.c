// SPDX-License-Identifier: GPL-2.0
/* kvmschedctl: text tables with aligned columns; see table.h. Pure. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

void table_init(struct table *t, const struct table_col *cols,
		unsigned int ncols)
{
	memset(t, 0, sizeof(*t));
	t->cols = cols;
	t->ncols = ncols;
}

int table_add(struct table *t, const char *const *cells)
{
	unsigned int i;
	char **row;

	if (t->nrows == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		char **n = realloc(t->cells, cap * t->ncols * sizeof(*n));

		if (!n)
			return -ENOMEM;
		t->cells = n;
		t->cap = cap;
	}
	row = t->cells + t->nrows * t->ncols;
	for (i = 0; i < t->ncols; i++) {
		row[i] = strdup(cells[i] ? cells[i] : "");
		if (!row[i]) {
			while (i--)
				free(row[i]);
			return -ENOMEM;
		}
	}
	t->nrows++;
	return 0;
}

static void table_line(const struct table *t, const size_t *width,
		       const char *const *cells, FILE *f)
{
	unsigned int i;

	for (i = 0; i < t->ncols; i++) {
		size_t len = strlen(cells[i]);
		bool last = i + 1 == t->ncols;

		if (i)
			fputs("  ", f);
		if (t->cols[i].right)
			fprintf(f, "%*s", (int)width[i], cells[i]);
		else if (last)
			fputs(cells[i], f);
		else
			fprintf(f, "%s%*s", cells[i], (int)(width[i] - len), "");
	}
	fputc('\n', f);
}

void table_print(const struct table *t, FILE *f)
{
	const char *hdr[32];
	size_t width[32];
	unsigned int i, n = t->ncols < 32 ? t->ncols : 32;
	size_t r;

	for (i = 0; i < n; i++) {
		hdr[i] = t->cols[i].title;
		width[i] = strlen(hdr[i]);
	}
	for (r = 0; r < t->nrows; r++)
		for (i = 0; i < n; i++) {
			size_t len = strlen(t->cells[r * t->ncols + i]);

			if (len > width[i])
				width[i] = len;
		}
	table_line(t, width, hdr, f);
	for (r = 0; r < t->nrows; r++)
		table_line(t, width,
			   (const char *const *)t->cells + r * t->ncols, f);
}

void table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}
