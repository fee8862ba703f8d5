// SPDX-License-Identifier: GPL-2.0
/*
 * kvmschedctl: output formatting. Pure code, linked by the host unit tests
 * and the fuzzer; see format.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "format.h"
#include "latency.h"
#include "parse.h"

/* The escaped form of byte c in tmp (NUL-terminated); returns its length. */
static size_t escape_byte(unsigned char c, char tmp[5], bool space)
{
	if (c == '\\')
		return (size_t)snprintf(tmp, 5, "\\\\");
	if ((c < 0x21 && !(space && c == ' ')) || c > 0x7e)
		return (size_t)snprintf(tmp, 5, "\\x%02x", c);
	tmp[0] = (char)c;
	tmp[1] = '\0';
	return 1;
}

static size_t sanitize(char *dst, size_t dstsz, const char *src, bool space)
{
	const unsigned char *s;
	size_t o = 0, total = 0, n;
	char tmp[5];

	if (!dstsz)
		return 0;
	for (s = (const unsigned char *)src; *s; s++)
		total += escape_byte(*s, tmp, space);
	for (s = (const unsigned char *)src; *s; s++) {
		n = escape_byte(*s, tmp, space);
		/* When it does not all fit, keep room for "..." and the NUL. */
		if (total >= dstsz ? o + n + 4 > dstsz : o + n + 1 > dstsz)
			break;
		memcpy(dst + o, tmp, n);
		o += n;
	}
	if (total >= dstsz && o + 4 <= dstsz) {
		memcpy(dst + o, "...", 3);
		o += 3;
	}
	dst[o] = '\0';
	return o;
}

size_t fmt_sanitize(char *dst, size_t dstsz, const char *src)
{
	return sanitize(dst, dstsz, src, false);
}

size_t fmt_quote(char *dst, size_t dstsz, const char *src)
{
	return sanitize(dst, dstsz, src, true);
}

void fmt_ns_s(char *buf, size_t len, uint64_t ns)
{
	snprintf(buf, len, "%" PRIu64 ".%02" PRIu64, ns / 1000000000,
		 ns % 1000000000 / 10000000);
}

void fmt_permille_pct(char *buf, size_t len, uint32_t permille)
{
	snprintf(buf, len, "%u.%u", permille / 10, permille % 10);
}

void fmt_timestamp(char *buf, size_t len, const struct timespec *ts)
{
	struct tm tm;
	char date[32], zone[8];

	if (!localtime_r(&ts->tv_sec, &tm)) {
		snprintf(buf, len, "%lld.%03ld", (long long)ts->tv_sec,
			 ts->tv_nsec / 1000000);
		return;
	}
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(zone, sizeof(zone), "%z", &tm);
	snprintf(buf, len, "%s.%03ld%s", date, ts->tv_nsec / 1000000, zone);
}

