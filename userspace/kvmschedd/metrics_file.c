// SPDX-License-Identifier: GPL-2.0
/*
 * kvmschedd: --metrics-textfile PATH: kvmschedctl metrics written for
 * node_exporter's textfile collector every --metrics-interval seconds,
 * atomically (lib/prom.h). While the module is away the file is left as
 * it was (node_exporter's node_textfile_mtime_seconds shows its age).
 */
#include <string.h>

#include "daemon.h"
#include "metrics.h"
#include "prom.h"

static int render(FILE *f, void *arg)
{
	return metrics_render(f, arg);
}

void metrics_tick(struct balloond *b, int64_t now)
{
	struct metrics_snap s;
	int rc;

	if (!b->metrics_file || now < b->metrics_at)
		return;
	b->metrics_at = now + (int64_t)b->metrics_interval_s * 1000;
	if (!b->nl_up)
		return;
	rc = metrics_fetch(b->req, &s);
	if (!rc)
		rc = prom_textfile_write(b->metrics_file, render, &s);
	metrics_snap_free(&s);
	if (rc)
		log_changed(b->metrics_err, sizeof(b->metrics_err),
			    "--metrics-textfile %s: %s", b->metrics_file,
			    strerror(-rc));
	else if (b->metrics_err[0])
		blog(0, "--metrics-textfile %s: written again", b->metrics_file);
	if (!rc)
		b->metrics_err[0] = '\0';
}
