/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmschedctl: a writer of the Prometheus text exposition format (0.0.4),
 * for kvmschedctl metrics and the daemon's textfile. Pure (no libnl).
 *
 * A family is opened with prom_family(), which prints its "# HELP" and
 * "# TYPE" lines once; its samples follow with prom_sample(). A family's
 * samples must not be interleaved with another's (the format requires
 * them together), so callers loop over objects inside each family.
 */
#ifndef KVMSCHEDCTL_PROM_H
#define KVMSCHEDCTL_PROM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum prom_type {
	PROM_GAUGE,
	PROM_COUNTER,		/* the name gets "_total" if it lacks it */
};

struct prom_label {
	const char *name;	/* [a-zA-Z_][a-zA-Z0-9_]*, no "__" prefix */
	const char *value;	/* any UTF-8; escaped on output */
};

#define PROM_NAME_MAX	128
#define PROM_FAMILIES_MAX 256

struct prom {
	FILE *f;
	char cur[PROM_NAME_MAX];	/* the open family, "" before the first */
	size_t nfam;
	char *fam[PROM_FAMILIES_MAX];	/* families written so far */
	int err;			/* first error (negative errno), sticky */
};

void prom_init(struct prom *p, FILE *f);
/* Frees the family list; returns p->err, or -EIO if f had a write error. */
int prom_finish(struct prom *p);

/*
 * Open family name (a counter's name gets "_total" appended if missing):
 * prints "# HELP name help" and "# TYPE name type". Returns 0, -EINVAL for
 * a bad name, or -EEXIST if the family was written before (nothing is
 * printed and the following samples are refused until the next family).
 */
int prom_family(struct prom *p, const char *name, enum prom_type type,
		const char *help);

/*
 * One sample of the open family: "name{l1="v1",...} value". Labels with
 * a NULL value are left out. Returns 0, or -EINVAL (no open family, a bad
 * label name).
 */
int prom_sample(struct prom *p, const struct prom_label *labels,
		size_t nlabels, double value);

/*
 * Escape a label value ("\\" -> "\\\\", "\"" -> "\\\"", newline -> "\\n")
 * or, with help set, a HELP text (no quote escaping) into buf; truncated
 * at a character boundary, always terminated. Returns the length needed.
 */
size_t prom_escape(char *buf, size_t len, const char *s, bool help);

/* Whether s is a valid metric name / label name. */
bool prom_metric_name_ok(const char *s);
bool prom_label_name_ok(const char *s);

/*
 * Write a textfile for node_exporter's textfile collector atomically: fn
 * writes into a temporary file in path's directory, which is then flushed,
 * fsync()ed, made 0644 and renamed over path. Returns 0 or a negative
 * errno (fn's own negative return is passed on; the temporary is removed).
 */
int prom_textfile_write(const char *path, int (*fn)(FILE *f, void *arg),
			void *arg);

#endif /* KVMSCHEDCTL_PROM_H */
