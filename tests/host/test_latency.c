// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of the wake latency attributes in kvmschedctl: their
 * decoding from hand-built bytes (a histogram payload of any other size than
 * 32 u32 is rejected, and says so), the bucket bounds against the spec's
 * definition, human units, the histogram of `kvmschedctl latency`, show's
 * section, the JSON of show/list and latency, and the metrics (gauges; no
 * quantile sample for a window without wakeups). metrics.c's netlink calls
 * are stubbed. Output as the other tests: "test_latency: N passed, N failed".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "decode.h"
#include "format.h"
#include "latency.h"
#include "metrics.h"

#include "check.h"
#include "fixtures.h"

/* -- netlink stubs: metrics.c links against ipc.c, which is not pure ------ */

int ipc_config_get(struct ipc *ipc, struct kvms_config *c)
{
	(void)ipc;
	(void)c;
	return -ENOSYS;
}

int ipc_vm_dump(struct ipc *ipc, struct kvms_vm **out, size_t *n,
		bool *interrupted)
{
	(void)ipc;
	(void)out;
	(void)n;
	(void)interrupted;
	return -ENOSYS;
}

int ipc_vcpu_dump(struct ipc *ipc, const uint32_t *vm_id,
		  struct kvms_vcpu **out, size_t *n, bool *interrupted)
{
	(void)ipc;
	(void)vm_id;
	(void)out;
	(void)n;
	(void)interrupted;
	return -ENOSYS;
}

static int count_str(const char *t, const char *needle)
{
	int n = 0;

	while ((t = strstr(t, needle))) {
		n++;
		t += strlen(needle);
	}
	return n;
}

static int count_lines(const char *t)
{
	return count_str(t, "\n");
}

/* -- building replies (as test_decode.c) ---------------------------------- */

struct buf {
	unsigned char b[1024] __attribute__((aligned(8)));
	size_t len;
};

static void put(struct buf *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + len),
			    .nla_type = type };

	memcpy(m->b + m->len, &a, sizeof(a));
	if (len)
		memcpy(m->b + m->len + NLA_HDRLEN, data, len);
	m->len += NLA_ALIGN(NLA_HDRLEN + len);
}

static void put_u32(struct buf *m, uint16_t type, uint32_t v)
{
	put(m, type, &v, sizeof(v));
}

static void put_u64(struct buf *m, uint16_t type, uint64_t v)
{
	put(m, type, &v, sizeof(v));
}

/*
 * The example window: 3 waits of 1-2 us, 10 of 2-4 us, 1 of 8-16 us (9 us,
 * the max): p50 is bucket 2's upper end, p99 bucket 4's capped at the max.
 */
static const uint32_t example_hist[LAT_BUCKETS] = {
	[1] = 3, [2] = 10, [4] = 1,
};

static void put_lat(struct buf *m, size_t hist_bytes)
{
	uint32_t h[LAT_BUCKETS + 2] = { 0 };

	memcpy(h, example_hist, sizeof(example_hist));
	put_u64(m, KVMSCHED_A_VM_WAKE_LATENCY_COUNT, 14);
	put_u64(m, KVMSCHED_A_VM_WAKE_LATENCY_P50_NS, 4095);
	put_u64(m, KVMSCHED_A_VM_WAKE_LATENCY_P99_NS, 9000);
	put_u64(m, KVMSCHED_A_VM_WAKE_LATENCY_MAX_NS, 9000);
	/* a "uint" the kernel may send in 4 bytes */
	put_u32(m, KVMSCHED_A_VM_WAKE_LATENCY_SKIPPED, 2);
	put(m, KVMSCHED_A_VM_WAKE_LATENCY_HIST, h, hist_bytes);
}

static struct kvms_vm example_vm(void)
{
	struct kvms_vm vm = full_vm(3, "web1");

	vm.present |= KVMS_BIT(KVMSCHED_A_VM_WAKE_LATENCY_COUNT) |
		      KVMS_BIT(KVMSCHED_A_VM_WAKE_LATENCY_P50_NS) |
		      KVMS_BIT(KVMSCHED_A_VM_WAKE_LATENCY_P99_NS) |
		      KVMS_BIT(KVMSCHED_A_VM_WAKE_LATENCY_MAX_NS) |
		      KVMS_BIT(KVMSCHED_A_VM_WAKE_LATENCY_SKIPPED) |
		      KVMS_BIT(KVMSCHED_A_VM_WAKE_LATENCY_HIST);
	vm.wake_latency_count = 14;
	vm.wake_latency_p50_ns = 4095;
	vm.wake_latency_p99_ns = 9000;
	vm.wake_latency_max_ns = 9000;
	vm.wake_latency_skipped = 2;
	memcpy(vm.wake_latency_hist, example_hist, sizeof(example_hist));
	return vm;
}