#define JW_U(w, obj, attr, field)				\
	do {							\
		if (KVMS_HAS(obj, attr))			\
			jw_uint(w, #field, (obj)->field);	\
	} while (0)

/* An enum by name, or its number when this program does not know it. */
#define JW_ENUM(w, obj, attr, field, fn)				\
	do {								\
		if (!KVMS_HAS(obj, attr))				\
			break;						\
		if (fn((obj)->field))					\
			jw_str(w, #field, fn((obj)->field));		\
		else							\
			jw_uint(w, #field, (obj)->field);		\
	} while (0)

void jw_vm(struct jw *w, const char *key, const struct kvms_vm *vm)
{
	jw_obj_begin(w, key);
	JW_U(w, vm, KVMSCHED_A_VM_ID, id);
	jw_str(w, "name", KVMS_HAS(vm, KVMSCHED_A_VM_NAME) ? vm->name : NULL);
	JW_U(w, vm, KVMSCHED_A_VM_PID, pid);
	if (KVMS_HAS(vm, KVMSCHED_A_VM_COMM))
		jw_str(w, "comm", vm->comm);
	JW_U(w, vm, KVMSCHED_A_VM_NR_VCPUS, nr_vcpus);
	if (KVMS_HAS(vm, KVMSCHED_A_VM_CLASS)) {
		if (class_name(vm->class))
			jw_str(w, "class", class_name(vm->class));
		else
			jw_uint(w, "class", vm->class);
	}
	JW_U(w, vm, KVMSCHED_A_VM_WEIGHT, weight);
	JW_U(w, vm, KVMSCHED_A_VM_ENTITLED_MCPU, entitled_mcpu);
	JW_U(w, vm, KVMSCHED_A_VM_DEMAND_MCPU, demand_mcpu);
	JW_U(w, vm, KVMSCHED_A_VM_NR_ACTIVE_VCPUS, nr_active_vcpus);
	JW_U(w, vm, KVMSCHED_A_VM_CPU_LAST_MCPU, cpu_last_mcpu);
	JW_U(w, vm, KVMSCHED_A_VM_STEAL_LAST_PERMILLE, steal_last_permille);
	JW_U(w, vm, KVMSCHED_A_VM_CPU_TIME_NS, cpu_time_ns);
	JW_U(w, vm, KVMSCHED_A_VM_WAIT_TIME_NS, wait_time_ns);
	JW_U(w, vm, KVMSCHED_A_VM_VM_ENTRIES, vm_entries);
	/* CPU bounds */
	JW_U(w, vm, KVMSCHED_A_VM_RESERVATION_MCPU, reservation_mcpu);
	JW_U(w, vm, KVMSCHED_A_VM_LIMIT_MCPU, limit_mcpu);
	JW_ENUM(w, vm, KVMSCHED_A_VM_BOUND, bound, bound_name);
	JW_U(w, vm, KVMSCHED_A_VM_THROTTLED_NS, throttled_ns);
	JW_U(w, vm, KVMSCHED_A_VM_RESERVATION_MISSES, reservation_misses);
	/* realtime class: sent, and shown, whatever the class */
	JW_U(w, vm, KVMSCHED_A_VM_RT_PRIORITY, rt_priority);
	JW_U(w, vm, KVMSCHED_A_VM_RR_QUANTUM_MS, rr_quantum_ms);
	JW_U(w, vm, KVMSCHED_A_VM_RT_THROTTLED_PERIODS, rt_throttled_periods);
	/* starvation of a shares VM (starve_ms) */
	JW_U(w, vm, KVMSCHED_A_VM_STARVED_COUNT, starved_count);
	/* latency class: sent, and shown, whatever the class */
	JW_U(w, vm, KVMSCHED_A_VM_LATENCY_US, latency_us);
	/* memory */
	JW_U(w, vm, KVMSCHED_A_VM_MEM_SHARES, mem_shares);
	JW_U(w, vm, KVMSCHED_A_VM_MEM_MIN_MIB, mem_min_mib);
	JW_U(w, vm, KVMSCHED_A_VM_MEM_MAX_MIB, mem_max_mib);
	JW_U(w, vm, KVMSCHED_A_VM_GUEST_MEM_MIB, guest_mem_mib);
	JW_U(w, vm, KVMSCHED_A_VM_RSS_MIB, rss_mib);
	JW_U(w, vm, KVMSCHED_A_VM_GUEST_FREE_MIB, guest_free_mib);
	JW_U(w, vm, KVMSCHED_A_VM_GUEST_AVAIL_MIB, guest_avail_mib);
	JW_U(w, vm, KVMSCHED_A_VM_BALLOON_ACTUAL_MIB, balloon_actual_mib);
	JW_U(w, vm, KVMSCHED_A_VM_BALLOON_TARGET_MIB, balloon_target_mib);
	JW_ENUM(w, vm, KVMSCHED_A_VM_BALLOON_REASON, balloon_reason,
		balloon_reason_name);
	/* wake latency, last window; bucket bounds in latency.h */
	JW_U(w, vm, KVMSCHED_A_VM_WAKE_LATENCY_COUNT, wake_latency_count);
	JW_U(w, vm, KVMSCHED_A_VM_WAKE_LATENCY_P50_NS, wake_latency_p50_ns);
	JW_U(w, vm, KVMSCHED_A_VM_WAKE_LATENCY_P99_NS, wake_latency_p99_ns);
	JW_U(w, vm, KVMSCHED_A_VM_WAKE_LATENCY_MAX_NS, wake_latency_max_ns);
	JW_U(w, vm, KVMSCHED_A_VM_WAKE_LATENCY_SKIPPED, wake_latency_skipped);
	if (KVMS_HAS(vm, KVMSCHED_A_VM_WAKE_LATENCY_HIST)) {
		size_t i;

		jw_arr_begin(w, "wake_latency_hist");
		for (i = 0; i < KVMSCHED_WAKE_LATENCY_BUCKETS; i++)
			jw_uint(w, NULL, vm->wake_latency_hist[i]);
		jw_arr_end(w);
	}
	jw_obj_end(w);
}

void jw_vcpu(struct jw *w, const char *key, const struct kvms_vcpu *v)
{
	jw_obj_begin(w, key);
	JW_U(w, v, KVMSCHED_A_VCPU_VM_ID, vm_id);
	JW_U(w, v, KVMSCHED_A_VCPU_VCPU_ID, vcpu_id);
	JW_U(w, v, KVMSCHED_A_VCPU_TID, tid);
	JW_U(w, v, KVMSCHED_A_VCPU_POLICY, policy);
	if (KVMS_HAS(v, KVMSCHED_A_VCPU_NICE))
		jw_int(w, "nice", v->nice);
	JW_U(w, v, KVMSCHED_A_VCPU_OVERRIDES, overrides);
	JW_U(w, v, KVMSCHED_A_VCPU_DL_MCPU, dl_mcpu);
	JW_ENUM(w, v, KVMSCHED_A_VCPU_DL_BLOCK, dl_block, dl_block_name);
	JW_U(w, v, KVMSCHED_A_VCPU_DL_BLOCKED, dl_blocked);
	JW_U(w, v, KVMSCHED_A_VCPU_STARVED_MS, starved_ms);
	JW_U(w, v, KVMSCHED_A_VCPU_BURST_US, burst_us);
	if (KVMS_HAS(v, KVMSCHED_A_VCPU_THREAD_SHARED))
		jw_int(w, "thread_shared", v->thread_shared);
	JW_U(w, v, KVMSCHED_A_VCPU_CPU_LAST_MCPU, cpu_last_mcpu);
	JW_U(w, v, KVMSCHED_A_VCPU_STEAL_LAST_PERMILLE, steal_last_permille);
	JW_U(w, v, KVMSCHED_A_VCPU_CPU_TIME_NS, cpu_time_ns);
	JW_U(w, v, KVMSCHED_A_VCPU_WAIT_TIME_NS, wait_time_ns);
	JW_U(w, v, KVMSCHED_A_VCPU_VM_ENTRIES, vm_entries);
	jw_obj_end(w);
}

/* Config attributes by the keys of kv_config_keys, in its order. */
void jw_config(struct jw *w, const char *key, const struct kvms_config *c)
{
	const struct kv_key *k;
	const char *name;
	uint64_t v;

	jw_obj_begin(w, key);
	for (k = kv_config_keys; k->key; k++) {
		if (!config_value(c, k->attr, &v))
			continue;
		name = k->type == KV_ENUM && v <= UINT32_MAX ?
			kv_enum_name(k->enums, (uint32_t)v) : NULL;
		if (name)
			jw_str(w, k->key, name);
		else
			jw_uint(w, k->key, v);
	}
	jw_obj_end(w);
}

const struct table_col vm_cols[VM_NCOLS] = {
	[VMC_ID] = { "ID", true, false },
	[VMC_NAME] = { "NAME", false, false },
	[VMC_PID] = { "PID", true, false },
	[VMC_COMM] = { "COMM", false, false },
	[VMC_VCPUS] = { "VCPUS", true, false },
	[VMC_CLASS] = { "CLASS", false, false },
	[VMC_WEIGHT] = { "WEIGHT", true, false },
	[VMC_ENT] = { "ENT(mcpu)", true, false },
	[VMC_CPU] = { "CPU(mcpu)", true, false },
	[VMC_STEAL] = { "STEAL%", true, false },
	[VMC_DEMAND] = { "DEMAND(mcpu)", true, true },
	[VMC_ACTIVE] = { "ACTIVE", true, true },
	[VMC_RES] = { "RES(mcpu)", true, true },
	[VMC_LIMIT] = { "LIMIT(mcpu)", true, true },
	[VMC_BOUND] = { "BOUND", false, true },
	[VMC_MEM] = { "MEM(MiB)", true, true },
	[VMC_RSS] = { "RSS(MiB)", true, true },
	[VMC_TARGET] = { "TARGET(MiB)", true, true },
	[VMC_CPU_S] = { "CPU_S", true, true },
	[VMC_WAIT_S] = { "WAIT_S", true, true },
	[VMC_ENTRIES] = { "ENTRIES", true, true },
};

const struct table_col vcpu_cols[VCPU_NCOLS] = {
	[VCC_VCPU] = { "VCPU", true, false },
	[VCC_TID] = { "TID", true, false },
	[VCC_POLICY] = { "POLICY", false, false },
	[VCC_NICE] = { "NICE", true, false },
	[VCC_OVERRIDES] = { "OVERRIDES", true, false },
	[VCC_DL] = { "DL(mcpu)", true, false },
	[VCC_BLOCK] = { "BLOCK", false, false },
	[VCC_STARVED] = { "STARVED(ms)", true, false },
	[VCC_BURST] = { "BURST(us)", true, false },
	[VCC_CPU] = { "CPU(mcpu)", true, false },
	[VCC_STEAL] = { "STEAL%", true, false },
	[VCC_CPU_S] = { "CPU_S", true, false },
	[VCC_WAIT_S] = { "WAIT_S", true, false },
	[VCC_ENTRIES] = { "ENTRIES", true, false },
};

#define CELL_U(cell, obj, attr, v)					\
	do {								\
		if (KVMS_HAS(obj, attr))				\
			snprintf(cell, FMT_CELL, "%" PRIu64, (uint64_t)(v)); \
		else							\
			strcpy(cell, "-");				\
	} while (0)

#define CELL_F(cell, obj, attr, fn, v)					\
	do {								\
		if (KVMS_HAS(obj, attr))				\
			fn(cell, FMT_CELL, v);				\
		else							\
			strcpy(cell, "-");				\
	} while (0)

/* A name from fn(v), or the number when fn does not know it. */
#define CELL_NAME(cell, obj, attr, fn, v)				\
	do {								\
		if (!KVMS_HAS(obj, attr))				\
			strcpy(cell, "-");				\
		else if (fn(v))						\
			snprintf(cell, FMT_CELL, "%s", fn(v));		\
		else							\
			snprintf(cell, FMT_CELL, "%u", (unsigned int)(v)); \
	} while (0)

void vm_row(const struct kvms_vm *vm, char c[VM_NCOLS][FMT_CELL])
{
	CELL_U(c[VMC_ID], vm, KVMSCHED_A_VM_ID, vm->id);
	if (KVMS_HAS(vm, KVMSCHED_A_VM_NAME) && vm->name[0])
		fmt_sanitize(c[VMC_NAME], FMT_CELL, vm->name);
	else
		strcpy(c[VMC_NAME], "-");
	CELL_U(c[VMC_PID], vm, KVMSCHED_A_VM_PID, vm->pid);
	if (KVMS_HAS(vm, KVMSCHED_A_VM_COMM) && vm->comm[0])
		fmt_sanitize(c[VMC_COMM], FMT_CELL, vm->comm);
	else
		strcpy(c[VMC_COMM], "-");
	CELL_U(c[VMC_VCPUS], vm, KVMSCHED_A_VM_NR_VCPUS, vm->nr_vcpus);
	CELL_NAME(c[VMC_CLASS], vm, KVMSCHED_A_VM_CLASS, class_name, vm->class);
	CELL_U(c[VMC_WEIGHT], vm, KVMSCHED_A_VM_WEIGHT, vm->weight);
	CELL_U(c[VMC_ENT], vm, KVMSCHED_A_VM_ENTITLED_MCPU, vm->entitled_mcpu);
	CELL_U(c[VMC_CPU], vm, KVMSCHED_A_VM_CPU_LAST_MCPU, vm->cpu_last_mcpu);
	CELL_F(c[VMC_STEAL], vm, KVMSCHED_A_VM_STEAL_LAST_PERMILLE,
	       fmt_permille_pct, vm->steal_last_permille);
	CELL_U(c[VMC_DEMAND], vm, KVMSCHED_A_VM_DEMAND_MCPU, vm->demand_mcpu);
	CELL_U(c[VMC_ACTIVE], vm, KVMSCHED_A_VM_NR_ACTIVE_VCPUS,
	       vm->nr_active_vcpus);
	CELL_U(c[VMC_RES], vm, KVMSCHED_A_VM_RESERVATION_MCPU,
	       vm->reservation_mcpu);
	CELL_U(c[VMC_LIMIT], vm, KVMSCHED_A_VM_LIMIT_MCPU, vm->limit_mcpu);
	CELL_NAME(c[VMC_BOUND], vm, KVMSCHED_A_VM_BOUND, bound_name, vm->bound);
	CELL_U(c[VMC_MEM], vm, KVMSCHED_A_VM_GUEST_MEM_MIB, vm->guest_mem_mib);
	CELL_U(c[VMC_RSS], vm, KVMSCHED_A_VM_RSS_MIB, vm->rss_mib);
	CELL_U(c[VMC_TARGET], vm, KVMSCHED_A_VM_BALLOON_TARGET_MIB,
	       vm->balloon_target_mib);
	CELL_F(c[VMC_CPU_S], vm, KVMSCHED_A_VM_CPU_TIME_NS, fmt_ns_s,
	       vm->cpu_time_ns);
	CELL_F(c[VMC_WAIT_S], vm, KVMSCHED_A_VM_WAIT_TIME_NS, fmt_ns_s,
	       vm->wait_time_ns);
	CELL_U(c[VMC_ENTRIES], vm, KVMSCHED_A_VM_VM_ENTRIES, vm->vm_entries);
}

int vm_table_print(FILE *f, const struct kvms_vm *vms, size_t n, bool wide)
{
	static char cells[VM_NCOLS][FMT_CELL];
	struct table_col cols[VM_NCOLS];
	const char *row[VM_NCOLS];
	unsigned int map[VM_NCOLS], nc = 0, j;
	struct table t;
	size_t i;
	int rc = 0;

	for (j = 0; j < VM_NCOLS; j++) {
		if (vm_cols[j].wide && !wide)
			continue;
		cols[nc] = vm_cols[j];
		map[nc++] = j;
	}
	table_init(&t, cols, nc);
	for (i = 0; i < n && !rc; i++) {
		vm_row(&vms[i], cells);
		for (j = 0; j < nc; j++)
			row[j] = cells[map[j]];
		rc = table_add(&t, row);
	}
	if (!rc)
		table_print(&t, f);
	table_free(&t);
	return rc;
}

/* The attributes of show's sections (present bits). */
#define VM_BOUNDS_ATTRS	(KVMS_BIT(KVMSCHED_A_VM_RESERVATION_MCPU) |	\
			 KVMS_BIT(KVMSCHED_A_VM_LIMIT_MCPU) |		\
			 KVMS_BIT(KVMSCHED_A_VM_BOUND) |		\
			 KVMS_BIT(KVMSCHED_A_VM_THROTTLED_NS) |		\
			 KVMS_BIT(KVMSCHED_A_VM_RESERVATION_MISSES))
#define VM_MEM_ATTRS	(KVMS_BIT(KVMSCHED_A_VM_MEM_SHARES) |		\
			 KVMS_BIT(KVMSCHED_A_VM_MEM_MIN_MIB) |		\
			 KVMS_BIT(KVMSCHED_A_VM_MEM_MAX_MIB) |		\
			 KVMS_BIT(KVMSCHED_A_VM_GUEST_MEM_MIB) |	\
			 KVMS_BIT(KVMSCHED_A_VM_RSS_MIB) |		\
			 KVMS_BIT(KVMSCHED_A_VM_GUEST_FREE_MIB) |	\
			 KVMS_BIT(KVMSCHED_A_VM_GUEST_AVAIL_MIB))
#define VM_BALLOON_ATTRS (KVMS_BIT(KVMSCHED_A_VM_BALLOON_ACTUAL_MIB) |	\
			  KVMS_BIT(KVMSCHED_A_VM_BALLOON_TARGET_MIB) |	\
			  KVMS_BIT(KVMSCHED_A_VM_BALLOON_REASON))

