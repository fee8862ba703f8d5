// SPDX-License-Identifier: GPL-2.0
/*
 * make bench P6: time of one policy recompute (kmod/policy.c, compiled
 * unchanged against tests/bench/shim/) for N VMs x 4 vCPUs: entitlements
 * for every VM plus the nice mix of every VM, as the period worker does.
 * Native CPU, not the emulated sandbox: this is the policy core's cost.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../kmod/policy.h"

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static double bench(unsigned int n, unsigned int iters)
{
	struct kvms_policy_vm *vms = calloc(n, sizeof(*vms));
	struct kvms_policy_vm **ptrs = calloc(n, sizeof(*ptrs));
	s64 *carry = calloc(n, sizeof(*carry));
	double best = 1e30;
	unsigned int i, it;

	srand(42);
	for (it = 0; it < iters; it++) {
		double t0, t;

		/* a fresh period: new demands, the array in VM-list order */
		for (i = 0; i < n; i++) {
			vms[i].class = i % 10 ? KVMSCHED_CLASS_SHARES : KVMSCHED_CLASS_BACKGROUND;
			vms[i].weight = 1 + rand() % KVMSCHED_WEIGHT_MAX;
			vms[i].nr_active = 1 + rand() % 4;
			vms[i].demand_mcpu = vms[i].nr_active * (200 + rand() % 801);
			ptrs[i] = &vms[i];
		}
		t0 = now_us();
		kvms_policy_entitle(ptrs, n, 64000);
		for (i = 0; i < n; i++) {
			struct kvms_mix mix;

			kvms_policy_mix(kvms_policy_target_weight(&vms[i]),
					vms[i].nr_active, &carry[i], &mix);
		}
		t = now_us() - t0;
		if (t < best)
			best = t;
	}
	free(vms);
	free(ptrs);
	free(carry);
	return best;
}

int main(void)
{
	static const unsigned int sizes[] = { 250, 500, 1000, 2000, 4000 };
	unsigned int i;

	printf("%-8s %-8s %14s %14s\n", "VMs", "vCPUs", "recompute_us", "ns_per_VM");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		double us = bench(sizes[i], 200);

		printf("%-8u %-8u %14.1f %14.1f\n", sizes[i], sizes[i] * 4, us,
		       us * 1000 / sizes[i]);
	}
	return 0;
}