static void test_decode(void)
{
	static const size_t bad_sizes[] = { 0, 4, 124, 127, 129, 132, 136 };
	struct kvms_vm vm;
	struct buf m;
	char why[160], want[160];
	size_t i;

	/* Arrange: every attribute, a 128-byte histogram. Act, assert. */
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VM_ID, 3);
	put_lat(&m, 128);
	CHECK_INT(decode_vm(m.b, (int)m.len, &vm), 0);
	CHECK(lat_present(&vm), "all six wake-latency attributes present");
	CHECK_INT(vm.wake_latency_count, 14);
	CHECK_INT(vm.wake_latency_p50_ns, 4095);
	CHECK_INT(vm.wake_latency_p99_ns, 9000);
	CHECK_INT(vm.wake_latency_max_ns, 9000);
	CHECK_INT(vm.wake_latency_skipped, 2);
	CHECK(!memcmp(vm.wake_latency_hist, example_hist, sizeof(example_hist)),
	      "histogram decoded as sent");

	/* a short or long payload: the whole reply is refused, and named */
	for (i = 0; i < NELEM(bad_sizes); i++) {
		m.len = 0;
		put_u32(&m, KVMSCHED_A_VM_ID, 3);
		put_lat(&m, bad_sizes[i]);
		CHECK_INT(decode_vm(m.b, (int)m.len, &vm), -EPROTO);
		snprintf(want, sizeof(want),
			 "attribute wake-latency-hist has %zu bytes, want 128 (32 u32)",
			 bad_sizes[i]);
		CHECK_STR(decode_last_error(why, sizeof(why)), want);
	}

	/* a u64 of the wrong size, likewise */
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VM_ID, 3);
	put(&m, KVMSCHED_A_VM_WAKE_LATENCY_P99_NS, "\1\2", 2);
	CHECK_INT(decode_vm(m.b, (int)m.len, &vm), -EPROTO);
	CHECK_STR(decode_last_error(why, sizeof(why)),
		  "attribute wake-latency-p99-ns has 2 bytes, want 8 or 4");

	/* a VM without an id */
	m.len = 0;
	put_lat(&m, 128);
	CHECK_INT(decode_vm(m.b, (int)m.len, &vm), -EPROTO);
	CHECK_STR(decode_last_error(why, sizeof(why)), "a VM without an id");

	/* an older module: none of them, nothing shown */
	m.len = 0;
	put_u32(&m, KVMSCHED_A_VM_ID, 3);
	CHECK_INT(decode_vm(m.b, (int)m.len, &vm), 0);
	CHECK(!lat_present(&vm), "no wake-latency attribute from an old module");
}

/* The spec's definition of a wait's bucket (wake-latency-buckets). */
static unsigned int spec_bucket(uint64_t ns)
{
	unsigned int f = ns ? 64 - (unsigned int)__builtin_clzll(ns) : 0;

	if (f <= 10)
		return 0;
	return f - 10 < LAT_BUCKETS - 1 ? f - 10 : LAT_BUCKETS - 1;
}

static void test_buckets(void)
{
	unsigned int i, bad = 0;

	CHECK_INT(lat_bucket_min_ns(0), 0);
	CHECK_INT(lat_bucket_max_ns(0), 1023);
	CHECK_INT(lat_bucket_min_ns(1), 1024);
	CHECK_INT(lat_bucket_max_ns(2), 4095);
	CHECK_INT(lat_bucket_min_ns(31), 1ULL << 40);
	CHECK(lat_bucket_max_ns(31) == UINT64_MAX, "the last bucket is open");
	for (i = 0; i < LAT_BUCKETS; i++) {
		bad += spec_bucket(lat_bucket_min_ns(i)) != i;
		bad += spec_bucket(lat_bucket_max_ns(i)) != i;
		if (i + 1 < LAT_BUCKETS)
			bad += lat_bucket_max_ns(i) + 1 !=
			       lat_bucket_min_ns(i + 1);
	}
	CHECK_INT(bad, 0);
}

static void test_units(void)
{
	static const struct {
		uint64_t ns;
		const char *want;
	} t[] = {
		{ 0, "0 ns" }, { 999, "999 ns" }, { 1000, "1 us" },
		{ 1023, "1.02 us" }, { 2048, "2.05 us" }, { 4096, "4.1 us" },
		{ 9995, "10 us" }, { 65535, "65.5 us" }, { 999499, "999 us" },
		{ 999500, "1 ms" }, { 12345678, "12.3 ms" },
		{ 1500000000, "1.5 s" }, { 1ULL << 40, "1100 s" },
	};
	char buf[32];
	size_t i;

	for (i = 0; i < NELEM(t); i++) {
		fmt_lat_ns(buf, sizeof(buf), t[i].ns, false);
		CHECK(!strcmp(buf, t[i].want), "%" PRIu64 " ns: got \"%s\", want \"%s\"",
		      t[i].ns, buf, t[i].want);
	}
	fmt_lat_ns(buf, sizeof(buf), 4096, true);
	CHECK_STR(buf, "4.1us");
}

