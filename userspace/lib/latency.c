// SPDX-License-Identifier: GPL-2.0
/* kvmschedctl: a VM's wake latency histogram; see latency.h. Pure. */
#include <inttypes.h>
#include <string.h>

#include "format.h"
#include "latency.h"

#define BAR_WIDTH	40

/* Every wake-latency attribute (present bits). */
#define LAT_ATTRS	(KVMS_BIT(KVMSCHED_A_VM_WAKE_LATENCY_COUNT) |	\
			 KVMS_BIT(KVMSCHED_A_VM_WAKE_LATENCY_P50_NS) |	\
			 KVMS_BIT(KVMSCHED_A_VM_WAKE_LATENCY_P99_NS) |	\
			 KVMS_BIT(KVMSCHED_A_VM_WAKE_LATENCY_MAX_NS) |	\
			 KVMS_BIT(KVMSCHED_A_VM_WAKE_LATENCY_SKIPPED) |	\
			 KVMS_BIT(KVMSCHED_A_VM_WAKE_LATENCY_HIST))

uint64_t lat_bucket_min_ns(unsigned int i)
{
	if (i >= LAT_BUCKETS)
		i = LAT_BUCKETS - 1;
	return i ? UINT64_C(1) << (9 + i) : 0;
}

uint64_t lat_bucket_max_ns(unsigned int i)
{
	if (i >= LAT_BUCKETS - 1)
		return UINT64_MAX;
	return (UINT64_C(1) << (10 + i)) - 1;
}

bool lat_present(const struct kvms_vm *vm)
{
	return (vm->present & LAT_ATTRS) == LAT_ATTRS;
}

void fmt_lat_ns(char *buf, size_t len, uint64_t ns, bool compact)
{
	static const struct {
		uint64_t div;
		const char *unit;
	} u[] = {
		{ 1, "ns" }, { 1000, "us" }, { 1000000, "ms" },
		{ 1000000000, "s" },
	};
	const char *sep = compact ? "" : " ";
	char num[32];
	unsigned int i = 0;
	size_t n;
	double v;

	while (i + 1 < sizeof(u) / sizeof(u[0]) && ns >= u[i + 1].div)
		i++;
	/* 999.5 us would round to "1000 us": "1 ms". */
	if (i + 1 < sizeof(u) / sizeof(u[0]) &&
	    (double)ns / (double)u[i].div >= 999.5)
		i++;
	if (!i) {
		snprintf(buf, len, "%" PRIu64 "%s%s", ns, sep, u[0].unit);
		return;
	}
	v = (double)ns / (double)u[i].div;
	snprintf(num, sizeof(num), "%.*f", v < 9.995 ? 2 : v < 99.95 ? 1 : 0,
		 v);
	n = strlen(num);
	if (strchr(num, '.')) {
		while (n && num[n - 1] == '0')
			num[--n] = '\0';
		if (n && num[n - 1] == '.')
			num[--n] = '\0';
	}
	snprintf(buf, len, "%s%s%s", num, sep, u[i].unit);
}

/* Lowest and highest non-empty bucket; false if all are empty. */
static bool lat_span(const struct kvms_vm *vm, unsigned int *lo,
		     unsigned int *hi, uint32_t *top)
{
	unsigned int i;
	bool any = false;

	*top = 0;
	for (i = 0; i < LAT_BUCKETS; i++) {
		if (!vm->wake_latency_hist[i])
			continue;
		if (!any)
			*lo = i;
		*hi = i;
		any = true;
		if (vm->wake_latency_hist[i] > *top)
			*top = vm->wake_latency_hist[i];
	}
	return any;
}

static void lat_bucket_line(FILE *f, const struct kvms_vm *vm, unsigned int i,
			    uint32_t top, int width)
{
	char from[32], to[32], bar[BAR_WIDTH + 1];
	uint32_t c = vm->wake_latency_hist[i];
	size_t n;

	fmt_lat_ns(from, sizeof(from), lat_bucket_min_ns(i), false);
	if (i + 1 < LAT_BUCKETS)
		fmt_lat_ns(to, sizeof(to), lat_bucket_min_ns(i + 1), false);
	else
		snprintf(to, sizeof(to), "inf");
	/* Rounded up: a bucket with anything in it shows at least one '#'. */
	n = top ? ((uint64_t)c * BAR_WIDTH + top - 1) / top : 0;
	memset(bar, '#', n);
	bar[n] = '\0';
	fprintf(f, "  %7s - %7s  | %*" PRIu32 "%s%s\n", from, to, width, c,
		n ? "  " : "", bar);
}

/* "    label:   <human> (<ns> ns)" */
static void lat_line(FILE *f, const char *label, uint64_t ns)
{
	char h[32];

	fmt_lat_ns(h, sizeof(h), ns, false);
	fprintf(f, "  %-10s %s (%" PRIu64 " ns)\n", label, h, ns);
}