/* "    label:       <value>[ unit]", or "-" alone when absent. */
static void detail_u(FILE *f, const char *label, bool has, uint64_t v,
		     const char *unit, const char *note)
{
	if (!has) {
		fprintf(f, "    %-12s -\n", label);
		return;
	}
	fprintf(f, "    %-12s %" PRIu64 "%s%s%s%s%s\n", label, v,
		unit ? " " : "", unit ? unit : "", note ? " (" : "",
		note ? note : "", note ? ")" : "");
}

/* An enum value by name, else its number; "-" when absent. */
static void detail_enum(FILE *f, const char *label, bool has, uint32_t v,
			const char *(*fn)(uint32_t), const char *note)
{
	if (!has)
		fprintf(f, "    %-12s -\n", label);
	else if (fn(v))
		fprintf(f, "    %-12s %s%s%s%s\n", label, fn(v), note ? " (" : "",
			note ? note : "", note ? ")" : "");
	else
		fprintf(f, "    %-12s %u%s%s%s\n", label, v, note ? " (" : "",
			note ? note : "", note ? ")" : "");
}

#define HAS(a) KVMS_HAS(vm, a)

static void vm_bounds_print(FILE *f, const struct kvms_vm *vm)
{
	char buf[FMT_CELL];

	if (!(vm->present & VM_BOUNDS_ATTRS))
		return;
	fprintf(f, "  cpu bounds:\n");
	detail_u(f, "reservation:", HAS(KVMSCHED_A_VM_RESERVATION_MCPU),
		 vm->reservation_mcpu, "mcpu",
		 vm->reservation_mcpu ? "floor" : "none");
	detail_u(f, "limit:", HAS(KVMSCHED_A_VM_LIMIT_MCPU), vm->limit_mcpu,
		 "mcpu", vm->limit_mcpu ? "ceiling" : "unlimited");
	detail_enum(f, "bound:", HAS(KVMSCHED_A_VM_BOUND), vm->bound,
		    bound_name, "last period");
	if (HAS(KVMSCHED_A_VM_THROTTLED_NS)) {
		fmt_ns_s(buf, sizeof(buf), vm->throttled_ns);
		fprintf(f, "    %-12s %s s\n", "throttled:", buf);
	} else {
		fprintf(f, "    %-12s -\n", "throttled:");
	}
	detail_u(f, "res. misses:", HAS(KVMSCHED_A_VM_RESERVATION_MISSES),
		 vm->reservation_misses, NULL, NULL);
}

