// SPDX-License-Identifier: GPL-2.0
/* kvmschedd: one VM: read, apply and report its balloon. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "daemon.h"
#include "format.h"
#include "log.h"
#include "units.h"

/* query-balloon; false if the session is gone or has no balloon. */
static bool vm_query(struct vm *vm, int64_t now)
{
	uint64_t actual;
	int rc = qmp_query_balloon(&vm->qmp, &actual);

	if (rc == -EREMOTEIO) {
		if (!vm->no_balloon)
			blog(0, "%s: %s; skipped (checked again every %d s)",
			     vm->label, vm->qmp.err, NO_BALLOON_RETRY_MS / 1000);
		vm->no_balloon = true;
		/* Free the monitor for other clients meanwhile. */
		session_reset(vm);
		vm->retry_at = now + NO_BALLOON_RETRY_MS;
		return false;
	}
	if (rc) {
		session_lost(vm, now, "query-balloon");
		return false;
	}
	if (vm->no_balloon) {
		blog(0, "%s: balloon device present now", vm->label);
		vm->no_balloon = false;
	}
	vm->have_actual = true;
	vm->actual_mib = to_mib(actual);
	return true;
}

static void vm_apply(struct balloond *b, struct vm *vm, int64_t now,
		     const char *why)
{
	const char *reason = b->targets_file ? "targets file" :
					       reason_str(vm->reason);
	int rc;

	rc = qmp_balloon(&vm->qmp, (uint64_t)vm->target_mib * MIB);
	if (rc == -EREMOTEIO) {
		blog(BLOG_ERR, "%s: balloon %u MiB refused: %s", vm->label,
		     vm->target_mib, vm->qmp.err);
		/* Do not retry every tick: as if applied. */
	} else if (rc) {
		session_lost(vm, now, "balloon");
		return;
	} else {
		blog(0, "%s: balloon %u -> %u MiB (%s%s%s)", vm->label,
		     vm->actual_mib, vm->target_mib,
		     b->targets_file ? "" : "reason ", reason, why);
	}
	vm->applied = true;
	vm->applied_mib = vm->target_mib;
	vm->applied_at = now;
	vm->best_dist = mib_dist(vm->actual_mib, vm->target_mib);
	vm->dirty = false;
}

/* Read the guest statistics; figures in MiB or -1. */
static void vm_stats(struct balloond *b, struct vm *vm, int64_t now,
		     int64_t *free_mib, int64_t *avail_mib, int64_t *total_mib)
{
	struct qmp_guest_stats st;
	int rc;

	*free_mib = *avail_mib = *total_mib = -1;
	if (!vm->dev_tried) {
		vm->dev_tried = true;
		rc = qmp_find_balloon(&vm->qmp, vm->dev, sizeof(vm->dev));
		if (rc == -ENODEV || rc == -EREMOTEIO) {
			vm->dev[0] = '\0';
			log_changed(vm->stats_err, sizeof(vm->stats_err),
				    "%s: no guest statistics: %s", vm->label,
				    vm->qmp.err);
			return;
		}
		if (rc) {
			session_lost(vm, now, "qom-list");
			return;
		}
		blog(1, "%s: balloon device %s", vm->label, vm->dev);
	}
	if (!vm->dev[0])
		return;
	if (!vm->stats_set) {
		vm->stats_set = true;
		rc = qmp_set_stats_interval(&vm->qmp, vm->dev,
					    b->stats_interval_s);
		if (rc == -EREMOTEIO) {
			log_changed(vm->stats_err, sizeof(vm->stats_err),
				    "%s: cannot set guest-stats-polling-interval: %s",
				    vm->label, vm->qmp.err);
		} else if (rc) {
			session_lost(vm, now, "qom-set");
			return;
		} else {
			blog(1, "%s: guest-stats-polling-interval %d s",
			     vm->label, b->stats_interval_s);
		}
	}
	rc = qmp_guest_stats(&vm->qmp, vm->dev, &st);
	if (rc == -EAGAIN) {
		blog(1, "%s: guest statistics not reported yet", vm->label);
		return;
	}
	if (rc == -EREMOTEIO || rc == -EPROTO) {
		if (qmp_connected(&vm->qmp)) {
			log_changed(vm->stats_err, sizeof(vm->stats_err),
				    "%s: guest statistics: %s", vm->label,
				    vm->qmp.err);
			return;
		}
	}
	if (rc) {
		session_lost(vm, now, "qom-get guest-stats");
		return;
	}
	vm->stats_err[0] = '\0';
	if (st.free >= 0)
		*free_mib = st.free / (int64_t)MIB;
	if (st.available >= 0)
		*avail_mib = st.available / (int64_t)MIB;
	if (st.total >= 0)
		*total_mib = st.total / (int64_t)MIB;
}

