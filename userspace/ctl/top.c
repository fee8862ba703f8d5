// SPDX-License-Identifier: GPL-2.0
/*
 * kvmschedctl top: a refreshing per-VM view, like xentop. Rates come from
 * the cumulative counters of two successive dumps (see stats.c).
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"
#include "format.h"
#include "latency.h"
#include "stats.h"

static const char usage[] =
	"Usage: " PROG_NAME " [-j] top [-h] [-d SECONDS] [-n ITERATIONS]\n"
	"\n"
	"Refresh a per-VM view every SECONDS (default 1, 0.1-86400):\n"
	"  CPU%   CPU time of the VM's vCPU threads over the interval\n"
	"         (100 = one CPU; up to 100 x vCPUs)\n"
	"  WAIT%  time the vCPU threads waited for a CPU (the guest's steal),\n"
	"         per vCPU (100 = every vCPU waited the whole interval)\n"
	"  ENT%   CPU the policy entitled the VM to in kvmsched's last period,\n"
	"         on the scale of CPU% (100 = one CPU)\n"
	"  RES%   the VM's CPU reservation (floor) on that scale, 0.0 = none\n"
	"  LIM%   the VM's CPU limit (ceiling) on that scale, '-' = unlimited\n"
	"  CLASS  scheduling class (shares, background, realtime or latency)\n"
	"  P99    99th percentile wakeup-to-run delay of the vCPU threads in the\n"
	"         module's last window of 10 periods ('-': no wakeups; the\n"
	"         histogram: " PROG_NAME " latency VM)\n"
	"'-' until a VM has been seen in two samples. Sorted by CPU%.\n"
	"The screen is cleared between refreshes only when stdout is a terminal.\n"
	"\n"
	"  -d, --delay SECONDS     refresh interval (decimals allowed)\n"
	"  -n, --iterations N      exit after N refreshes\n"
	"With -j, one JSON object per refresh and line:\n"
	"  {\"time\":\"...\",\"interval_s\":1.000,\"vms\":[{\"id\":3,...,\n"
	"   \"class\":\"shares\",\"weight\":100,\"entitled_mcpu\":125,\n"
	"   \"reservation_mcpu\":0,\"limit_mcpu\":0,\"bound\":\"none\",\n"
	"   \"cpu_pct\":12.50,\"wait_pct\":0.25,\"wake_latency_count\":40,\n"
	"   \"wake_latency_p99_ns\":131071}]}\n";

static const struct option longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "delay", required_argument, NULL, 'd' },
	{ "iterations", required_argument, NULL, 'n' },
	{ NULL, 0, NULL, 0 },
};

enum { TC_ID, TC_NAME, TC_CLASS, TC_VCPUS, TC_CPU, TC_ENT, TC_RES, TC_LIM,
       TC_WAIT, TC_P99, TC_PID, TC_COMM, TOP_NCOLS };

static const struct table_col top_cols[TOP_NCOLS] = {
	[TC_ID] = { "ID", true, false },
	[TC_NAME] = { "NAME", false, false },
	[TC_CLASS] = { "CLASS", false, false },
	[TC_VCPUS] = { "VCPUS", true, false },
	[TC_CPU] = { "CPU%", true, false },
	[TC_ENT] = { "ENT%", true, false },
	[TC_RES] = { "RES%", true, false },
	[TC_LIM] = { "LIM%", true, false },
	[TC_WAIT] = { "WAIT%", true, false },
	[TC_P99] = { "P99", true, false },
	[TC_PID] = { "PID", true, false },
	[TC_COMM] = { "COMM", false, false },
};


static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

static void sleep_until(uint64_t t_ns)
{
	struct timespec ts = {
		.tv_sec = (time_t)(t_ns / 1000000000),
		.tv_nsec = (long)(t_ns % 1000000000),
	};

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

static void render_json(const char *ts, uint64_t interval_ns,
			const struct top_row *rows, size_t n)
{
	struct jw w;
	size_t i;

	jw_init(&w, stdout);
	jw_obj_begin(&w, NULL);
	jw_str(&w, "time", ts);
	jw_fixed(&w, "interval_s", (double)interval_ns / 1e9, 3);
	jw_arr_begin(&w, "vms");
	for (i = 0; i < n; i++) {
		const struct kvms_vm *vm = rows[i].vm;

		jw_obj_begin(&w, NULL);
		jw_uint(&w, "id", vm->id);
		jw_str(&w, "name", KVMS_HAS(vm, KVMSCHED_A_VM_NAME) ?
		       vm->name : NULL);
		if (KVMS_HAS(vm, KVMSCHED_A_VM_PID))
			jw_uint(&w, "pid", vm->pid);
		if (KVMS_HAS(vm, KVMSCHED_A_VM_COMM))
			jw_str(&w, "comm", vm->comm);
		if (KVMS_HAS(vm, KVMSCHED_A_VM_NR_VCPUS))
			jw_uint(&w, "vcpus", vm->nr_vcpus);
		if (KVMS_HAS(vm, KVMSCHED_A_VM_CLASS)) {
			if (class_name(vm->class))
				jw_str(&w, "class", class_name(vm->class));
			else
				jw_uint(&w, "class", vm->class);
		}
		if (KVMS_HAS(vm, KVMSCHED_A_VM_WEIGHT))
			jw_uint(&w, "weight", vm->weight);
		if (KVMS_HAS(vm, KVMSCHED_A_VM_ENTITLED_MCPU))
			jw_uint(&w, "entitled_mcpu", vm->entitled_mcpu);
		if (KVMS_HAS(vm, KVMSCHED_A_VM_RESERVATION_MCPU))
			jw_uint(&w, "reservation_mcpu", vm->reservation_mcpu);
		if (KVMS_HAS(vm, KVMSCHED_A_VM_LIMIT_MCPU))
			jw_uint(&w, "limit_mcpu", vm->limit_mcpu);
		if (KVMS_HAS(vm, KVMSCHED_A_VM_BOUND)) {
			if (bound_name(vm->bound))
				jw_str(&w, "bound", bound_name(vm->bound));
			else
				jw_uint(&w, "bound", vm->bound);
		}
		if (rows[i].has_cpu)
			jw_fixed(&w, "cpu_pct", rows[i].cpu_pct, 2);
		else
			jw_null(&w, "cpu_pct");
		if (rows[i].has_wait)
			jw_fixed(&w, "wait_pct", rows[i].wait_pct, 2);
		else
			jw_null(&w, "wait_pct");
		if (KVMS_HAS(vm, KVMSCHED_A_VM_WAKE_LATENCY_COUNT))
			jw_uint(&w, "wake_latency_count",
				vm->wake_latency_count);
		if (KVMS_HAS(vm, KVMSCHED_A_VM_WAKE_LATENCY_P99_NS))
			jw_uint(&w, "wake_latency_p99_ns",
				vm->wake_latency_p99_ns);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	putchar('\n');
}

static int render_table(const char *ts, uint64_t interval_ns,
			const struct top_row *rows, size_t n, bool tty,
			bool first)
{
	static char cells[TOP_NCOLS][FMT_CELL];
	char vm_cells[VM_NCOLS][FMT_CELL];
	const char *row[TOP_NCOLS];
	struct table t;
	size_t i, j;
	int rc = 0;

	table_init(&t, top_cols, TOP_NCOLS);
	for (j = 0; j < TOP_NCOLS; j++)
		row[j] = cells[j];
	for (i = 0; i < n && !rc; i++) {
		const struct kvms_vm *vm = rows[i].vm;

		vm_row(vm, vm_cells);
		strcpy(cells[TC_ID], vm_cells[VMC_ID]);
		strcpy(cells[TC_NAME], vm_cells[VMC_NAME]);
		strcpy(cells[TC_CLASS], vm_cells[VMC_CLASS]);
		strcpy(cells[TC_VCPUS], vm_cells[VMC_VCPUS]);
		if (rows[i].has_cpu)
			snprintf(cells[TC_CPU], FMT_CELL, "%.1f", rows[i].cpu_pct);
		else
			strcpy(cells[TC_CPU], "-");
		if (KVMS_HAS(vm, KVMSCHED_A_VM_ENTITLED_MCPU))
			fmt_permille_pct(cells[TC_ENT], FMT_CELL,
					 vm->entitled_mcpu);
		else
			strcpy(cells[TC_ENT], "-");
		if (KVMS_HAS(vm, KVMSCHED_A_VM_RESERVATION_MCPU))
			fmt_permille_pct(cells[TC_RES], FMT_CELL,
					 vm->reservation_mcpu);
		else
			strcpy(cells[TC_RES], "-");
		/* 0 is no limit. */
		if (KVMS_HAS(vm, KVMSCHED_A_VM_LIMIT_MCPU) && vm->limit_mcpu)
			fmt_permille_pct(cells[TC_LIM], FMT_CELL,
					 vm->limit_mcpu);
		else
			strcpy(cells[TC_LIM], "-");
		if (rows[i].has_wait)
			snprintf(cells[TC_WAIT], FMT_CELL, "%.1f", rows[i].wait_pct);
		else
			strcpy(cells[TC_WAIT], "-");
		/* No wakeups in the window: no percentile to show. */
		if (KVMS_HAS(vm, KVMSCHED_A_VM_WAKE_LATENCY_P99_NS) &&
		    vm->wake_latency_count)
			fmt_lat_ns(cells[TC_P99], FMT_CELL,
				   vm->wake_latency_p99_ns, true);
		else
			strcpy(cells[TC_P99], "-");
		strcpy(cells[TC_PID], vm_cells[VMC_PID]);
		strcpy(cells[TC_COMM], vm_cells[VMC_COMM]);
		rc = table_add(&t, row);
	}
	if (!rc) {
		if (tty)
			fputs("\033[H\033[2J", stdout);
		else if (!first)
			putchar('\n');
		printf(PROG_NAME " top - %s - %zu VM%s - interval %.2f s\n\n",
		       ts, n, n == 1 ? "" : "s", (double)interval_ns / 1e9);
		table_print(&t, stdout);
	} else {
		ctl_err("out of memory");
	}
	table_free(&t);
	return rc ? EXIT_FAIL : EXIT_OK;
}

