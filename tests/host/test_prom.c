// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of userspace/lib/prom.c (the Prometheus text format
 * writer) and userspace/lib/metrics.c (kvmsched's state as metrics, with
 * the netlink calls stubbed below). No kernel, no netlink.
 *
 * Every CHECK compares against an independent expected value, so each can
 * fail. tests/metrics/run.sh also runs promtool over `test_prom --dump`.
 *
 * Output: one "not ok" line per failed check and a last line
 * "test_prom: N passed, N failed"; exit 1 on any failure.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ipc.h"
#include "metrics.h"
#include "prom.h"

#include "check.h"
#include "fixtures.h"

/* -- netlink stubs: metrics_fetch() over a canned snapshot --------------- */

static struct kvms_config stub_cfg;
static struct kvms_vm stub_vms[5];
static size_t stub_nvms;
static struct kvms_vcpu stub_vcpus[4];
static size_t stub_nvcpus;
static int stub_intr;		/* dumps left to report NLM_F_DUMP_INTR */
static int stub_err;

int ipc_config_get(struct ipc *ipc, struct kvms_config *c)
{
	(void)ipc;
	*c = stub_cfg;
	return stub_err;
}

int ipc_vm_dump(struct ipc *ipc, struct kvms_vm **out, size_t *n,
		bool *interrupted)
{
	(void)ipc;
	*out = malloc(sizeof(stub_vms));
	memcpy(*out, stub_vms, sizeof(stub_vms));
	*n = stub_nvms;
	*interrupted = stub_intr > 0;
	if (stub_intr > 0)
		stub_intr--;
	return 0;
}

int ipc_vcpu_dump(struct ipc *ipc, const uint32_t *vm_id,
		  struct kvms_vcpu **out, size_t *n, bool *interrupted)
{
	(void)ipc;
	(void)vm_id;
	*out = malloc(sizeof(stub_vcpus));
	memcpy(*out, stub_vcpus, sizeof(stub_vcpus));
	*n = stub_nvcpus;
	*interrupted = false;
	return 0;
}

/* -- helpers --------------------------------------------------------------- */

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (; (hay = strstr(hay, needle)); hay += strlen(needle))
		n++;
	return n;
}

static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p = text;

	for (; (p = strstr(p, line)); p += n)
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return true;
	return false;
}

#define CHECK_LINE(text, line) \
	CHECK(has_line(text, line), "no line '%s' in:\n%s", line, text)

static struct kvms_vcpu mkvcpu(uint32_t vm, uint32_t id)
{
	struct kvms_vcpu c;

	memset(&c, 0, sizeof(c));
	c.present = KVMS_BIT(KVMSCHED_A_VCPU_VM_ID) |
		    KVMS_BIT(KVMSCHED_A_VCPU_VCPU_ID) |
		    KVMS_BIT(KVMSCHED_A_VCPU_CPU_TIME_NS) |
		    KVMS_BIT(KVMSCHED_A_VCPU_WAIT_TIME_NS) |
		    KVMS_BIT(KVMSCHED_A_VCPU_NICE) |
		    KVMS_BIT(KVMSCHED_A_VCPU_DL_MCPU);
	c.vm_id = vm;
	c.vcpu_id = id;
	c.cpu_time_ns = 1500000000ull * (id + 1);
	c.wait_time_ns = 250000000ull;
	c.nice = -5;
	c.dl_mcpu = 250;
	return c;
}

/*
 * VMs (one named with every character that needs escaping, one realtime,
 * one latency) and vCPUs.
 */