static void vm_memory_print(FILE *f, const struct kvms_vm *vm)
{
	if (vm->present & VM_MEM_ATTRS) {
		fprintf(f, "  memory:\n");
		detail_u(f, "shares:", HAS(KVMSCHED_A_VM_MEM_SHARES),
			 vm->mem_shares, NULL, NULL);
		detail_u(f, "min:", HAS(KVMSCHED_A_VM_MEM_MIN_MIB),
			 vm->mem_min_mib, "MiB", NULL);
		detail_u(f, "max:", HAS(KVMSCHED_A_VM_MEM_MAX_MIB),
			 vm->mem_max_mib, "MiB", NULL);
		detail_u(f, "guest ram:", HAS(KVMSCHED_A_VM_GUEST_MEM_MIB),
			 vm->guest_mem_mib, "MiB", NULL);
		detail_u(f, "rss:", HAS(KVMSCHED_A_VM_RSS_MIB), vm->rss_mib,
			 "MiB", NULL);
		detail_u(f, "guest free:", HAS(KVMSCHED_A_VM_GUEST_FREE_MIB),
			 vm->guest_free_mib, "MiB", "guest-reported");
		detail_u(f, "guest avail:", HAS(KVMSCHED_A_VM_GUEST_AVAIL_MIB),
			 vm->guest_avail_mib, "MiB", "guest-reported");
	}
	if (vm->present & VM_BALLOON_ATTRS) {
		fprintf(f, "  balloon:\n");
		detail_u(f, "actual:", HAS(KVMSCHED_A_VM_BALLOON_ACTUAL_MIB),
			 vm->balloon_actual_mib, "MiB", "guest size now");
		detail_u(f, "target:", HAS(KVMSCHED_A_VM_BALLOON_TARGET_MIB),
			 vm->balloon_target_mib, "MiB", NULL);
		detail_enum(f, "reason:", HAS(KVMSCHED_A_VM_BALLOON_REASON),
			    vm->balloon_reason, balloon_reason_name, NULL);
	}
}

