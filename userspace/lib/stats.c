// SPDX-License-Identifier: GPL-2.0
/* kvmschedctl: rates for top, and sorting; see stats.h. */
#include <stdlib.h>

#include "stats.h"

static const struct kvms_vm *find_vm(const struct kvms_vm *vms, size_t n,
				     uint32_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (KVMS_HAS(&vms[i], KVMSCHED_A_VM_ID) && vms[i].id == id)
			return &vms[i];
	return NULL;
}

static int row_cmp(const void *a, const void *b)
{
	const struct top_row *x = a, *y = b;

	if (x->has_cpu != y->has_cpu)
		return x->has_cpu ? -1 : 1;
	if (x->has_cpu && x->cpu_pct != y->cpu_pct)
		return x->cpu_pct > y->cpu_pct ? -1 : 1;
	return (x->vm->id > y->vm->id) - (x->vm->id < y->vm->id);
}

size_t top_compute(const struct kvms_vm *prev, size_t nprev,
		   const struct kvms_vm *cur, size_t ncur, uint64_t interval_ns,
		   struct top_row *rows)
{
	const uint64_t need = KVMS_BIT(KVMSCHED_A_VM_ID);
	size_t i;

	for (i = 0; i < ncur; i++) {
		const struct kvms_vm *c = &cur[i], *p = NULL;
		struct top_row *r = &rows[i];

		r->vm = c;
		r->has_cpu = false;
		r->has_wait = false;
		r->cpu_pct = 0;
		r->wait_pct = 0;
		if ((c->present & need) == need)
			p = find_vm(prev, nprev, c->id);
		if (!p || !interval_ns)
			continue;
		if (KVMS_HAS(c, KVMSCHED_A_VM_CPU_TIME_NS) &&
		    KVMS_HAS(p, KVMSCHED_A_VM_CPU_TIME_NS) &&
		    c->cpu_time_ns >= p->cpu_time_ns) {
			r->has_cpu = true;
			r->cpu_pct = 100.0 * (double)(c->cpu_time_ns -
						      p->cpu_time_ns) /
				     (double)interval_ns;
		}
		if (KVMS_HAS(c, KVMSCHED_A_VM_WAIT_TIME_NS) &&
		    KVMS_HAS(p, KVMSCHED_A_VM_WAIT_TIME_NS) &&
		    KVMS_HAS(c, KVMSCHED_A_VM_NR_VCPUS) && c->nr_vcpus &&
		    c->wait_time_ns >= p->wait_time_ns) {
			r->has_wait = true;
			r->wait_pct = 100.0 * (double)(c->wait_time_ns -
						       p->wait_time_ns) /
				      ((double)interval_ns * c->nr_vcpus);
		}
	}
	if (ncur)
		qsort(rows, ncur, sizeof(*rows), row_cmp);
	return ncur;
}

static int vm_cmp(const void *a, const void *b)
{
	const struct kvms_vm *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

void vms_sort_by_id(struct kvms_vm *vms, size_t n)
{
	if (n)
		qsort(vms, n, sizeof(*vms), vm_cmp);
}

static int vcpu_cmp(const void *a, const void *b)
{
	const struct kvms_vcpu *x = a, *y = b;

	if (x->vm_id != y->vm_id)
		return (x->vm_id > y->vm_id) - (x->vm_id < y->vm_id);
	return (x->vcpu_id > y->vcpu_id) - (x->vcpu_id < y->vcpu_id);
}

void vcpus_sort_by_id(struct kvms_vcpu *vcpus, size_t n)
{
	if (n)
		qsort(vcpus, n, sizeof(*vcpus), vcpu_cmp);
}