static void stub_setup(void)
{
	stub_cfg = full_config();
	stub_vms[0] = bounded_vm();				/* id 3, web1 */
	stub_vms[1] = full_vm(1, "a\"b\\c\nd");
	stub_vms[2] = mkvm(2, 4242, NULL);			/* unnamed */
	stub_vms[3] = full_vm(4, "rt1");
	stub_vms[3].class = KVMSCHED_CLASS_REALTIME;
	stub_vms[3].present |= KVMS_BIT(KVMSCHED_A_VM_RT_PRIORITY) |
			       KVMS_BIT(KVMSCHED_A_VM_RR_QUANTUM_MS) |
			       KVMS_BIT(KVMSCHED_A_VM_RT_THROTTLED_PERIODS);
	stub_vms[3].rt_priority = 30;
	stub_vms[3].rr_quantum_ms = 20;
	stub_vms[3].rt_throttled_periods = 5000000000ull;	/* past 32 bits */
	stub_vms[0].present |= KVMS_BIT(KVMSCHED_A_VM_STARVED_COUNT);
	stub_vms[0].starved_count = 7;
	/* A shares VM keeps (and reports) the priority it does not use. */
	stub_vms[0].present |= KVMS_BIT(KVMSCHED_A_VM_RT_PRIORITY) |
			       KVMS_BIT(KVMSCHED_A_VM_RR_QUANTUM_MS) |
			       KVMS_BIT(KVMSCHED_A_VM_RT_THROTTLED_PERIODS);
	stub_vms[0].rt_priority = 1;
	/* ... and the latency period it does not use (the default). */
	stub_vms[0].present |= KVMS_BIT(KVMSCHED_A_VM_LATENCY_US);
	stub_vms[0].latency_us = 5000;
	stub_vms[4] = full_vm(5, "lat1");
	stub_vms[4].class = KVMSCHED_CLASS_LATENCY;
	stub_vms[4].present |= KVMS_BIT(KVMSCHED_A_VM_LATENCY_US) |
			       KVMS_BIT(KVMSCHED_A_VM_BOUND);
	stub_vms[4].latency_us = 1000;
	stub_vms[4].bound = KVMSCHED_BOUND_LATENCY;
	stub_nvms = 5;
	stub_vcpus[0] = mkvcpu(3, 1);
	stub_vcpus[1] = mkvcpu(1, 0);
	stub_vcpus[2] = mkvcpu(3, 0);
	stub_vcpus[3] = mkvcpu(2, 0);
	stub_nvcpus = 4;
	/* Bursts: 850 us, 0 (did not run), 100 ms; VM 1's vCPU: unknown. */
	stub_vcpus[0].present |= KVMS_BIT(KVMSCHED_A_VCPU_BURST_US);
	stub_vcpus[0].burst_us = 850;
	stub_vcpus[2].present |= KVMS_BIT(KVMSCHED_A_VCPU_BURST_US);
	stub_vcpus[2].burst_us = 0;
	stub_vcpus[3].present |= KVMS_BIT(KVMSCHED_A_VCPU_BURST_US);
	stub_vcpus[3].burst_us = KVMSCHED_BURST_THRESHOLD_US_MAX;
	/* VM 2 boosted by burst_boost. */
	stub_vms[2].present |= KVMS_BIT(KVMSCHED_A_VM_BOUND);
	stub_vms[2].bound = KVMSCHED_BOUND_BOOST;
	stub_intr = 0;
	stub_err = 0;
}

/* -- the writer ------------------------------------------------------------ */

static void test_escape(void)
{
	char buf[64];

	/* Arrange/Act/Assert: each special character and its escape. */
	CHECK_INT(prom_escape(buf, sizeof(buf), "a\"b\\c\nd", false), 10);
	CHECK_STR(buf, "a\\\"b\\\\c\\nd");
	/* HELP text: backslash and newline, not the quote. */
	CHECK_INT(prom_escape(buf, sizeof(buf), "a\"b\\c\nd", true), 9);
	CHECK_STR(buf, "a\"b\\\\c\\nd");
	CHECK_INT(prom_escape(buf, sizeof(buf), "plain", false), 5);
	CHECK_STR(buf, "plain");
	/* Truncation never splits an escape: "ab\\" in 4 bytes is "ab". */
	CHECK_INT(prom_escape(buf, 4, "ab\\x", false), 5);
	CHECK_STR(buf, "ab");
	CHECK_INT(prom_escape(buf, 1, "x", false), 1);
	CHECK_STR(buf, "");
}

