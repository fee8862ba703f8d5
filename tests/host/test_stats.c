// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of userspace/lib/stats.c: top's rates and the sorting.
 * No kernel, no netlink.
 *
 * Every CHECK compares against an independent expected value, so each can
 * fail.
 *
 * Output: one "not ok" line per failed check (with file:line and the values)
 * and a last line "test_stats: N passed, N failed"; exit 1 on any failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "events.h"
#include "format.h"
#include "parse.h"
#include "stats.h"

#include "check.h"
#include "fixtures.h"

static struct kvms_vm sample(uint32_t id, uint32_t vcpus, uint64_t cpu,
			     uint64_t wait)
{
	struct kvms_vm vm = mkvm(id, id * 10, NULL);

	vm.present |= KVMS_BIT(KVMSCHED_A_VM_NR_VCPUS) |
		      KVMS_BIT(KVMSCHED_A_VM_CPU_TIME_NS) |
		      KVMS_BIT(KVMSCHED_A_VM_WAIT_TIME_NS);
	vm.nr_vcpus = vcpus;
	vm.cpu_time_ns = cpu;
	vm.wait_time_ns = wait;
	return vm;
}

static bool near(double a, double b)
{
	return fabs(a - b) < 1e-9;
}

static void test_top(void)
{
	const uint64_t s = 1000000000ull;
	struct kvms_vm prev[4], cur[5];
	struct top_row rows[5];

	prev[0] = sample(1, 2, 1 * s, 0);
	prev[1] = sample(2, 1, 5 * s, s);
	prev[2] = sample(4, 1, 9 * s, 0);	/* gone in cur */
	cur[0] = sample(1, 2, 1 * s + s / 2, s / 5);	/* 50%, 10% of 2 vCPUs */
	cur[1] = sample(2, 1, 5 * s + 4 * s / 5, s + s / 2); /* 80%, 50% */
	cur[2] = sample(3, 4, 7 * s, 0);		/* new: no rate */
	cur[3] = sample(5, 0, 0, 0);			/* new, no vCPU */
	prev[2].id = 5;		/* same id, counters went back: no rate */
	prev[2].cpu_time_ns = 3 * s;
	prev[2].wait_time_ns = 0;
	prev[3] = sample(6, 1, 2 * s, 0);
	cur[4] = sample(6, 1, 2 * s, 0);		/* idle: 0%, but a rate */

	CHECK_INT(top_compute(prev, 4, cur, 5, s, rows), 5);
	/* Sorted: rates first, highest CPU first, then by id. */
	CHECK_INT(rows[0].vm->id, 2);
	CHECK(rows[0].has_cpu && near(rows[0].cpu_pct, 80.0),
	      "VM 2 CPU%% %f, want 80", rows[0].cpu_pct);
	CHECK(rows[0].has_wait && near(rows[0].wait_pct, 50.0),
	      "VM 2 WAIT%% %f, want 50", rows[0].wait_pct);
	CHECK_INT(rows[1].vm->id, 1);
	CHECK(rows[1].has_cpu && near(rows[1].cpu_pct, 50.0),
	      "VM 1 CPU%% %f, want 50", rows[1].cpu_pct);
	CHECK(rows[1].has_wait && near(rows[1].wait_pct, 10.0),
	      "VM 1 WAIT%% %f, want 10 (0.2 s / (1 s x 2 vCPUs))",
	      rows[1].wait_pct);
	CHECK_INT(rows[2].vm->id, 6);	/* an idle VM before VMs without rate */
	CHECK(rows[2].has_cpu && rows[2].cpu_pct == 0.0, "idle VM 6: %d %f",
	      rows[2].has_cpu, rows[2].cpu_pct);
	CHECK_INT(rows[3].vm->id, 3);
	CHECK(!rows[3].has_cpu && !rows[3].has_wait, "new VM 3 has a rate");
	CHECK_INT(rows[4].vm->id, 5);
	CHECK(!rows[4].has_cpu, "VM 5 whose counters went back has a CPU rate");
	CHECK(!rows[4].has_wait, "VM 5 without vCPUs has a WAIT rate");

	/* Over half a second the same deltas are twice the rate. */
	top_compute(prev, 2, cur, 2, s / 2, rows);
	CHECK(near(rows[0].cpu_pct, 160.0), "VM 2 CPU%% %f over 0.5 s, want 160",
	      rows[0].cpu_pct);
	/* A zero interval gives no rate rather than a division by zero. */
	top_compute(prev, 2, cur, 2, 0, rows);
	CHECK(!rows[0].has_cpu && !rows[1].has_cpu, "rate over a 0 ns interval");
	CHECK_INT(top_compute(prev, 0, cur, 0, s, rows), 0);
}

static void test_sort(void)
{
	struct kvms_vm vms[3] = { mkvm(9, 1, NULL), mkvm(2, 1, NULL),
				  mkvm(5, 1, NULL) };
	struct kvms_vcpu v[3] = {
		{ .vm_id = 2, .vcpu_id = 3 }, { .vm_id = 1, .vcpu_id = 7 },
		{ .vm_id = 2, .vcpu_id = 0 },
	};

	vms_sort_by_id(vms, 3);
	CHECK(vms[0].id == 2 && vms[1].id == 5 && vms[2].id == 9,
	      "sorted ids %u %u %u", vms[0].id, vms[1].id, vms[2].id);
	vcpus_sort_by_id(v, 3);
	CHECK(v[0].vm_id == 1 && v[1].vcpu_id == 0 && v[2].vcpu_id == 3,
	      "sorted vCPUs %u/%u %u/%u %u/%u", v[0].vm_id, v[0].vcpu_id,
	      v[1].vm_id, v[1].vcpu_id, v[2].vm_id, v[2].vcpu_id);
}

int main(void)
{
	test_top();
	test_sort();
	return check_done("test_stats");
}
