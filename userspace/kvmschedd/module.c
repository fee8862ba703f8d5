// SPDX-License-Identifier: GPL-2.0
/* kvmschedd: targets and VMs from the kvmsched module. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "decode.h"
#include "format.h"
#include "log.h"

const char *reason_str(uint32_t reason)
{
	const char *s = balloon_reason_name(reason);

	return s ? s : "unknown";
}

/* A VM from a dump or an event: create or update; true if new target. */
static struct vm *vm_update(struct balloond *b, const struct kvms_vm *k,
			    int64_t now)
{
	struct vm *vm = vm_by_id(b, k->id);
	bool is_new = !vm;

	if (!vm) {
		vm = vm_new(b, b->qmp_timeout_ms);
		if (!vm)
			return NULL;
		vm->id = k->id;
		vm->retry_at = now;
	}
	if (KVMS_HAS(k, KVMSCHED_A_VM_PID) && k->pid != vm->pid) {
		if (vm->pid && qmp_connected(&vm->qmp))
			session_reset(vm);
		vm->pid = k->pid;
		/* Another VM with this id (a reloaded module numbers anew). */
		vm->policy_done = false;
		is_new = true;		/* its name is k's, even if absent */
	}
	if (KVMS_HAS(k, KVMSCHED_A_VM_NAME) || is_new)
		qmp_scopy(vm->name, sizeof(vm->name), k->name);
	if (KVMS_HAS(k, KVMSCHED_A_VM_GUEST_MEM_MIB))
		vm->guest_mem_mib = k->guest_mem_mib;
	if (KVMS_HAS(k, KVMSCHED_A_VM_BALLOON_REASON))
		vm->reason = k->balloon_reason;
	vm_label(vm);
	if (is_new)
		blog(1, "%s: tracked", vm->label);
	if (KVMS_HAS(k, KVMSCHED_A_VM_BALLOON_TARGET_MIB) && k->balloon_target_mib) {
		if (!vm->has_target || vm->target_mib != k->balloon_target_mib) {
			blog(1, "%s: target %u MiB (reason %s)", vm->label,
			     k->balloon_target_mib, reason_str(vm->reason));
			vm->dirty = true;
		}
		vm->has_target = true;
		vm->target_mib = k->balloon_target_mib;
	}
	vm->seen = true;
	policy_vm(b, vm);
	return vm;
}

static void module_down(struct balloond *b, const char *why)
{
	ipc_close(b->ev);
	ipc_close(b->req);
	b->ev = b->req = NULL;
	if (b->nl_up)
		blog(BLOG_WARN, "kvmsched: %s; keeping the current targets, waiting for the module",
		     why);
	b->nl_up = false;
	b->nl_retry_at = now_ms() + NL_RETRY_MS;
}

void module_dump(struct balloond *b, int64_t now)
{
	struct kvms_vm *v = NULL;
	struct vm *vm;
	size_t n = 0, i;
	char why[512];
	int rc;

	b->need_dump = false;
	b->dump_at = now + b->resync_ms;
	rc = ipc_vm_dump(b->req, &v, &n, NULL);
	if (rc) {
		describe_error(why, sizeof(why), rc, ipc_error(b->req));
		if (!ipc_family_present(b->req)) {
			module_down(b, "the module was unloaded");
			return;
		}
		blog(BLOG_WARN, "kvmsched: vm-get dump failed: %s; retrying in %d ms",
		     why, b->interval_ms);
		b->dump_at = now + b->interval_ms;
		return;
	}
	for (vm = b->vms; vm; vm = vm->next)
		vm->seen = false;
	for (i = 0; i < n; i++)
		vm_update(b, &v[i], now);
	free(v);
	vm_free_unseen(b, "gone (not in the module's dump)");
	blog(1, "kvmsched: dump: %zu VM%s", n, n == 1 ? "" : "s");
}

void module_connect(struct balloond *b, int64_t now)
{
	int rc;

	b->nl_retry_at = now + NL_RETRY_MS;
	rc = ipc_open(&b->ev);
	if (!rc) {
		rc = ipc_events_join(b->ev);
		if (!rc)
			rc = ipc_open(&b->req);
		if (rc) {
			ipc_close(b->ev);
			b->ev = NULL;
		}
	}
	if (rc) {
		if (!b->nl_down_logged)
			blog(BLOG_WARN, "kvmsched: %s; retrying every %d s",
			     rc == -ENOENT ? "module not loaded (no \"kvmsched\" generic netlink family)" :
					     strerror(-rc),
			     NL_RETRY_MS / 1000);
		b->nl_down_logged = true;
		return;
	}
	blog(0, "kvmsched: connected to the module%s",
	     b->nl_ever_up ? " again" : "");
	b->nl_up = b->nl_ever_up = true;
	b->nl_down_logged = false;
	b->report_unsupported = false;
	/* Every VM is new to a reloaded module: the policy again. */
	policy_module_up(b);
	module_dump(b, now);
}

static void on_nl_event(const struct kvms_event *ev, void *arg)
{
	const struct kvms_vm *k = &ev->vm;
	struct balloond *b = arg;
	struct vm *vm;

	if (ev->cmd == KVMS_EVENT_FAMILY_GONE) {
		b->family_gone = true;	/* module_read() closes the socket */
		return;
	}
	/* Other events (configuration, a newer kernel's) do not concern us. */
	switch (ev->cmd) {
	case KVMSCHED_CMD_VM_DEL_NTF:
		vm = vm_by_id(b, k->id);
		if (vm)
			vm_remove(b, vm, "gone");
		break;
	case KVMSCHED_CMD_BALLOON_TARGET_NTF:
	case KVMSCHED_CMD_VM_ADD_NTF:
	case KVMSCHED_CMD_VM_CHANGE_NTF:
		vm_update(b, k, now_ms());
		break;
	}
}

void module_read(struct balloond *b)
{
	int rc = ipc_events_read(b->ev, on_nl_event, b);

	if (b->family_gone) {
		b->family_gone = false;
		b->need_dump = false;
		module_down(b, "the module was unloaded");
		return;
	}
	if (rc == -ENOBUFS) {
		blog(BLOG_WARN, "kvmsched: events were lost (receive buffer overrun); dumping again");
		b->need_dump = true;
	} else if (rc == -EPROTO) {
		blog(BLOG_WARN, "kvmsched: ignored a malformed event");
	} else if (rc && rc != -EAGAIN) {
		char why[512];

		describe_error(why, sizeof(why), rc, ipc_error(b->ev));
		module_down(b, why);
	}
}
