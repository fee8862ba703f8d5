// SPDX-License-Identifier: GPL-2.0
/* kvmschedd: host memory pressure, reported to the module. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "decode.h"
#include "log.h"
#include "readfile.h"

/* "some avg10=12.34 ..." -> 1234 basis points. */
static int psi_parse(const char *text, uint32_t *bp)
{
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, "some ", 5)) {
			const char *eol = strchr(p, '\n');
			const char *a = strstr(p, "avg10=");
			uint32_t ip = 0, frac = 0;
			int nd = 0;

			if (!a || (eol && a > eol))
				return -EINVAL;
			a += 6;
			if (!isdigit((unsigned char)*a))
				return -EINVAL;
			for (; isdigit((unsigned char)*a); a++) {
				ip = ip * 10 + (uint32_t)(*a - '0');
				if (ip > 100)
					return -EINVAL;
			}
			if (*a == '.')
				for (a++; isdigit((unsigned char)*a); a++, nd++)
					if (nd < 2)
						frac = frac * 10 +
						       (uint32_t)(*a - '0');
			if (nd == 1)
				frac *= 10;
			*bp = ip * 100 + frac;
			if (*bp > 10000)
				*bp = 10000;
			return 0;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -EINVAL;
}

void psi_tick(struct balloond *b)
{
	char buf[512], why[512];
	size_t n = 0;
	uint32_t bp;
	int rc;

	rc = read_file(PSI_FILE, buf, sizeof(buf) - 1, &n);
	if (!rc) {
		buf[n] = '\0';
		rc = psi_parse(buf, &bp);
	}
	if (rc) {
		if (!b->psi_unsupported_logged)
			blog(BLOG_WARN, "host PSI: cannot read %s (%s); not reported",
			     PSI_FILE, rc == -EINVAL ? "unexpected format" :
						       strerror(-rc));
		b->psi_unsupported_logged = true;
		return;
	}
	if (!b->psi_logged || bp != b->last_psi_bp)
		blog(1, "host memory PSI some avg10 %u.%02u %% (%u bp)",
		     bp / 100, bp % 100, bp);
	b->psi_logged = true;
	b->last_psi_bp = bp;
	if (!b->nl_up || b->report_unsupported)
		return;
	rc = ipc_host_mem_report(b->req, bp);
	if (!rc) {
		b->host_report_err[0] = '\0';
		return;
	}
	describe_error(why, sizeof(why), rc, ipc_error(b->req));
	log_changed(b->host_report_err, sizeof(b->host_report_err),
		    "kvmsched: host-mem-report %u bp failed: %s", bp, why);
}