static void test_names(void)
{
	CHECK(prom_metric_name_ok("kvmsched_vm_cpu_seconds_total"), "good name");
	CHECK(prom_metric_name_ok("a:b_c9"), "colon in a metric name");
	CHECK(!prom_metric_name_ok("9abc"), "leading digit");
	CHECK(!prom_metric_name_ok("a-b"), "dash");
	CHECK(!prom_metric_name_ok(""), "empty");
	CHECK(prom_label_name_ok("vm_id"), "vm_id");
	CHECK(!prom_label_name_ok("a:b"), "colon in a label name");
	CHECK(!prom_label_name_ok("__name"), "reserved __ prefix");
}

static void test_writer(void)
{
	static const struct prom_label l[] = {
		{ "vm_id", "7" }, { "vm_name", "x\"y\\z\nw" }, { "pid", NULL },
	};
	struct capture c;
	struct prom p;
	const char *t;

	cap_open(&c);
	prom_init(&p, c.f);
	CHECK_INT(prom_family(&p, "foo_seconds", PROM_COUNTER, "Time.\nMore \\ help."), 0);
	CHECK_INT(prom_sample(&p, l, 3, 1.5), 0);
	CHECK_INT(prom_sample(&p, NULL, 0, 3), 0);
	CHECK_INT(prom_family(&p, "bar_total", PROM_COUNTER, "Already _total."), 0);
	CHECK_INT(prom_family(&p, "baz_ratio", PROM_GAUGE, "A gauge."), 0);
	CHECK_INT(prom_sample(&p, l, 1, NAN), 0);
	CHECK_INT(prom_sample(&p, l, 1, INFINITY), 0);
	CHECK_INT(prom_sample(&p, l, 1, 0.001), 0);
	CHECK_INT(prom_sample(&p, l, 1, 5e15), 0);
	/* The same family again (even spelt without _total) is refused. */
	CHECK_INT(prom_family(&p, "foo_seconds_total", PROM_COUNTER, "x"), -EEXIST);
	CHECK_INT(prom_sample(&p, l, 1, 1), -EINVAL);
	CHECK_INT(prom_family(&p, "baz_ratio", PROM_GAUGE, "again"), -EEXIST);
	CHECK_INT(prom_family(&p, "bad-name", PROM_GAUGE, "x"), -EINVAL);
	CHECK_INT(prom_finish(&p), -EEXIST);	/* the first error */
	t = cap_text(&c);
	CHECK_LINE(t, "# HELP foo_seconds_total Time.\\nMore \\\\ help.");
	CHECK_LINE(t, "# TYPE foo_seconds_total counter");
	CHECK_LINE(t, "foo_seconds_total{vm_id=\"7\",vm_name=\"x\\\"y\\\\z\\nw\"} 1.5");
	CHECK_LINE(t, "foo_seconds_total 3");
	CHECK_LINE(t, "# TYPE bar_total counter");
	CHECK_INT(count(t, "bar_total_total"), 0);
	CHECK_LINE(t, "# TYPE baz_ratio gauge");
	CHECK_LINE(t, "baz_ratio{vm_id=\"7\"} NaN");
	CHECK_LINE(t, "baz_ratio{vm_id=\"7\"} +Inf");
	CHECK_LINE(t, "baz_ratio{vm_id=\"7\"} 0.001");
	CHECK_LINE(t, "baz_ratio{vm_id=\"7\"} 5e+15");
	CHECK_INT(count(t, "# HELP foo_seconds_total"), 1);
	CHECK_INT(count(t, "# TYPE baz_ratio"), 1);
	CHECK_INT(count(t, "again"), 0);
	CHECK_INT(count(t, "bad-name"), 0);
	/* A raw newline inside a value would break the line structure. */
	CHECK_INT(count(t, "\n"), 12);
	cap_free(&c);
}

/* -- metrics.c --------------------------------------------------------- */