int cmd_top(int argc, char **argv)
{
	struct kvms_vm *prev = NULL, *cur = NULL;
	size_t nprev = 0, ncur = 0;
	struct top_row *rows = NULL;
	uint64_t delay_ms = 1000, t0, t1, next;
	uint32_t iterations = 0, i;
	bool tty = isatty(STDOUT_FILENO);
	struct ipc *ipc;
	int c, rc;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hd:n:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(usage, stdout);
			return EXIT_OK;
		case 'd':
			if (parse_duration_ms(optarg, 100, 86400000, &delay_ms))
				return ctl_usage_err(argv[0], usage,
						     "-d: '%s' is not a delay of 0.1-86400 seconds (at most 3 decimals)",
						     optarg);
			break;
		case 'n':
			if (parse_u32(optarg, &iterations) || !iterations)
				return ctl_usage_err(argv[0], usage,
						     "-n: '%s' is not a number 1-%u",
						     optarg, UINT32_MAX);
			break;
		default:
			return ctl_bad_option(argv[0], usage, c, argv);
		}
	}
	if (optind < argc)
		return ctl_usage_err(argv[0], usage, "unexpected argument '%s'",
				     argv[optind]);

	rc = ctl_open(&ipc);
	if (rc)
		return rc;
	rc = ctl_vm_dump(ipc, &prev, &nprev);
	if (rc) {
		rc = ctl_ipc_fail(ipc, rc, "list VMs");
		goto out;
	}
	t0 = mono_ns();
	next = t0 + delay_ms * 1000000;
	for (i = 0; !iterations || i < iterations; i++) {
		struct timespec now;
		char ts[64];

		sleep_until(next);
		rc = ctl_vm_dump(ipc, &cur, &ncur);
		if (rc) {
			rc = ctl_ipc_fail(ipc, rc, "list VMs");
			goto out;
		}
		t1 = mono_ns();
		free(rows);
		rows = calloc(ncur ? ncur : 1, sizeof(*rows));
		if (!rows) {
			ctl_err("out of memory");
			rc = EXIT_FAIL;
			goto out;
		}
		top_compute(prev, nprev, cur, ncur, t1 - t0, rows);
		clock_gettime(CLOCK_REALTIME, &now);
		fmt_timestamp(ts, sizeof(ts), &now);
		if (ctl.json) {
			render_json(ts, t1 - t0, rows, ncur);
		} else {
			rc = render_table(ts, t1 - t0, rows, ncur, tty, i == 0);
			if (rc)
				goto out;
		}
		fflush(stdout);
		free(prev);
		prev = cur;
		nprev = ncur;
		cur = NULL;
		t0 = t1;
		next += delay_ms * 1000000;
		if (next < t1)		/* fell behind (suspend, slow dump) */
			next = t1 + delay_ms * 1000000;
	}
	rc = EXIT_OK;
out:
	free(rows);
	free(prev);
	free(cur);
	ipc_close(ipc);
	return rc;
}