static void test_print(void)
{
	struct kvms_vm vm = example_vm(), empty = mkvm(9, 1, NULL);
	struct capture c;

	cap_open(&c);
	lat_print(c.f, &vm);
	CHECK_STR(cap_text(&c),
		  "VM 3 (web1): wakeup-to-run latency of its vCPU threads, last window (10 periods)\n"
		  "  1.02 us - 2.05 us  |  3  ############\n"
		  "  2.05 us -  4.1 us  | 10  ########################################\n"
		  "   4.1 us - 8.19 us  |  0\n"
		  "  8.19 us - 16.4 us  |  1  ####\n"
		  "  count:     14\n"
		  "  p50:       4.09 us (4095 ns)\n"
		  "  p99:       9 us (9000 ns)\n"
		  "  max:       9 us (9000 ns)\n"
		  "  skipped:   2 (runs after a preemption or several switches, not counted)\n");
	cap_free(&c);

	/* no wakeups: said, no bucket lines */
	empty.present = vm.present;
	cap_open(&c);
	lat_print(c.f, &empty);
	CHECK_STR(cap_text(&c),
		  "VM 9: wakeup-to-run latency of its vCPU threads, last window (10 periods)\n"
		  "  no wakeups measured in the last window\n"
		  "  count:     0\n"
		  "  p50:       0 ns (0 ns)\n"
		  "  p99:       0 ns (0 ns)\n"
		  "  max:       0 ns (0 ns)\n"
		  "  skipped:   0 (runs after a preemption or several switches, not counted)\n");
	cap_free(&c);

	/* the top and bottom buckets, and a name that needs escaping */
	memset(&vm.wake_latency_hist, 0, sizeof(vm.wake_latency_hist));
	vm.wake_latency_hist[0] = 1;
	vm.wake_latency_hist[31] = 200;
	snprintf(vm.name, sizeof(vm.name), "a\033b");
	cap_open(&c);
	lat_print(c.f, &vm);
	{
		const char *t = cap_text(&c);

		CHECK_HAS(t, "VM 3 (a\\x1bb): ");
		CHECK_HAS(t, "\n     0 ns - 1.02 us  |   1  #\n");
		CHECK_HAS(t, "\n   1100 s -     inf  | 200  ########################################\n");
		CHECK_INT(count_lines(t), 32 + 6);
	}
	cap_free(&c);

	/* show's section */
	vm = example_vm();
	cap_open(&c);
	vm_details_print(c.f, &vm);
	CHECK_HAS(cap_text(&c),
		  "\n  wake latency:\n"
		  "    window:      last 10 periods\n"
		  "    wakeups:     14\n"
		  "    p50:         4.09 us\n"
		  "    p99:         9 us\n"
		  "    max:         9 us\n"
		  "    skipped:     2\n");
	cap_free(&c);
	vm = full_vm(3, "web1");
	cap_open(&c);
	vm_details_print(c.f, &vm);
	CHECK(!strstr(cap_text(&c), "wake latency"),
	      "no wake latency section from an old module");
	cap_free(&c);
}

static void test_json(void)
{
	struct kvms_vm vm = example_vm();
	struct capture c;
	const char *t;
	struct jw w;

	/* show -j, list -j: raw ns and the 32 counts */
	cap_open(&c);
	jw_init(&w, c.f);
	jw_vm(&w, NULL, &vm);
	t = cap_text(&c);
	CHECK_HAS(t, ",\"wake_latency_count\":14,\"wake_latency_p50_ns\":4095,"
		  "\"wake_latency_p99_ns\":9000,\"wake_latency_max_ns\":9000,"
		  "\"wake_latency_skipped\":2,\"wake_latency_hist\":[0,3,10,0,1,"
		  "0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]}");
	cap_free(&c);
	vm = full_vm(3, "web1");
	cap_open(&c);
	jw_init(&w, c.f);
	jw_vm(&w, NULL, &vm);
	CHECK(!strstr(cap_text(&c), "wake_latency"), "no wake_latency keys from an old module");
	cap_free(&c);

	/* latency -j: the buckets with their bounds */
	vm = example_vm();
	cap_open(&c);
	jw_init(&w, c.f);
	jw_lat(&w, NULL, &vm);
	t = cap_text(&c);
	CHECK_HAS(t, "{\"vm\":{\"id\":3,\"name\":\"web1\"},\"window_periods\":10,"
		  "\"count\":14,\"p50_ns\":4095,\"p99_ns\":9000,\"max_ns\":9000,"
		  "\"skipped\":2,\"buckets\":[{\"min_ns\":0,\"max_ns\":1023,\"count\":0},"
		  "{\"min_ns\":1024,\"max_ns\":2047,\"count\":3},"
		  "{\"min_ns\":2048,\"max_ns\":4095,\"count\":10},");
	CHECK_HAS(t, ",{\"min_ns\":1099511627776,\"max_ns\":null,\"count\":0}]}");
	CHECK_INT(count_str(t, "\"min_ns\""), 32);
	CHECK(t[strlen(t) - 1] == '}', "one object");
	cap_free(&c);
}