void lat_print(FILE *f, const struct kvms_vm *vm)
{
	char name[FMT_CELL], digits[16];
	unsigned int lo = 0, hi = 0, i;
	uint32_t top;
	int width;

	if (vm->name[0])
		fmt_sanitize(name, sizeof(name), vm->name);
	fprintf(f, "VM %" PRIu32 "%s%s%s: wakeup-to-run latency of its vCPU threads, last window (%d periods)\n",
		vm->id, vm->name[0] ? " (" : "", vm->name[0] ? name : "",
		vm->name[0] ? ")" : "", KVMSCHED_WAKE_LATENCY_WINDOW_PERIODS);
	if (lat_span(vm, &lo, &hi, &top)) {
		width = snprintf(digits, sizeof(digits), "%" PRIu32, top);
		for (i = lo; i <= hi; i++)
			lat_bucket_line(f, vm, i, top, width);
	} else {
		fprintf(f, "  no wakeups measured in the last window\n");
	}
	fprintf(f, "  %-10s %" PRIu64 "\n", "count:", vm->wake_latency_count);
	lat_line(f, "p50:", vm->wake_latency_p50_ns);
	lat_line(f, "p99:", vm->wake_latency_p99_ns);
	lat_line(f, "max:", vm->wake_latency_max_ns);
	fprintf(f, "  %-10s %" PRIu64 " (runs after a preemption or several switches, not counted)\n",
		"skipped:", vm->wake_latency_skipped);
}

void jw_lat(struct jw *w, const char *key, const struct kvms_vm *vm)
{
	unsigned int i;

	jw_obj_begin(w, key);
	jw_obj_begin(w, "vm");
	jw_uint(w, "id", vm->id);
	jw_str(w, "name", KVMS_HAS(vm, KVMSCHED_A_VM_NAME) ? vm->name : NULL);
	jw_obj_end(w);
	jw_uint(w, "window_periods", KVMSCHED_WAKE_LATENCY_WINDOW_PERIODS);
	jw_uint(w, "count", vm->wake_latency_count);
	jw_uint(w, "p50_ns", vm->wake_latency_p50_ns);
	jw_uint(w, "p99_ns", vm->wake_latency_p99_ns);
	jw_uint(w, "max_ns", vm->wake_latency_max_ns);
	jw_uint(w, "skipped", vm->wake_latency_skipped);
	jw_arr_begin(w, "buckets");
	for (i = 0; i < LAT_BUCKETS; i++) {
		jw_obj_begin(w, NULL);
		jw_uint(w, "min_ns", lat_bucket_min_ns(i));
		if (i + 1 < LAT_BUCKETS)
			jw_uint(w, "max_ns", lat_bucket_max_ns(i));
		else
			jw_null(w, "max_ns");
		jw_uint(w, "count", vm->wake_latency_hist[i]);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
}

/* "    label:       <human>", or "-" when absent. */
static void lat_detail(FILE *f, const char *label, bool has, uint64_t ns)
{
	char h[32];

	if (!has) {
		fprintf(f, "    %-12s -\n", label);
		return;
	}
	fmt_lat_ns(h, sizeof(h), ns, false);
	fprintf(f, "    %-12s %s\n", label, h);
}

#define HAS(a) KVMS_HAS(vm, a)

void lat_details_print(FILE *f, const struct kvms_vm *vm)
{
	if (!(vm->present & LAT_ATTRS))
		return;
	fprintf(f, "  wake latency:\n");
	fprintf(f, "    %-12s last %d periods\n", "window:",
		KVMSCHED_WAKE_LATENCY_WINDOW_PERIODS);
	if (HAS(KVMSCHED_A_VM_WAKE_LATENCY_COUNT))
		fprintf(f, "    %-12s %" PRIu64 "\n", "wakeups:",
			vm->wake_latency_count);
	else
		fprintf(f, "    %-12s -\n", "wakeups:");
	lat_detail(f, "p50:", HAS(KVMSCHED_A_VM_WAKE_LATENCY_P50_NS),
		   vm->wake_latency_p50_ns);
	lat_detail(f, "p99:", HAS(KVMSCHED_A_VM_WAKE_LATENCY_P99_NS),
		   vm->wake_latency_p99_ns);
	lat_detail(f, "max:", HAS(KVMSCHED_A_VM_WAKE_LATENCY_MAX_NS),
		   vm->wake_latency_max_ns);
	if (HAS(KVMSCHED_A_VM_WAKE_LATENCY_SKIPPED))
		fprintf(f, "    %-12s %" PRIu64 "\n", "skipped:",
			vm->wake_latency_skipped);
	else
		fprintf(f, "    %-12s -\n", "skipped:");
}

#undef HAS