static void vm_report(struct balloond *b, struct vm *vm, int64_t free_mib,
		      int64_t avail_mib)
{
	uint32_t f, a, act, cap = vm->guest_mem_mib;
	const struct ipc_error *e;
	char why[512];
	int rc;

	if (!b->nl_up || b->report_unsupported || !vm->id)
		return;
	/* The module refuses figures above the guest RAM. */
	if (!cap)
		cap = UINT32_MAX;
	act = vm->actual_mib < cap ? vm->actual_mib : cap;
	f = free_mib < 0 ? 0 : free_mib < cap ? (uint32_t)free_mib : cap;
	a = avail_mib < 0 ? 0 : avail_mib < cap ? (uint32_t)avail_mib : cap;
	rc = ipc_vm_mem_report(b->req, vm->id, free_mib >= 0 ? &f : NULL,
			       avail_mib >= 0 ? &a : NULL, &act);
	if (!rc) {
		vm->report_err[0] = '\0';
		return;
	}
	e = ipc_error(b->req);
	describe_error(why, sizeof(why), rc, e);
	if (rc == -EOPNOTSUPP) {
		blog(BLOG_WARN, "the kvmsched module does not take vm-mem-report (%s); not reporting",
		     why);
		b->report_unsupported = true;
		return;
	}
	if (rc == -ENOENT)	/* the VM went away: the next dump will say */
		b->need_dump = true;
	log_changed(vm->report_err, sizeof(vm->report_err),
		    "%s: vm-mem-report (actual %u, free %" PRId64 ", avail %" PRId64 " MiB) failed: %s",
		    vm->label, act, free_mib, avail_mib, why);
}

/*
 * Service one VM: connect when due, read the balloon, apply a new target
 * (or re-apply after a new session or drift), and with full also read the
 * guest statistics and report them.
 */
void vm_service(struct balloond *b, struct vm *vm, int64_t now,
		bool full)
{
	int64_t free_mib, avail_mib, total_mib;
	uint32_t t = vm->target_mib, d;

	if (!qmp_connected(&vm->qmp) && !vm_connect(b, vm, now))
		return;
	if (!vm_query(vm, now))
		return;
	if (vm->has_target && t) {
		d = mib_dist(vm->actual_mib, t);
		if (!vm->applied) {
			/* A new session: the VMM may have restarted. */
			vm_apply(b, vm, now, vm->applied_at ?
					     "; new QMP session" : "");
		} else if (vm->applied_mib != t) {
			vm_apply(b, vm, now, "");
		} else if (d < vm->best_dist) {
			vm->best_dist = d;
		} else if (full && d > vm->best_dist + 1 &&
			   now - vm->applied_at >= b->reapply_ms) {
			/*
			 * Moved away from the target after getting closer:
			 * someone else set the balloon, or the guest deflated
			 * on OOM. A guest that cannot reach it just stalls.
			 */
			blog(0, "%s: actual %u MiB drifted away from the target %u MiB (it had come within %u MiB)",
			     vm->label, vm->actual_mib, t, vm->best_dist);
			vm_apply(b, vm, now, "; actual drifted");
		}
		if (!qmp_connected(&vm->qmp))
			return;
	}
	vm->dirty = false;
	if (!full)
		return;
	vm_stats(b, vm, now, &free_mib, &avail_mib, &total_mib);
	if (!qmp_connected(&vm->qmp))
		return;
	blog(1, "%s: actual %u MiB, guest free %" PRId64 ", available %" PRId64 ", total %" PRId64 " MiB%s",
	     vm->label, vm->actual_mib, free_mib, avail_mib, total_mib,
	     free_mib < 0 && avail_mib < 0 ? " (-1: not reported)" : "");
	vm_report(b, vm, free_mib, avail_mib);
}