/*
 * "  realtime:      priority 30, RR 20 ms, throttled 2 periods" (FCFS for a
 * quantum of 0), for a realtime VM only: the others keep an rt_priority
 * they do not use.
 */
static void vm_realtime_print(FILE *f, const struct kvms_vm *vm)
{
	char prio[16] = "-", quantum[32] = "quantum -", thr[48] = "-";

	if (!HAS(KVMSCHED_A_VM_CLASS) || vm->class != KVMSCHED_CLASS_REALTIME)
		return;
	if (HAS(KVMSCHED_A_VM_RT_PRIORITY))
		snprintf(prio, sizeof(prio), "%u", vm->rt_priority);
	if (HAS(KVMSCHED_A_VM_RR_QUANTUM_MS) && !vm->rr_quantum_ms)
		snprintf(quantum, sizeof(quantum), "FCFS");
	else if (HAS(KVMSCHED_A_VM_RR_QUANTUM_MS))
		snprintf(quantum, sizeof(quantum), "RR %u ms",
			 vm->rr_quantum_ms);
	if (HAS(KVMSCHED_A_VM_RT_THROTTLED_PERIODS))
		snprintf(thr, sizeof(thr), "%" PRIu64 " period%s",
			 vm->rt_throttled_periods,
			 vm->rt_throttled_periods == 1 ? "" : "s");
	fprintf(f, "  %-14s priority %s, %s, throttled %s\n", "realtime:",
		prio, quantum, thr);
}

