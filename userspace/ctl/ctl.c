// SPDX-License-Identifier: GPL-2.0
/* kvmschedctl: helpers shared by the subcommands; see ctl.h. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "decode.h"
#include "format.h"
#include "stats.h"

#define NOT_LOADED \
	"kvmsched module is not loaded (generic netlink family \"" \
	KVMSCHED_FAMILY_NAME "\" not found)"

struct ctl_opts ctl;

int ctl_open(struct ipc **ipc)
{
	int rc = ipc_open(ipc);

	if (!rc)
		return EXIT_OK;
	if (rc == -ENOENT)
		ctl_err(NOT_LOADED);
	else
		ctl_err("cannot open a generic netlink socket: %s",
			strerror(-rc));
	return EXIT_FAIL;
}

int ctl_ipc_fail(struct ipc *ipc, int rc, const char *fmt, ...)
{
	const struct ipc_error *e = ipc_error(ipc);
	char why[1024];
	va_list ap;

	/* The family went away under us (rmmod): say so plainly. */
	if (rc == -ENOENT && !e->msg[0] && !e->attr[0] &&
	    !ipc_family_present(ipc)) {
		ctl_err(NOT_LOADED);
		return EXIT_FAIL;
	}
	if (rc == -EPROTO) {	/* a reply that does not decode: name the attribute */
		char what[160];

		snprintf(why, sizeof(why), "the kernel's reply does not decode: %s",
			 decode_last_error(what, sizeof(what)));
	} else {
		describe_error(why, sizeof(why), rc, e);
	}
	fflush(stdout);
	fputs(PROG_NAME ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", why);
	return EXIT_FAIL;
}

int ctl_vm_dump(struct ipc *ipc, struct kvms_vm **vms, size_t *n)
{
	bool intr = false;
	int attempt, rc;

	for (attempt = 0;; attempt++) {
		rc = ipc_vm_dump(ipc, vms, n, &intr);
		if (rc || !intr)
			break;
		if (attempt == CTL_DUMP_RETRIES) {
			ctl_err("warning: VMs came or went during each of %d dumps; this one may be inconsistent",
				attempt + 1);
			break;
		}
		free(*vms);
	}
	if (!rc)
		vms_sort_by_id(*vms, *n);
	return rc;
}

int ctl_resolve(struct ipc *ipc, const struct vm_selector *sel, uint32_t *id)
{
	struct kvms_vm *vms = NULL;
	char err[ERRLEN];
	size_t n = 0, idx = 0;
	int rc;

	if (sel->kind == SEL_ID) {
		*id = sel->num;		/* the kernel says if it exists */
		return EXIT_OK;
	}
	rc = ctl_vm_dump(ipc, &vms, &n);
	if (rc)
		return ctl_ipc_fail(ipc, rc, "list VMs");
	rc = selector_match(sel, vms, n, &idx, err, sizeof(err));
	if (!rc)
		*id = vms[idx].id;
	free(vms);
	if (rc) {
		ctl_err("%s", err);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int ctl_selector(const char *cmd, const char *usage, const char *arg,
		 struct vm_selector *sel)
{
	char err[ERRLEN];

	if (parse_selector(arg, sel, err, sizeof(err)))
		return ctl_usage_err(cmd, usage, "%s", err);
	return EXIT_OK;
}