/* The value of the sample line that starts with prefix, NAN if none. */
static double sample(const char *text, const char *prefix)
{
	const char *p = text;
	size_t n = strlen(prefix);

	while (p && *p) {
		if (!strncmp(p, prefix, n) && p[n] == ' ')
			return strtod(p + n + 1, NULL);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NAN;
}

static void test_metrics(void)
{
	struct kvms_vm vms[2] = { example_vm(), example_vm() };
	struct metrics_snap s = { 0 };
	struct capture c;
	const char *t;

	vms[1].id = 4;
	vms[1].name[0] = '\0';
	vms[1].present &= ~KVMS_BIT(KVMSCHED_A_VM_NAME);
	vms[1].wake_latency_count = 0;
	vms[1].wake_latency_p50_ns = vms[1].wake_latency_p99_ns = 0;
	vms[1].wake_latency_max_ns = 0;
	memset(vms[1].wake_latency_hist, 0, sizeof(vms[1].wake_latency_hist));
	s.cfg = full_config();
	s.vms = vms;
	s.nvms = 2;
	cap_open(&c);
	CHECK_INT(metrics_render(c.f, &s), 0);
	t = cap_text(&c);
#define VM3 "{vm_id=\"3\",vm_name=\"web1\",pid=\"1234567\"}"
#define VM4 "{vm_id=\"4\",pid=\"1234567\"}"
	CHECK_HAS(t, "\n# TYPE kvmsched_vm_wake_latency_p99_seconds gauge\n");
	CHECK_HAS(t, "\n# TYPE kvmsched_vm_wake_latency_wakeups gauge\n");
	CHECK(sample(t, "kvmsched_vm_wake_latency_wakeups" VM3) == 14, "wakeups 14");
	CHECK(sample(t, "kvmsched_vm_wake_latency_skipped" VM3) == 2, "skipped 2");
	CHECK(fabs(sample(t, "kvmsched_vm_wake_latency_p50_seconds" VM3) - 4.095e-6) < 1e-12,
	      "p50 4.095e-6 s");
	CHECK(fabs(sample(t, "kvmsched_vm_wake_latency_p99_seconds" VM3) - 9e-6) < 1e-12,
	      "p99 9e-6 s");
	CHECK(fabs(sample(t, "kvmsched_vm_wake_latency_max_seconds" VM3) - 9e-6) < 1e-12,
	      "max 9e-6 s");
	/* no wakeups: counted as 0, but no quantile or max sample */
	CHECK(sample(t, "kvmsched_vm_wake_latency_wakeups" VM4) == 0, "VM 4: wakeups 0");
	CHECK(isnan(sample(t, "kvmsched_vm_wake_latency_p50_seconds" VM4)),
	      "VM 4: no p50 sample");
	CHECK(isnan(sample(t, "kvmsched_vm_wake_latency_p99_seconds" VM4)),
	      "VM 4: no p99 sample");
	CHECK(isnan(sample(t, "kvmsched_vm_wake_latency_max_seconds" VM4)),
	      "VM 4: no max sample");
	/* not a histogram: no _bucket/_sum/_count series, no le label */
	CHECK(!strstr(t, "wake_latency_seconds_bucket") && !strstr(t, "le=\""),
	      "no histogram series");
	cap_free(&c);
}

int main(int argc, char **argv)
{
	/* --dump: a render with wake latency, for promtool */
	if (argc == 2 && !strcmp(argv[1], "--dump")) {
		struct kvms_vm vms[1] = { example_vm() };
		struct metrics_snap s = { .vms = vms, .nvms = 1 };

		s.cfg = full_config();
		return metrics_render(stdout, &s) ? 1 : 0;
	}
	test_decode();
	test_buckets();
	test_units();
	test_print();
	test_json();
	test_metrics();
	return check_done("test_latency");
}