/*
 * "  latency:       deadline period 5000 us", for a latency VM only: the
 * others keep a latency_us they do not use.
 */
static void vm_latency_print(FILE *f, const struct kvms_vm *vm)
{
	if (!HAS(KVMSCHED_A_VM_CLASS) || vm->class != KVMSCHED_CLASS_LATENCY)
		return;
	if (HAS(KVMSCHED_A_VM_LATENCY_US))
		fprintf(f, "  %-14s deadline period %u us\n", "latency:",
			vm->latency_us);
	else
		fprintf(f, "  %-14s deadline period -\n", "latency:");
}

#undef HAS

void vm_details_print(FILE *f, const struct kvms_vm *vm)
{
	char c[VM_NCOLS][FMT_CELL];

	vm_row(vm, c);
	fprintf(f, "VM %s\n", c[VMC_ID]);
	fprintf(f, "  %-14s %s\n", "name:", c[VMC_NAME]);
	fprintf(f, "  %-14s %s\n", "pid:", c[VMC_PID]);
	fprintf(f, "  %-14s %s\n", "comm:", c[VMC_COMM]);
	fprintf(f, "  %-14s %s\n", "vcpus:", c[VMC_VCPUS]);
	fprintf(f, "  %-14s %s\n", "class:", c[VMC_CLASS]);
	fprintf(f, "  %-14s %s\n", "weight:", c[VMC_WEIGHT]);
	vm_realtime_print(f, vm);
	vm_latency_print(f, vm);
	fprintf(f, "  %-14s %s mcpu (last period)\n", "entitled:", c[VMC_ENT]);
	fprintf(f, "  %-14s %s mcpu (last period)\n", "demand:", c[VMC_DEMAND]);
	fprintf(f, "  %-14s %s (last period)\n", "active vcpus:",
		c[VMC_ACTIVE]);
	fprintf(f, "  %-14s %s mcpu (last period)\n", "cpu:", c[VMC_CPU]);
	fprintf(f, "  %-14s %s %% (last period)\n", "steal:", c[VMC_STEAL]);
	fprintf(f, "  %-14s %s s\n", "cpu time:", c[VMC_CPU_S]);
	fprintf(f, "  %-14s %s s\n", "wait time:", c[VMC_WAIT_S]);
	fprintf(f, "  %-14s %s\n", "vm entries:", c[VMC_ENTRIES]);
	if (KVMS_HAS(vm, KVMSCHED_A_VM_STARVED_COUNT))
		fprintf(f, "  %-14s %" PRIu64 " time%s\n", "starved:",
			vm->starved_count, vm->starved_count == 1 ? "" : "s");
	vm_bounds_print(f, vm);
	vm_memory_print(f, vm);
	lat_details_print(f, vm);
}

