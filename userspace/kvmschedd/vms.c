// SPDX-License-Identifier: GPL-2.0
/* kvmschedd: the VM list and each VM's session state. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "log.h"

void vm_label(struct vm *vm)
{
	if (vm->id && vm->name[0])
		snprintf(vm->label, sizeof(vm->label), "vm %u (name %s, pid %u)",
			 vm->id, vm->name, vm->pid);
	else if (vm->id)
		snprintf(vm->label, sizeof(vm->label), "vm %u (pid %u)", vm->id,
			 vm->pid);
	else
		snprintf(vm->label, sizeof(vm->label), "vm %s", vm->key);
}

struct vm *vm_new(struct balloond *b, int timeout_ms)
{
	struct vm *vm = calloc(1, sizeof(*vm));

	if (!vm)
		return NULL;
	qmp_init(&vm->qmp, timeout_ms);
	vm->next = b->vms;
	b->vms = vm;
	return vm;
}

void vm_remove(struct balloond *b, struct vm *vm, const char *why)
{
	struct vm **pp;

	for (pp = &b->vms; *pp; pp = &(*pp)->next) {
		if (*pp == vm) {
			*pp = vm->next;
			blog(0, "%s: %s; session closed", vm->label, why);
			qmp_close(&vm->qmp);
			free(vm);
			return;
		}
	}
}

void vm_free_unseen(struct balloond *b, const char *why)
{
	struct vm **pp = &b->vms;

	while (*pp) {
		struct vm *vm = *pp;

		if (vm->seen) {
			pp = &vm->next;
			continue;
		}
		blog(0, "%s: %s; session closed", vm->label, why);
		qmp_close(&vm->qmp);
		*pp = vm->next;
		free(vm);
	}
}

/* Forget the session: the next one starts from scratch. */
void session_reset(struct vm *vm)
{
	qmp_close(&vm->qmp);
	vm->dev[0] = '\0';
	vm->dev_tried = vm->stats_set = false;
	vm->applied = false;
	vm->have_actual = false;
}

void session_lost(struct vm *vm, int64_t now, const char *what)
{
	char err[sizeof(vm->qmp.err)];

	qmp_scopy(err, sizeof(err), vm->qmp.err);
	session_reset(vm);
	vm->backoff_ms = BACKOFF_MIN_MS;
	vm->fails = 1;
	vm->retry_at = now + vm->backoff_ms;
	blog(BLOG_WARN, "%s: QMP session lost during %s (%s); reconnecting in %.1f s",
	     vm->label, what, err, vm->backoff_ms / 1000.0);
	vm->conn_err[0] = '\0';
}

struct vm *vm_by_id(struct balloond *b, uint32_t id)
{
	struct vm *vm;

	for (vm = b->vms; vm; vm = vm->next)
		if (vm->id == id)
			return vm;
	return NULL;
}
