// SPDX-License-Identifier: GPL-2.0
/*
 * kvmschedctl: the Prometheus text exposition format writer (prom.h).
 * https://prometheus.io/docs/instrumenting/exposition_formats/
 */
#define _GNU_SOURCE		/* mkostemp() */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "prom.h"

void prom_init(struct prom *p, FILE *f)
{
	memset(p, 0, sizeof(*p));
	p->f = f;
}

int prom_finish(struct prom *p)
{
	size_t i;

	for (i = 0; i < p->nfam; i++)
		free(p->fam[i]);
	p->nfam = 0;
	if (!p->err && (fflush(p->f) || ferror(p->f)))
		p->err = -EIO;
	return p->err;
}

static bool name_ok(const char *s, bool colon)
{
	const char *c;

	if (!s || !*s || strlen(s) >= PROM_NAME_MAX - 6)
		return false;
	for (c = s; *c; c++) {
		bool alpha = (*c >= 'a' && *c <= 'z') ||
			     (*c >= 'A' && *c <= 'Z') || *c == '_' ||
			     (colon && *c == ':');

		if (!alpha && !(c != s && *c >= '0' && *c <= '9'))
			return false;
	}
	return true;
}

bool prom_metric_name_ok(const char *s)
{
	return name_ok(s, true);
}

bool prom_label_name_ok(const char *s)
{
	/* Names starting with "__" are reserved for Prometheus itself. */
	return name_ok(s, false) && strncmp(s, "__", 2);
}

/* The escape of c, or NULL if c stands for itself. */
static const char *escape_of(char c, bool help)
{
	switch (c) {
	case '\\':
		return "\\\\";
	case '\n':
		return "\\n";
	case '"':
		return help ? NULL : "\\\"";
	default:
		return NULL;
	}
}

size_t prom_escape(char *buf, size_t len, const char *s, bool help)
{
	size_t need = 0, out = 0;

	for (; *s; s++) {
		const char *e = escape_of(*s, help);
		size_t n = e ? strlen(e) : 1;

		if (len && out == need && out + n < len) {
			memcpy(buf + out, e ? e : s, n);
			out += n;
		}
		need += n;
	}
	if (len)
		buf[out] = '\0';
	return need;
}

static void put_escaped(FILE *f, const char *s, bool help)
{
	for (; *s; s++) {
		const char *e = escape_of(*s, help);

		if (e)
			fputs(e, f);
		else
			fputc(*s, f);
	}
}

static int fail(struct prom *p, int err)
{
	if (!p->err)
		p->err = err;
	return err;
}

int prom_family(struct prom *p, const char *name, enum prom_type type,
		const char *help)
{
	char full[PROM_NAME_MAX];
	size_t i, n;

	p->cur[0] = '\0';
	if (!prom_metric_name_ok(name))
		return fail(p, -EINVAL);
	n = strlen(name);
	snprintf(full, sizeof(full), "%s%s", name,
		 type == PROM_COUNTER &&
		 (n < 6 || strcmp(name + n - 6, "_total")) ? "_total" : "");
	for (i = 0; i < p->nfam; i++)
		if (!strcmp(p->fam[i], full))
			return fail(p, -EEXIST);
	if (p->nfam == PROM_FAMILIES_MAX)
		return fail(p, -ENOSPC);
	p->fam[p->nfam] = strdup(full);
	if (!p->fam[p->nfam])
		return fail(p, -ENOMEM);
	p->nfam++;
	fprintf(p->f, "# HELP %s ", full);
	put_escaped(p->f, help, true);
	fprintf(p->f, "\n# TYPE %s %s\n", full,
		type == PROM_COUNTER ? "counter" : "gauge");
	memcpy(p->cur, full, sizeof(full));
	return 0;
}

int prom_sample(struct prom *p, const struct prom_label *labels,
		size_t nlabels, double value)
{
	bool first = true;
	size_t i;

	if (!p->cur[0])
		return fail(p, -EINVAL);
	for (i = 0; i < nlabels; i++)
		if (labels[i].value && !prom_label_name_ok(labels[i].name))
			return fail(p, -EINVAL);
	fputs(p->cur, p->f);
	for (i = 0; i < nlabels; i++) {
		if (!labels[i].value)
			continue;
		fprintf(p->f, "%s%s=\"", first ? "{" : ",", labels[i].name);
		put_escaped(p->f, labels[i].value, false);
		fputc('"', p->f);
		first = false;
	}
	if (!first)
		fputc('}', p->f);
	if (isnan(value))
		fputs(" NaN\n", p->f);
	else if (isinf(value))
		fputs(value > 0 ? " +Inf\n" : " -Inf\n", p->f);
	else if (value == (double)(long long)value && fabs(value) < 1e15)
		fprintf(p->f, " %lld\n", (long long)value);
	else
		fprintf(p->f, " %.15g\n", value);
	return 0;
}

int prom_textfile_write(const char *path, int (*fn)(FILE *f, void *arg),
			void *arg)
{
	size_t n = strlen(path);
	char *tmp = malloc(n + 16);
	FILE *f = NULL;
	int fd, rc;

	if (!tmp)
		return -ENOMEM;
	/* "PATH.XXXXXX": node_exporter reads only names ending in .prom. */
	snprintf(tmp, n + 16, "%s.XXXXXX", path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		free(tmp);
		return rc;
	}
	f = fdopen(fd, "w");
	if (!f) {
		rc = -errno;
		close(fd);
		goto err;
	}
	rc = fn(f, arg);
	if (rc)
		goto err_f;
	errno = 0;
	if (fflush(f) || ferror(f) || fchmod(fd, 0644) || fsync(fd)) {
		rc = errno ? -errno : -EIO;
		goto err_f;
	}
	if (fclose(f)) {
		f = NULL;
		rc = -errno;
		goto err;
	}
	if (rename(tmp, path)) {
		rc = -errno;
		goto err;
	}
	free(tmp);
	return 0;
err_f:
	fclose(f);
err:
	unlink(tmp);
	free(tmp);
	return rc;
}