void config_print(FILE *f, const struct kvms_config *c)
{
	const struct kv_key *k;
	const char *name;
	uint64_t v;

	for (k = kv_config_keys; k->key; k++) {
		if (!config_value(c, k->attr, &v)) {
			/* Never reported, from a kernel that knows PSI. */
			if (k->attr == KVMSCHED_A_CONFIG_PSI_SOME_AVG10_BP &&
			    KVMS_HAS(c, KVMSCHED_A_CONFIG_MEM_STATE))
				fprintf(f, "%s: -\n", k->key);
			continue;
		}
		name = k->type == KV_ENUM && v <= UINT32_MAX ?
			kv_enum_name(k->enums, (uint32_t)v) : NULL;
		if (name)
			fprintf(f, "%s: %s\n", k->key, name);
		else
			fprintf(f, "%s: %" PRIu64 "\n", k->key, v);
	}
}

void vcpu_row(const struct kvms_vcpu *v, char c[VCPU_NCOLS][FMT_CELL])
{
	CELL_U(c[VCC_VCPU], v, KVMSCHED_A_VCPU_VCPU_ID, v->vcpu_id);
	CELL_U(c[VCC_TID], v, KVMSCHED_A_VCPU_TID, v->tid);
	CELL_NAME(c[VCC_POLICY], v, KVMSCHED_A_VCPU_POLICY, policy_name,
		  v->policy);
	if (KVMS_HAS(v, KVMSCHED_A_VCPU_NICE))
		snprintf(c[VCC_NICE], FMT_CELL, "%" PRId32, v->nice);
	else
		strcpy(c[VCC_NICE], "-");
	CELL_U(c[VCC_OVERRIDES], v, KVMSCHED_A_VCPU_OVERRIDES, v->overrides);
	CELL_U(c[VCC_DL], v, KVMSCHED_A_VCPU_DL_MCPU, v->dl_mcpu);
	CELL_NAME(c[VCC_BLOCK], v, KVMSCHED_A_VCPU_DL_BLOCK, dl_block_name,
		  v->dl_block);
	CELL_U(c[VCC_STARVED], v, KVMSCHED_A_VCPU_STARVED_MS, v->starved_ms);
	CELL_U(c[VCC_BURST], v, KVMSCHED_A_VCPU_BURST_US, v->burst_us);
	CELL_U(c[VCC_CPU], v, KVMSCHED_A_VCPU_CPU_LAST_MCPU, v->cpu_last_mcpu);
	CELL_F(c[VCC_STEAL], v, KVMSCHED_A_VCPU_STEAL_LAST_PERMILLE,
	       fmt_permille_pct, v->steal_last_permille);
	CELL_F(c[VCC_CPU_S], v, KVMSCHED_A_VCPU_CPU_TIME_NS, fmt_ns_s,
	       v->cpu_time_ns);
	CELL_F(c[VCC_WAIT_S], v, KVMSCHED_A_VCPU_WAIT_TIME_NS, fmt_ns_s,
	       v->wait_time_ns);
	CELL_U(c[VCC_ENTRIES], v, KVMSCHED_A_VCPU_VM_ENTRIES, v->vm_entries);
}

int vcpu_table_print(FILE *f, const struct kvms_vcpu *v, size_t n)
{
	static char cells[VCPU_NCOLS][FMT_CELL];
	const char *row[VCPU_NCOLS];
	struct table t;
	size_t i;
	int j, rc = 0;

	table_init(&t, vcpu_cols, VCPU_NCOLS);
	for (j = 0; j < VCPU_NCOLS; j++)
		row[j] = cells[j];
	for (i = 0; i < n && !rc; i++) {
		vcpu_row(&v[i], cells);
		rc = table_add(&t, row);
	}
	if (!rc)
		table_print(&t, f);
	table_free(&t);
	return rc;
}