static void test_render(void)
{
	struct metrics_snap s;
	struct capture c;
	const char *t;
	int n;

	stub_setup();
	stub_intr = 2;		/* two interrupted dumps, then a good one */
	CHECK_INT(metrics_fetch(NULL, &s), 0);
	CHECK_INT(stub_intr, 0);
	CHECK_INT(s.nvms, 5);
	CHECK_INT(s.vms[0].id, 1);	/* sorted */
	CHECK_INT(s.vms[3].id, 4);
	CHECK_INT(s.vms[4].id, 5);
	CHECK_INT(s.nvcpus, 4);
	CHECK_INT(s.vcpus[0].vm_id, 1);
	CHECK_INT(s.vcpus[1].vm_id, 2);
	CHECK_INT(s.vcpus[2].vcpu_id, 0);
	CHECK_INT(s.vcpus[3].vcpu_id, 1);
	cap_open(&c);
	CHECK_INT(metrics_render(c.f, &s), 0);
	t = cap_text(&c);
	/* host */
	CHECK_LINE(t, "# TYPE kvmsched_capacity_cpus gauge");
	CHECK_LINE(t, "kvmsched_capacity_cpus 2");
	CHECK_LINE(t, "kvmsched_reservable_cpus 1.8");
	CHECK_LINE(t, "kvmsched_reserved_cpus 1.4");
	CHECK_LINE(t, "kvmsched_overcommit_cpus 0");
	CHECK_LINE(t, "kvmsched_period_seconds 0.1");
	CHECK_LINE(t, "kvmsched_host_memory_bytes 8321499136");
	CHECK_LINE(t, "kvmsched_host_memory_available_bytes 1258291200");
	CHECK_LINE(t, "# TYPE kvmsched_deadline_refused_total counter");
	CHECK_LINE(t, "kvmsched_deadline_refused_total 5000000000");
	CHECK_LINE(t, "kvmsched_deadline_reclaimed_total 3");
	CHECK_LINE(t, "kvmsched_apply_last_seconds 0.0015");
	CHECK_LINE(t, "kvmsched_apply_max_seconds 0.002");
	CHECK_LINE(t, "# TYPE kvmsched_rt_throttled_periods_total counter");
	CHECK_LINE(t, "kvmsched_rt_throttled_periods_total 6");
	CHECK_LINE(t, "kvmsched_memory_state{state=\"reclaim\"} 1");
	CHECK_LINE(t, "kvmsched_memory_state{state=\"normal\"} 0");
	/* absent: no family at all */
	CHECK_INT(count(t, "psi_some"), 0);
	/* VM 3, bounded */
#define L3 "{vm_id=\"3\",vm_name=\"web1\",pid=\"1234567\"}"
	CHECK_LINE(t, "kvmsched_vm_entitled_cpus" L3 " 0.5");
	CHECK_LINE(t, "kvmsched_vm_demand_cpus" L3 " 2");
	CHECK_LINE(t, "kvmsched_vm_cpu_used_cpus" L3 " 0.48");
	CHECK_LINE(t, "kvmsched_vm_steal_ratio" L3 " 0.25");
	CHECK_LINE(t, "kvmsched_vm_reservation_cpus" L3 " 0.5");
	CHECK_LINE(t, "kvmsched_vm_limit_cpus" L3 " 1.5");
	CHECK_LINE(t, "kvmsched_vm_throttled_seconds_total" L3 " 1.25");
	CHECK_LINE(t, "kvmsched_vm_reservation_misses_total" L3 " 3");
	CHECK_LINE(t, "kvmsched_vm_balloon_target_bytes" L3 " 1073741824");
	CHECK_LINE(t, "kvmsched_vm_balloon_actual_bytes" L3 " 1610612736");
	CHECK_LINE(t, "kvmsched_vm_guest_memory_bytes" L3 " 2147483648");
	CHECK_LINE(t, "kvmsched_vm_cpu_seconds_total" L3 " 123456.789012345");
	CHECK_LINE(t, "kvmsched_vm_bound{vm_id=\"3\",vm_name=\"web1\",pid=\"1234567\",bound=\"reservation\"} 1");
	CHECK_LINE(t, "kvmsched_vm_bound{vm_id=\"3\",vm_name=\"web1\",pid=\"1234567\",bound=\"limit\"} 0");
	CHECK_LINE(t, "kvmsched_vm_balloon_reason{vm_id=\"3\",vm_name=\"web1\",pid=\"1234567\",reason=\"inflate\"} 1");
	CHECK_LINE(t, "kvmsched_vm_info{vm_id=\"3\",vm_name=\"web1\",pid=\"1234567\",comm=\"qemu-system-x86\",class=\"shares\"} 1");
	/* VM 1: the name escaped; VM 2: no vm_name label */
	CHECK_LINE(t, "kvmsched_vm_info{vm_id=\"1\",vm_name=\"a\\\"b\\\\c\\nd\",pid=\"1234567\",comm=\"qemu-system-x86\",class=\"background\"} 1");
	CHECK_LINE(t, "kvmsched_vm_info{vm_id=\"2\",pid=\"4242\"} 1");
	CHECK_INT(count(t, "kvmsched_vm_weight{vm_id=\"2\""), 0);	/* absent */
	/* VM 4, realtime; VM 3 keeps priority 1; VMs 1 and 2: no sample */
#define L4 "{vm_id=\"4\",vm_name=\"rt1\",pid=\"1234567\"}"
	CHECK_LINE(t, "kvmsched_vm_info{vm_id=\"4\",vm_name=\"rt1\",pid=\"1234567\",comm=\"qemu-system-x86\",class=\"realtime\"} 1");
	CHECK_LINE(t, "# TYPE kvmsched_vm_rt_priority gauge");
	CHECK_LINE(t, "kvmsched_vm_rt_priority" L4 " 30");
	CHECK_LINE(t, "kvmsched_vm_rt_priority" L3 " 1");
	CHECK_LINE(t, "# TYPE kvmsched_vm_rr_quantum_seconds gauge");
	CHECK_LINE(t, "kvmsched_vm_rr_quantum_seconds" L4 " 0.02");
	CHECK_LINE(t, "kvmsched_vm_rr_quantum_seconds" L3 " 0");
	CHECK_LINE(t, "# TYPE kvmsched_vm_rt_throttled_periods_total counter");
	CHECK_LINE(t, "kvmsched_vm_rt_throttled_periods_total" L4 " 5000000000");
	CHECK_LINE(t, "kvmsched_vm_rt_throttled_periods_total" L3 " 0");
	CHECK_INT(count(t, "kvmsched_vm_rt_priority{"), 2);
	CHECK_INT(count(t, "kvmsched_vm_rt_throttled_periods_total{"), 2);
	CHECK_INT(count(t, "# HELP kvmsched_vm_rt_priority Realtime priority"), 1);
	CHECK_INT(count(t, "# HELP kvmsched_rt_throttled_periods_total Periods"), 1);
	CHECK_LINE(t, "# TYPE kvmsched_vm_starved_total counter");
	CHECK_LINE(t, "kvmsched_vm_starved_total" L3 " 7");
	CHECK_INT(count(t, "kvmsched_vm_starved_total{"), 1);	/* absent: none */
	CHECK_INT(count(t, "# HELP kvmsched_vm_starved_total Times"), 1);
	CHECK_LINE(t, "kvmsched_starve_seconds 1");
	/* VM 5, latency (bound latency); VM 3 keeps 5000 us */
#define L5 "{vm_id=\"5\",vm_name=\"lat1\",pid=\"1234567\"}"
	CHECK_LINE(t, "kvmsched_vm_info{vm_id=\"5\",vm_name=\"lat1\",pid=\"1234567\",comm=\"qemu-system-x86\",class=\"latency\"} 1");
	CHECK_LINE(t, "# TYPE kvmsched_vm_latency_period_seconds gauge");
	CHECK_LINE(t, "kvmsched_vm_latency_period_seconds" L5 " 0.001");
	CHECK_LINE(t, "kvmsched_vm_latency_period_seconds" L3 " 0.005");
	CHECK_INT(count(t, "kvmsched_vm_latency_period_seconds{"), 2);	/* absent: none */
	CHECK_INT(count(t, "# HELP kvmsched_vm_latency_period_seconds Deadline period"), 1);
	CHECK(!strstr(t, "latency_target"), "the old metric name is gone");
	CHECK_LINE(t, "kvmsched_vm_bound{vm_id=\"5\",vm_name=\"lat1\",pid=\"1234567\",bound=\"latency\"} 1");
	CHECK_LINE(t, "kvmsched_vm_bound{vm_id=\"3\",vm_name=\"web1\",pid=\"1234567\",bound=\"latency\"} 0");
	/* burst boost: bound boost, the config's two, each vCPU's burst */
	CHECK_LINE(t, "kvmsched_vm_bound{vm_id=\"2\",pid=\"4242\",bound=\"boost\"} 1");
	CHECK_LINE(t, "kvmsched_vm_bound{vm_id=\"2\",pid=\"4242\",bound=\"latency\"} 0");
	CHECK_LINE(t, "kvmsched_vm_bound{vm_id=\"5\",vm_name=\"lat1\",pid=\"1234567\",bound=\"boost\"} 0");
	CHECK_INT(count(t, "bound=\"boost\"} 1"), 1);
	CHECK_LINE(t, "# TYPE kvmsched_burst_boost_enabled gauge");
	CHECK_LINE(t, "kvmsched_burst_boost_enabled 1");
	CHECK_INT(count(t, "# HELP kvmsched_burst_boost_enabled Shortest-burst boost"), 1);
	CHECK_LINE(t, "# TYPE kvmsched_burst_threshold_seconds gauge");
	CHECK_LINE(t, "kvmsched_burst_threshold_seconds 0.0025");
	CHECK_INT(count(t, "# HELP kvmsched_burst_threshold_seconds Mean run burst"), 1);
	CHECK_LINE(t, "# TYPE kvmsched_vcpu_burst_seconds gauge");
	CHECK_LINE(t, "kvmsched_vcpu_burst_seconds{vm_id=\"3\",vm_name=\"web1\",pid=\"1234567\",vcpu=\"1\"} 0.00085");
	CHECK_LINE(t, "kvmsched_vcpu_burst_seconds{vm_id=\"3\",vm_name=\"web1\",pid=\"1234567\",vcpu=\"0\"} 0");
	CHECK_LINE(t, "kvmsched_vcpu_burst_seconds{vm_id=\"2\",pid=\"4242\",vcpu=\"0\"} 0.1");
	CHECK_INT(count(t, "kvmsched_vcpu_burst_seconds{"), 3);	/* VM 1's: absent */
	CHECK_INT(count(t, "# HELP kvmsched_vcpu_burst_seconds Mean run burst of the vCPU"), 1);
	CHECK_INT(count(t, "burst_us"), 0);	/* base units only */
	/* vCPUs */
	CHECK_LINE(t, "kvmsched_vcpu_cpu_seconds_total{vm_id=\"3\",vm_name=\"web1\",pid=\"1234567\",vcpu=\"1\"} 3");
	CHECK_LINE(t, "kvmsched_vcpu_wait_seconds_total{vm_id=\"2\",pid=\"4242\",vcpu=\"0\"} 0.25");
	CHECK_LINE(t, "kvmsched_vcpu_nice{vm_id=\"2\",pid=\"4242\",vcpu=\"0\"} -5");
	CHECK_LINE(t, "kvmsched_vcpu_deadline_runtime_cpus{vm_id=\"2\",pid=\"4242\",vcpu=\"0\"} 0.25");
	/* each family: HELP and TYPE exactly once, TYPE right after HELP */
	n = count(t, "# HELP ");
	CHECK(n > 40, "%d families", n);
	CHECK_INT(count(t, "# TYPE "), n);
	CHECK_INT(count(t, "# HELP kvmsched_vm_cpu_seconds_total "), 1);
	CHECK_INT(count(t, "# TYPE kvmsched_vm_cpu_seconds_total counter\n"), 1);
	CHECK_INT(count(t, "# TYPE kvmsched_vcpu_wait_seconds_total counter\n"), 1);
	CHECK_INT(count(t, "_total_total"), 0);
	/* every counter's name ends in _total */
	{
		const char *p = t;
		int bad = 0;

		while ((p = strstr(p, "# TYPE "))) {
			const char *sp = strchr(p + 7, ' ');

			if (!strncmp(sp, " counter\n", 9) &&
			    strncmp(sp - 6, "_total", 6))
				bad++;
			p = sp;
		}
		CHECK_INT(bad, 0);
	}
	cap_free(&c);

	/* metrics VM...: only those VMs and their vCPUs, the host stays */
	metrics_filter(&s, (const uint32_t[]){ 2 }, 1);
	CHECK_INT(s.nvms, 1);
	CHECK_INT(s.vms[0].id, 2);
	CHECK_INT(s.nvcpus, 1);
	cap_open(&c);
	CHECK_INT(metrics_render(c.f, &s), 0);
	t = cap_text(&c);
	CHECK_INT(count(t, "vm_id=\"3\""), 0);
	CHECK_INT(count(t, "vm_id=\"1\""), 0);
	CHECK_LINE(t, "kvmsched_capacity_cpus 2");
	cap_free(&c);
	metrics_snap_free(&s);

	stub_err = -ENOENT;
	CHECK_INT(metrics_fetch(NULL, &s), -ENOENT);
	metrics_snap_free(&s);
}

