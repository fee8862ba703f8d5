// SPDX-License-Identifier: GPL-2.0
/* kvmschedctl show VM: one VM and its vCPUs. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>

#include "ctl.h"
#include "format.h"
#include "stats.h"

static const char usage[] =
	"Usage: " PROG_NAME " [-j] show [-h] VM\n"
	"\n"
	"Show one VM (every field; '-' when unknown); a realtime VM also has a\n"
	"line 'realtime: priority P, FCFS|RR N ms, throttled N periods' (periods\n"
	"the starvation watchdog ran it SCHED_IDLE), a latency VM a line\n"
	"'latency: deadline period N us' (its latency_us). Then in sections:\n"
	"  cpu bounds:   reservation, limit, bound (none, reservation, limit,\n"
	"                latency or boost in the last period), throttled time,\n"
	"                reservation misses\n"
	"  memory:       shares, min, max, guest ram, rss, guest free and avail\n"
	"                (as the guest reported them)\n"
	"  balloon:      actual size, target, reason (none, at-max, inflate,\n"
	"                deflate, at-min, hold)\n"
	"  wake latency: the vCPU threads' wakeup-to-run delay over the module's\n"
	"                last window (10 periods): wakeups, p50, p99, max and\n"
	"                skipped runs (" PROG_NAME " latency VM: the histogram)\n"
	"then a table of its vCPUs:\n"
	"  VCPU, TID     KVM's vcpu_id and the thread\n"
	"  POLICY, NICE  the thread's scheduling policy and nice level now\n"
	"  OVERRIDES     times kvmsched set back a change made by someone else\n"
	"  DL(mcpu)      SCHED_DEADLINE runtime given, of a 10 ms period (0: none)\n"
	"  BLOCK         why the thread last could not run in SCHED_DEADLINE:\n"
	"                none, pinned, leaving, stuck or exiting\n"
	"  STARVED(ms)   how long it has waited for a CPU without running\n"
	"  BURST(us)     its mean run burst last period (CPU per time put on a\n"
	"                CPU; 0: it did not run), what burst_boost compares\n"
	"  CPU(mcpu), STEAL%, CPU_S, WAIT_S, ENTRIES  as in list -l\n"
	"VM is " SELECTOR_FORMS ".\n"
	"With -j: {\"vm\":{...},\"vcpus\":[{...}]}; the VM's wake latency in ns\n"
	"(wake_latency_p50_ns, ...) and wake_latency_hist, the 32 bucket counts\n"
	"(bounds: " PROG_NAME " latency -h), rt_priority, rr_quantum_ms,\n"
	"rt_throttled_periods and latency_us whatever the class; a vCPU also has\n"
	"dl_blocked (periods refused SCHED_DEADLINE) and thread_shared (-1, or\n"
	"the vcpu_id managing the thread it shares); BURST(us) is burst_us.\n";

static const struct option longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int vcpu_dump(struct ipc *ipc, uint32_t id, struct kvms_vcpu **v,
		     size_t *n)
{
	bool intr = false;
	int attempt, rc;

	for (attempt = 0;; attempt++) {
		rc = ipc_vcpu_dump(ipc, &id, v, n, &intr);
		if (rc || !intr)
			break;
		if (attempt == CTL_DUMP_RETRIES) {
			ctl_err("warning: vCPUs came or went during each of %d dumps; this one may be inconsistent",
				attempt + 1);
			break;
		}
		free(*v);
	}
	if (!rc)
		vcpus_sort_by_id(*v, *n);
	return rc;
}

int cmd_show(int argc, char **argv)
{
	struct kvms_vcpu *vcpus = NULL;
	struct vm_selector sel;
	struct kvms_vm vm;
	struct ipc *ipc;
	uint32_t id = 0;
	size_t n = 0, i;
	int c, rc;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (c == 'h') {
			fputs(usage, stdout);
			return EXIT_OK;
		}
		return ctl_bad_option(argv[0], usage, c, argv);
	}
	if (argc - optind != 1)
		return ctl_usage_err(argv[0], usage, argc == optind ?
				     "which VM?" : "too many arguments");
	rc = ctl_selector(argv[0], usage, argv[optind], &sel);
	if (rc)
		return rc;

	rc = ctl_open(&ipc);
	if (rc)
		return rc;
	rc = ctl_resolve(ipc, &sel, &id);
	if (rc)
		goto out;
	/*
	 * vCPUs first: the dump's vm-id filter makes the kernel itself say
	 * when there is no such VM (ENOENT), before the vm-get.
	 */
	rc = vcpu_dump(ipc, id, &vcpus, &n);
	if (rc) {
		rc = ctl_ipc_fail(ipc, rc, "vCPUs of VM %u", id);
		goto out;
	}
	rc = ipc_vm_get(ipc, id, &vm);
	if (rc) {
		rc = ctl_ipc_fail(ipc, rc, "VM %u", id);
		goto out;
	}
	if (ctl.json) {
		struct jw w;

		jw_init(&w, stdout);
		jw_obj_begin(&w, NULL);
		jw_vm(&w, "vm", &vm);
		jw_arr_begin(&w, "vcpus");
		for (i = 0; i < n; i++)
			jw_vcpu(&w, NULL, &vcpus[i]);
		jw_arr_end(&w);
		jw_obj_end(&w);
		putchar('\n');
		rc = EXIT_OK;
	} else {
		vm_details_print(stdout, &vm);
		putchar('\n');
		rc = EXIT_OK;
		if (vcpu_table_print(stdout, vcpus, n)) {
			ctl_err("out of memory");
			rc = EXIT_FAIL;
		}
	}
out:
	free(vcpus);
	ipc_close(ipc);
	return rc;
}