static int render_stub(FILE *f, void *arg)
{
	return metrics_render(f, arg);
}

static int render_fail(FILE *f, void *arg)
{
	(void)arg;
	fputs("partial\n", f);
	return -EIO;
}

static int dir_entries(const char *dir)
{
	struct dirent *d;
	DIR *dp = opendir(dir);
	int n = 0;

	if (!dp)
		return -1;
	while ((d = readdir(dp)))
		n += d->d_name[0] != '.';
	closedir(dp);
	return n;
}

static void test_textfile(void)
{
	char dir[] = "/tmp/test_prom.XXXXXX", path[64], buf[64];
	struct metrics_snap s;
	struct stat st;
	FILE *f;

	stub_setup();
	CHECK(mkdtemp(dir), "mkdtemp");
	snprintf(path, sizeof(path), "%s/kvmsched.prom", dir);
	f = fopen(path, "w");
	fputs("old\n", f);
	fclose(f);
	CHECK_INT(metrics_fetch(NULL, &s), 0);
	/* a failed writer leaves the old file and no temporary */
	CHECK_INT(prom_textfile_write(path, render_fail, &s), -EIO);
	f = fopen(path, "r");
	CHECK(f && fgets(buf, sizeof(buf), f), "read back");
	CHECK_STR(buf, "old\n");
	fclose(f);
	CHECK_INT(dir_entries(dir), 1);
	/* a good one replaces it whole, 0644 */
	CHECK_INT(prom_textfile_write(path, render_stub, &s), 0);
	CHECK_INT(dir_entries(dir), 1);
	CHECK_INT(stat(path, &st), 0);
	CHECK_INT(st.st_mode & 0777, 0644);
	f = fopen(path, "r");
	CHECK(f && fgets(buf, sizeof(buf), f), "read back");
	CHECK_STR(buf, "# HELP kvmsched_vms VMs kvmsched tracks.\n");
	fclose(f);
	/* a directory that does not exist */
	CHECK_INT(prom_textfile_write("/nonexistent/x.prom", render_stub, &s), -ENOENT);
	metrics_snap_free(&s);
	unlink(path);
	rmdir(dir);
}

int main(int argc, char **argv)
{
	/* --dump: the rendered fixture, for promtool (tests/metrics/run.sh). */
	if (argc == 2 && !strcmp(argv[1], "--dump")) {
		struct metrics_snap s;
		int rc;

		stub_setup();
		rc = metrics_fetch(NULL, &s) || metrics_render(stdout, &s);
		metrics_snap_free(&s);
		return rc ? 1 : 0;
	}
	test_escape();
	test_names();
	test_writer();
	test_render();
	test_textfile();
	return check_done("test_prom");
}
